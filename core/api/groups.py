"""API: groups, members and roles, join requests and invitations.

The same schemas and domain actions as the web pages. Forbidden and unknown objects both
answer 404; input a rule rejects answers 422 naming the field; a clash with the current
state (already a member, last owner leaving) answers 409 with a message.
"""
from __future__ import annotations

from typing import Any, NoReturn

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint, abort

from core.api.access import OPTIONAL_AUTH, not_found, require_user
from core.groups import group_actions, keyset, membership_actions, queries
from core.groups.limits import invite_limit, join_limit
from core.groups.queries import GroupContext
from core.models import JoinRequest
from core.permissions import can_review_join_requests, can_view_group_content
from core.schemas.groups import (
    DirectoryArgsSchema,
    GroupCreateSchema,
    GroupPageSchema,
    GroupSchema,
    GroupSettingsSchema,
    InvitationSchema,
    JoinRequestPageSchema,
    JoinRequestSchema,
    JoinResultSchema,
    JoinSchema,
    MembershipPageSchema,
    MembershipSchema,
    PageArgsSchema,
    RoleSchema,
    UsernameSchema,
)

blp = Blueprint("api_groups", __name__, url_prefix="/api/v1",
                description="Groups, members and roles, join requests and invitations")


def bad_cursor(name: str) -> NoReturn:
    message = _("This page link is no longer valid. Start again from the first page.")
    abort(422, message=message, errors={"query": {name: [message]}})


def group_or_404(slug: str) -> GroupContext:
    context = queries.load_group(slug, current_user)
    if context is None:
        not_found()
    return context


def content_or_404(slug: str) -> GroupContext:
    """The group, only if the caller may see its posts, comments and members."""
    context = group_or_404(slug)
    if not can_view_group_content(current_user, context.group):
        not_found()
    return context


def paged(load, cursor_name: str, *args: Any) -> queries.Page:
    try:
        return load(*args)
    except keyset.BadCursor:
        bad_cursor(cursor_name)


# --- groups -------------------------------------------------------------------------------------


@blp.route("/groups", methods=["GET"])
@blp.arguments(DirectoryArgsSchema, location="query")
@blp.response(200, GroupPageSchema)
@blp.doc(security=OPTIONAL_AUTH)
def list_groups(args: dict):
    """The group directory: every group by name (private ones too: name and description are public).

    Keyset-paginated: pass ``next`` from one page as ``after`` for the following page.
    """
    return paged(queries.directory_page, "after", current_user, args["q"], args["after"], args["limit"])


@blp.route("/groups", methods=["POST"])
@blp.arguments(GroupCreateSchema)
@blp.response(201, GroupSchema)
@blp.alt_response(401, response="UNAUTHORIZED")
def create_group(data: dict):
    """Create a group; you become its owner. ``join_question`` is required when ``join_mode`` is request."""
    user = require_user()
    group = group_actions.create_group(user, data)
    return group, 201, {"Location": url_for("api_groups.get_group", slug=group.slug)}


@blp.route("/groups/<slug>", methods=["GET"])
@blp.response(200, GroupSchema)
@blp.doc(security=OPTIONAL_AUTH)
def get_group(slug: str):
    """One group; ``rules`` is null when you may not see its content (private, not a member)."""
    return group_or_404(slug).group


@blp.route("/groups/<slug>", methods=["PATCH"])
@blp.arguments(GroupSettingsSchema(partial=True))
@blp.response(200, GroupSchema)
@blp.alt_response(401, response="UNAUTHORIZED")
def update_group(data: dict, slug: str):
    """Change any of the group's settings (admins and owners; the slug never changes)."""
    user = require_user()
    context = group_or_404(slug)
    return group_actions.update_group(user, context.group, data)


# --- members ------------------------------------------------------------------------------------


@blp.route("/groups/<slug>/members", methods=["GET"])
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, MembershipPageSchema)
@blp.doc(security=OPTIONAL_AUTH)
def list_members(args: dict, slug: str):
    """Members, owners first; for everyone in a public group, for members only in a private one."""
    context = content_or_404(slug)
    return paged(queries.member_page, "after", context.group, current_user, args["after"], args["limit"])


@blp.route("/groups/<slug>/members", methods=["POST"])
@join_limit
@blp.arguments(JoinSchema)
@blp.response(201, JoinResultSchema)
@blp.alt_response(202, schema=JoinResultSchema, description="Request sent; a moderator decides.")
@blp.alt_response(401, response="UNAUTHORIZED")
def join_group(data: dict, slug: str):
    """Join an open group (201), or ask to join a by-request group with ``answer`` (202)."""
    user = require_user()
    context = group_or_404(slug)
    result = membership_actions.join(user, context.group, data["answer"])
    if isinstance(result, JoinRequest):
        return {"status": "requested", "membership": None}, 202
    return {"status": "joined", "membership": result}, 201


@blp.route("/groups/<slug>/members/<username>", methods=["PATCH"])
@blp.arguments(RoleSchema)
@blp.response(200, MembershipSchema)
@blp.alt_response(401, response="UNAUTHORIZED")
def change_role(data: dict, slug: str, username: str):
    """Promote or demote a member (owners: anyone; admins: up to moderator)."""
    user = require_user()
    context = content_or_404(slug)
    return membership_actions.change_role(user, context.group, username, data["role"])


@blp.route("/groups/<slug>/members/<username>", methods=["DELETE"])
@blp.response(204)
@blp.alt_response(401, response="UNAUTHORIZED")
@blp.alt_response(409, response="DEFAULT_ERROR", description="The last owner must hand over first.")
def remove_member(slug: str, username: str):
    """Remove a member, or ``me`` to leave the group (the last owner must hand over ownership first)."""
    user = require_user()
    context = group_or_404(slug)
    if username == "me":
        membership_actions.leave(user, context.group)
    else:
        membership_actions.remove_member(user, context.group, username)
    return None


@blp.route("/groups/<slug>/owner", methods=["POST"])
@blp.arguments(UsernameSchema)
@blp.response(200, MembershipSchema)
@blp.alt_response(401, response="UNAUTHORIZED")
def transfer_ownership(data: dict, slug: str):
    """Hand the group over: the member becomes owner and you become an admin (owners only)."""
    user = require_user()
    context = content_or_404(slug)
    return membership_actions.transfer_ownership(user, context.group, data["username"])


# --- join requests ------------------------------------------------------------------------------


@blp.route("/groups/<slug>/requests", methods=["GET"])
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, JoinRequestPageSchema)
@blp.alt_response(401, response="UNAUTHORIZED")
def list_requests(args: dict, slug: str):
    """Pending join requests with the applicants' answers (the group's moderators and up only)."""
    user = require_user()
    context = group_or_404(slug)
    if not can_review_join_requests(user, context.group):
        not_found()
    return paged(queries.request_page, "after", context.group, user, args["after"], args["limit"])


@blp.route("/groups/<slug>/requests/me", methods=["DELETE"])
@blp.response(204)
@blp.alt_response(401, response="UNAUTHORIZED")
def withdraw_request(slug: str):
    """Take back your own pending request."""
    user = require_user()
    context = group_or_404(slug)
    membership_actions.withdraw_request(user, context.group)
    return None


@blp.route("/groups/<slug>/requests/<int:request_id>/<any(approve, deny):decision>", methods=["POST"])
@blp.response(200, JoinRequestSchema)
@blp.alt_response(401, response="UNAUTHORIZED")
def decide_request(slug: str, request_id: int, decision: str):
    """Approve (the applicant becomes a member) or deny a pending request; the applicant is told."""
    user = require_user()
    context = group_or_404(slug)
    action = membership_actions.approve_request if decision == "approve" else membership_actions.deny_request
    return action(user, context.group, request_id)


# --- invitations --------------------------------------------------------------------------------


@blp.route("/groups/<slug>/invitations", methods=["POST"])
@invite_limit
@blp.arguments(UsernameSchema)
@blp.response(201, InvitationSchema)
@blp.alt_response(401, response="UNAUTHORIZED")
def invite(data: dict, slug: str):
    """Invite someone by username; they accept or decline. In private groups moderators and up invite."""
    user = require_user()
    context = content_or_404(slug)
    return membership_actions.invite(user, context.group, data["username"])


@blp.route("/invitations", methods=["GET"])
@blp.response(200, InvitationSchema(many=True))
@blp.alt_response(401, response="UNAUTHORIZED")
def my_invitations():
    """Your pending invitations, newest first."""
    return queries.pending_invitations(require_user())


@blp.route("/invitations/<int:invitation_id>/accept", methods=["POST"])
@blp.response(200, MembershipSchema)
@blp.alt_response(401, response="UNAUTHORIZED")
def accept_invitation(invitation_id: int):
    """Accept an invitation addressed to you: you become a member."""
    user = require_user()
    return membership_actions.accept_invitation(user, invitation_id)


@blp.route("/invitations/<int:invitation_id>/decline", methods=["POST"])
@blp.response(200, InvitationSchema)
@blp.alt_response(401, response="UNAUTHORIZED")
def decline_invitation(invitation_id: int):
    """Decline an invitation addressed to you."""
    user = require_user()
    return membership_actions.decline_invitation(user, invitation_id)
