"""Changing events: add one, go or not, cancel one. Each commits, or raises before writing.

Views check permissions first (``permissions``); these functions assume the actor may act.
"""
from __future__ import annotations

from typing import Any

from core.plugin_api import db, notify_many
from flask import url_for
from sqlalchemy import delete, select

from commonground_events.calendar import attendees
from commonground_events.models import Attendance, Event
from commonground_events.notices import CANCELLED, event_data


def create_event(actor: Any, group: Any, data: dict[str, Any]) -> Event:
    """A new event from validated ``EventSchema`` data; whoever adds it is going."""
    event = Event(group_id=group.id, created_by_id=actor.id, title=data["title"], location=data["location"],
                  description=data["description"], starts_at=data["starts_at"])
    db.session.add(event)
    db.session.flush()
    db.session.add(Attendance(event_id=event.id, user_id=actor.id))
    db.session.commit()
    return event


def set_going(actor: Any, event: Event, going: bool) -> None:
    """Going or not; saying the same twice changes nothing."""
    here = db.session.scalar(select(Attendance).where(Attendance.event_id == event.id,
                                                      Attendance.user_id == actor.id))
    if going and here is None:
        db.session.add(Attendance(event_id=event.id, user_id=actor.id))
    elif not going and here is not None:
        db.session.delete(here)
    db.session.commit()


def cancel_event(actor: Any, group: Any, event: Event) -> None:
    """Delete the event and tell those who were going (one notification each, a few queries in all)."""
    going = [user for user in attendees(event, None) if user.id != actor.id]
    notify_many(going, CANCELLED, actor=actor, group=group, url=url_for("events.index", slug=group.slug),
                data=event_data(event))
    db.session.execute(delete(Attendance).where(Attendance.event_id == event.id))
    db.session.delete(event)
    db.session.commit()
