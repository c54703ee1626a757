"""A member's notifications: newest-first pages, marking read. Shared by the pages and the API.

Only notifications of kinds that count now are listed, counted, found or marked read
(``KindRegistry.visible``): a disabled plugin's notifications are gone until it is enabled
again, and then they come back as they were (unread ones still unread).
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import joinedload

from core.extensions import db
from core.groups import keyset
from core.models import Notification, User
from core.models.base import utcnow
from core.notifications.kinds import registry


def visible() -> db.ColumnElement[bool]:
    """The SQL condition for notifications a member sees now."""
    return registry().visible(Notification)


UNREAD_CAP = 100
"""Unread notifications are counted up to this many; the header shows "99+" beyond 99."""


def unread_count_select(user_id) -> db.ScalarSelect:
    """Unread, visible notifications of ``user_id``'s member (a value or bound parameter), at most ``UNREAD_CAP``.

    Counting over a ``LIMIT`` subquery stops after ``UNREAD_CAP`` index entries: the count runs
    on every logged-in page, and a member with 25,000 unread ones must not cost 25,000 rows each time.
    """
    unread = (
        db.select(db.literal(1))
        .select_from(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None), visible())
        .limit(UNREAD_CAP)
        .subquery()
    )
    return db.select(db.func.count()).select_from(unread).scalar_subquery()


@dataclass
class Page:
    items: list[Notification]
    next: str | None


def page(user: User, *, before: str | None = None, limit: int = 20, unread_only: bool = False) -> Page:
    """One page, newest first, actor and group loaded in the same query; raises ``keyset.BadCursor``."""
    query = (
        db.select(Notification)
        .options(joinedload(Notification.actor), joinedload(Notification.group))
        .where(Notification.user_id == user.id, visible())
        .order_by(Notification.id.desc())
        .limit(limit + 1)
    )
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    if before:
        (last_id,) = keyset.decode(before, (int,))
        query = query.where(Notification.id < last_id)
    items = list(db.session.scalars(query).unique())
    more = len(items) > limit
    items = items[:limit]
    return Page(items, keyset.encode(items[-1].id) if more else None)


def get_own(user: User, notification_id: int) -> Notification | None:
    """The member's own visible notification, or None (someone else's looks like a missing one)."""
    return db.session.scalar(
        db.select(Notification).where(Notification.id == notification_id, Notification.user_id == user.id,
                                      visible())
    )


def mark_read(note: Notification) -> None:
    if note.read_at is None:
        note.read_at = utcnow()


def mark_all_read(user: User) -> int:
    """Mark every unread visible notification read in one UPDATE; returns how many changed. Caller commits."""
    result = db.session.execute(
        db.update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None), visible())
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0
