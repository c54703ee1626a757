"""Group bans: the member is removed and cannot join again while the ban lasts."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select, update

from core.plugin_api import Group, Invitation, JoinRequest, Membership, User, db, end_membership, utcnow
from plugins.reporting.models import GroupBan


def is_banned(user_id: int, group_id: int) -> bool:
    return db.session.scalar(
        select(GroupBan.id).where(GroupBan.user_id == user_id, GroupBan.group_id == group_id,
                                  or_(GroupBan.until.is_(None), GroupBan.until > utcnow()))
    ) is not None


def ban(group: Group, user: User, until: datetime | None, decision_id: int | None) -> GroupBan:
    """Ban (or re-ban with a new end) and remove the membership."""
    row = db.session.scalar(select(GroupBan).where(GroupBan.group_id == group.id, GroupBan.user_id == user.id))
    if row is None:
        row = GroupBan(group_id=group.id, user_id=user.id)
        db.session.add(row)
    row.until = until
    row.decision_id = decision_id
    row.created_at = utcnow()
    remove_member(group, user)
    _close_pending(group, user)
    return row


def _close_pending(group: Group, user: User) -> None:
    """A ban settles pending invitations (declined) and join requests (denied) for the group."""
    db.session.execute(update(Invitation).where(Invitation.group_id == group.id, Invitation.user_id == user.id,
                                                Invitation.status == "pending").values(status="declined"))
    db.session.execute(update(JoinRequest).where(JoinRequest.group_id == group.id, JoinRequest.user_id == user.id,
                                                 JoinRequest.status == "pending")
                       .values(status="denied", decided_at=utcnow()))


def lift(group_id: int, user_id: int) -> bool:
    row = db.session.scalar(select(GroupBan).where(GroupBan.group_id == group_id, GroupBan.user_id == user_id))
    if row is None:
        return False
    db.session.delete(row)
    return True


def remove_member(group: Group, user: User) -> bool:
    """Remove ``user`` from ``group`` the way core does when a moderator removes someone."""
    membership = db.session.scalar(
        select(Membership).where(Membership.group_id == group.id, Membership.user_id == user.id)
    )
    return end_membership(group, user, membership)
