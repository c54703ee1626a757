"""Reading events: each function is one SQL query, whatever the number of events or people.

Events by people the viewer has hidden (blocks) are left out with ``not_hidden`` inside the
same query, as core's lists do.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from core.plugin_api import MAX_ID, User, db, is_authenticated, not_hidden, utcnow
from flask_login import current_user
from sqlalchemy import and_, exists, false, func, or_, select
from sqlalchemy.orm import contains_eager

from commonground_events.models import Attendance, Event

PAGE_SIZE = 20


class BadCursor(ValueError):
    """A ``?after=`` that no page of ours produced."""


@dataclass
class Listed:
    """An event as a list shows it: how many go, and whether the viewer does."""

    event: Event
    going: int
    mine: bool


def _going_count() -> Any:
    return (select(func.count()).select_from(Attendance).where(Attendance.event_id == Event.id)
            .correlate(Event).scalar_subquery())


def _viewer_goes(viewer: Any) -> Any:
    if not is_authenticated(viewer):
        return false()
    return exists().where(Attendance.event_id == Event.id, Attendance.user_id == viewer.id).correlate(Event)


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


def cursor_of(event: Event) -> str:
    """``<microseconds since 1970>.<id>`` of the last event shown (exact: no float rounding)."""
    return f"{(event.starts_at - EPOCH) // MICROSECOND}.{event.id}"


def parse_cursor(text: str) -> tuple[datetime, int]:
    """The (start, id) a cursor holds; ``BadCursor`` for one no page of ours produced."""
    micros, _dot, event_id = text.partition(".")
    try:
        when, last_id = EPOCH + int(micros) * MICROSECOND, int(event_id)
    except (OverflowError, ValueError) as exc:
        raise BadCursor(text) from exc
    if last_id > MAX_ID:
        raise BadCursor(text)
    return when, last_id


def upcoming(group: Any, viewer: Any, after: str | None = None) -> tuple[list[Listed], str | None]:
    """The group's events that have not started, soonest first; and the cursor of the next page."""
    query = (
        select(Event, _going_count(), _viewer_goes(viewer))
        .join(Event.creator)
        .options(contains_eager(Event.creator))
        .where(Event.group_id == group.id, Event.starts_at > utcnow(), not_hidden(Event.created_by_id, viewer))
        .order_by(Event.starts_at, Event.id)
        .limit(PAGE_SIZE + 1)
    )
    if after:
        when, last_id = parse_cursor(after)
        query = query.where(or_(Event.starts_at > when, and_(Event.starts_at == when, Event.id > last_id)))
    rows = [Listed(event, going, bool(mine)) for event, going, mine in db.session.execute(query)]
    following = cursor_of(rows[PAGE_SIZE - 1].event) if len(rows) > PAGE_SIZE else None
    return rows[:PAGE_SIZE], following


def load_event(group: Any, event_id: int, viewer: Any) -> Listed | None:
    """One event of ``group`` with its counts, or None (unknown, another group's, or by someone hidden)."""
    row = db.session.execute(
        select(Event, _going_count(), _viewer_goes(viewer))
        .join(Event.creator)
        .options(contains_eager(Event.creator))
        .where(Event.id == event_id, Event.group_id == group.id, not_hidden(Event.created_by_id, viewer))
    ).first()
    return Listed(row[0], row[1], bool(row[2])) if row else None


def attendees(event: Event, viewer: Any) -> list[User]:
    """Who is going, in the order they said so; people hidden from the viewer left out."""
    return list(db.session.scalars(
        select(User).join(Attendance, Attendance.user_id == User.id)
        .where(Attendance.event_id == event.id, not_hidden(User.id, viewer))
        .order_by(Attendance.created_at, User.id)
    ))


def next_event(group: Any) -> Event | None:
    """The group's soonest event, for its sidebar (by anyone the current viewer has not hidden)."""
    return db.session.scalars(
        select(Event).where(Event.group_id == group.id, Event.starts_at > utcnow(),
                            not_hidden(Event.created_by_id, current_user))
        .order_by(Event.starts_at, Event.id).limit(1)
    ).first()
