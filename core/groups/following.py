"""Following a group: how much each member hears from it, and who is told about what.

Per membership, ``notify_level`` is "watching" (every new post), "normal" (replies to what
they wrote and mentions) or "muted" (nothing from this group). Every question here is one
query whatever the number of members, so a new post's fan-out stays constant in SQL.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from core.extensions import db
from core.models import NOTIFY_LEVELS, Group, Membership, User

__all__ = ["NOTIFY_LEVELS", "audible", "set_level", "watchers"]


def watchers(group: Group) -> list[User]:
    """Members watching ``group`` (told about every new post), with their accounts, in one query."""
    return list(db.session.scalars(
        db.select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.group_id == group.id, Membership.notify_level == "watching")
    ))


def audible(group: Group, users: Iterable[Any]) -> list[Any]:
    """``users`` less those who muted ``group`` (one query; people outside the group are kept)."""
    users = [user for user in users if user is not None]
    if not users:
        return []
    muted = set(db.session.scalars(
        db.select(Membership.user_id).where(Membership.group_id == group.id, Membership.notify_level == "muted",
                                            Membership.user_id.in_({user.id for user in users}))
    ))
    return [user for user in users if user.id not in muted]


def set_level(membership: Membership, level: str) -> None:
    """Change how much a member hears from their group (the caller checked ``level``)."""
    if level not in NOTIFY_LEVELS:
        raise ValueError(level)
    membership.notify_level = level
    db.session.commit()
