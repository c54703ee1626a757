"""In-app notices: the team hears of a member's message; participants hear of a coming deletion."""
from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from core.plugin_api import ROLE_RANK, Membership, NotificationKind, User, db, notify_many
from plugins.conversations.retention import notification_kinds as retention_kinds

TEAM_MESSAGE = "conversations_team_message"


def notification_kinds() -> list[NotificationKind]:
    return [*retention_kinds(), NotificationKind(TEAM_MESSAGE, message=lambda note: _(
        "A member wrote to the team of %(group)s.", group=note.group.name if note.group else ""))]


def team_of(group: Any) -> list[User]:
    """The group's owners, admins and moderators."""
    return list(db.session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.group_id == group.id,
               Membership.role.in_([r for r, rank in ROLE_RANK.items() if rank >= ROLE_RANK["moderator"]]))
        .order_by(User.display_name)))


def tell_the_team(group: Any, conversation: Any, writer: Any) -> None:
    """Staff never are hidden from their group's members, so blocks do not filter this."""
    staff = [u for u in team_of(group) if u.id != writer.id]
    notify_many(staff, TEAM_MESSAGE, group=group, bypass_policy=True,
                url=url_for("conversations_team.thread", slug=group.slug, conversation_id=conversation.id),
                data={"conversation_id": conversation.id})
