"""Joining, requests, invitations, roles, removal and leaving; shared by the pages and the API.

Each action checks ``core.permissions``, keeps ``Group.member_count`` right, raises the
``member_joined``/``member_left`` events, notifies the people concerned and commits.
"""
from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext as _

from core.extensions import db
from core.groups.errors import Conflict, InvalidInput, NotAllowed, NotFound
from core.models import ROLE_RANK, Group, Invitation, JoinRequest, Membership, User
from core.models.base import utcnow
from core.notify import notify, notify_many
from core.permissions import (
    can_answer_invitation,
    can_change_role,
    can_invite,
    can_join,
    can_leave,
    can_review_join_requests,
    can_transfer_ownership,
    can_view_group_content,
    forget_membership,
    is_active_member_account,
    is_authenticated,
    is_member,
    membership,
)
from core.plugins import get_plugins
from core.visibility import is_hidden_from

STAFF_ROLES = ("owner", "admin", "moderator")


def _group_url(group: Group) -> str:
    return url_for("groups.group", slug=group.slug)


def _add_member(group: Group, user: User, role: str = "member") -> Membership:
    found = Membership(group_id=group.id, user_id=user.id, role=role)
    db.session.add(found)
    group.member_count = Group.member_count + 1
    db.session.flush()
    forget_membership(user, group)
    _close_open_items(group, user, "accepted", "approved")
    get_plugins().call("member_joined", membership=found)
    return found


def end_membership(group: Group, user: User, found: Membership | None = None) -> bool:
    """Take ``user`` out of ``group`` as every removal does (count, memo, ``member_left``); no commit.

    ``found`` is their membership when the caller has it. Returns False when they were not a
    member. Checks no permission: callers decide who may.
    """
    found = found or membership(user, group)
    if found is None:
        return False
    db.session.delete(found)
    group.member_count = Group.member_count - 1
    db.session.flush()
    forget_membership(user, group)
    get_plugins().call("member_left", group=group, user=user)
    return True


def _close_open_items(group: Group, user: User, invitation_status: str, request_status: str) -> None:
    """Joining settles any pending invitation and request of the same person for the group."""
    now = utcnow()
    db.session.execute(
        db.update(Invitation)
        .where(Invitation.group_id == group.id, Invitation.user_id == user.id, Invitation.status == "pending")
        .values(status=invitation_status)
    )
    db.session.execute(
        db.update(JoinRequest)
        .where(JoinRequest.group_id == group.id, JoinRequest.user_id == user.id, JoinRequest.status == "pending")
        .values(status=request_status, decided_at=now)
    )


def _refuse_join(actor: Any, group: Group) -> None:
    if not is_authenticated(actor):
        raise NotFound()
    if is_member(actor, group):
        raise Conflict(_("You are already a member of this group."))
    if not is_active_member_account(actor):
        raise NotAllowed(_("Confirm your email address before joining groups."))
    raise NotAllowed(_("You cannot join this group."))


def join(actor: Any, group: Group, answer: str = "") -> Membership | JoinRequest:
    """Join an open group at once, or ask to join a by-request one with the answer to its question.

    Someone holding an invitation joins at once either way.
    """
    if not can_join(actor, group):
        _refuse_join(actor, group)
    invited = db.session.scalar(
        db.select(Invitation.id).where(Invitation.group_id == group.id, Invitation.user_id == actor.id,
                                       Invitation.status == "pending").limit(1)
    )
    if group.join_mode == "open" or invited is not None:
        found = _add_member(group, actor)
        db.session.commit()
        return found
    pending = db.session.scalar(
        db.select(JoinRequest.id).where(JoinRequest.group_id == group.id, JoinRequest.user_id == actor.id,
                                        JoinRequest.status == "pending").limit(1)
    )
    if pending is not None:
        raise Conflict(_("You have already asked to join. The group's moderators will decide soon."))
    answer = (answer or "").strip()
    if group.join_question and not answer:
        raise InvalidInput(_("Please answer the group's question."), field="answer")
    request = JoinRequest(group_id=group.id, user_id=actor.id, answer=answer)
    db.session.add(request)
    db.session.flush()
    url = url_for("groups.requests", slug=group.slug)
    staff = db.session.scalars(
        db.select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.group_id == group.id, Membership.role.in_(STAFF_ROLES))
    )
    notify_many(staff, "join_request", actor=actor, group=group, url=url, data={"request_id": request.id})
    db.session.commit()
    return request


def withdraw_request(actor: Any, group: Group) -> None:
    """The applicant takes back their pending request."""
    if not is_authenticated(actor):
        raise NotFound()
    request = db.session.scalar(
        db.select(JoinRequest).where(JoinRequest.group_id == group.id, JoinRequest.user_id == actor.id,
                                     JoinRequest.status == "pending")
    )
    if request is None:
        raise NotFound()
    db.session.delete(request)
    db.session.commit()


def _pending_request(actor: Any, group: Group, request_id: int) -> JoinRequest:
    if not can_review_join_requests(actor, group):
        raise NotFound()
    request = db.session.get(JoinRequest, request_id)
    if request is None or request.group_id != group.id:
        raise NotFound()
    if request.status != "pending":
        raise Conflict(_("This request was already decided."))
    return request


def approve_request(actor: Any, group: Group, request_id: int) -> JoinRequest:
    """A moderator (or higher) lets the applicant in and tells them."""
    request = _pending_request(actor, group, request_id)
    applicant = request.user
    request.decided_by_id = actor.id
    if membership(applicant, group) is None:
        _add_member(group, applicant)
    request.status = "approved"
    request.decided_at = utcnow()
    notify(applicant, "request_approved", actor=actor, group=group, url=_group_url(group), bypass_policy=True)
    db.session.commit()
    return request


def deny_request(actor: Any, group: Group, request_id: int) -> JoinRequest:
    """A moderator (or higher) declines; the applicant is told, without the reviewer's name."""
    request = _pending_request(actor, group, request_id)
    request.status = "denied"
    request.decided_at = utcnow()
    request.decided_by_id = actor.id
    notify(request.user, "request_denied", group=group, url=url_for("groups.directory"))
    db.session.commit()
    return request


def invite(actor: Any, group: Group, username: str) -> Invitation:
    """Invite someone by username; they accept or decline. Checks ``can_interact`` both ways."""
    if not can_invite(actor, group):
        raise NotFound()
    invitee = db.session.scalar(db.select(User).where(User.username == username.strip()))
    if invitee is None or is_hidden_from(actor, invitee.id):
        raise InvalidInput(_("There is no member with this username."), field="username")
    if not can_invite(actor, group, invitee):
        raise InvalidInput(_("You cannot invite this person."), field="username")
    if membership(invitee, group) is not None:
        raise InvalidInput(_("%(name)s is already a member.", name=invitee.display_name), field="username")
    already = db.session.scalar(
        db.select(Invitation.id).where(Invitation.group_id == group.id, Invitation.user_id == invitee.id,
                                       Invitation.status == "pending").limit(1)
    )
    if already is not None:
        raise InvalidInput(_("%(name)s is already invited.", name=invitee.display_name), field="username")
    invitation = Invitation(group_id=group.id, user_id=invitee.id, invited_by_id=actor.id)
    db.session.add(invitation)
    db.session.flush()
    notify(invitee, "invitation", actor=actor, group=group, url=url_for("groups.invitations"),
           data={"invitation_id": invitation.id})
    db.session.commit()
    return invitation


def _invitation_for(actor: Any, invitation_id: int) -> Invitation:
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or not can_answer_invitation(actor, invitation):
        raise NotFound()
    return invitation


def accept_invitation(actor: Any, invitation_id: int) -> Membership:
    """The invited person joins (no join question asked: a member vouched for them)."""
    invitation = _invitation_for(actor, invitation_id)
    group = invitation.group
    found = membership(actor, group)
    if found is None:
        found = _add_member(group, actor)
    invitation.status = "accepted"
    db.session.commit()
    return found


def decline_invitation(actor: Any, invitation_id: int) -> Invitation:
    invitation = _invitation_for(actor, invitation_id)
    invitation.status = "declined"
    db.session.commit()
    return invitation


def _target(actor: Any, group: Group, username: str) -> Membership:
    """A member of ``group`` the actor may see, by username (staff see every member)."""
    if not can_view_group_content(actor, group):
        raise NotFound()
    found = db.session.scalar(
        db.select(Membership).join(Membership.user)
        .where(Membership.group_id == group.id, User.username == username)
    )
    if found is None or is_hidden_from(actor, found.user_id, within=group):
        raise NotFound()
    return found


def change_role(actor: Any, group: Group, username: str, role: str) -> Membership:
    """Promote or demote; owners manage everyone, admins manage up to moderator (``can_change_role``)."""
    target = _target(actor, group, username)
    if not can_change_role(actor, group, target, role):
        raise NotFound()
    if target.role != role:
        target.role = role
        forget_membership(target.user, group)
        notify(target.user, "role_changed", actor=actor, group=group, url=_group_url(group),
               data={"role": role}, bypass_policy=True)
        db.session.commit()
    return target


def transfer_ownership(actor: Any, group: Group, username: str) -> Membership:
    """Hand the group over: the target becomes owner and the actor steps down to admin."""
    target = _target(actor, group, username)
    if not can_transfer_ownership(actor, group, target):
        raise NotFound()
    mine = membership(actor, group)
    target.role = "owner"
    if mine is not None:
        mine.role = "admin"
    forget_membership(actor, group)
    forget_membership(target.user, group)
    notify(target.user, "role_changed", actor=actor, group=group, url=_group_url(group),
           data={"role": "owner"}, bypass_policy=True)
    db.session.commit()
    return target


def remove_member(actor: Any, group: Group, username: str) -> None:
    """Moderators remove members; admins also moderators; owners anyone but themselves."""
    target = _target(actor, group, username)
    if not can_change_role(actor, group, target, None):
        raise NotFound()
    person = target.user
    end_membership(group, person, target)
    notify(person, "removed_from_group", actor=actor, group=group, url=_group_url(group), bypass_policy=True)
    db.session.commit()


def is_last_owner(user: Any, group: Group) -> bool:
    """Whether ``user`` is the group's only owner (who must hand over before leaving)."""
    mine = membership(user, group)
    if mine is None or mine.rank < ROLE_RANK["owner"]:
        return False
    owners = db.session.scalar(
        db.select(db.func.count(Membership.id)).where(Membership.group_id == group.id, Membership.role == "owner")
    )
    return (owners or 0) <= 1


def leave(actor: Any, group: Group) -> None:
    """Leave the group; the last owner must first hand over ownership."""
    if not can_leave(actor, group):
        raise NotFound()
    if is_last_owner(actor, group):
        raise Conflict(_("You are the only owner. Make another member owner before you leave."))
    end_membership(group, actor)
    db.session.commit()
