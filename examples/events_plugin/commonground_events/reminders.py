"""The reminder job: those going to an event hear from us once, the group's chosen hours before.

It runs every five minutes on the job worker (``flask jobs worker``; ``make run`` starts one).
Each event is claimed with one conditional UPDATE before anyone is notified, so running the job
twice, or on two workers at once, never reminds anyone twice; the claim and the notifications
commit together, so a failure part-way leaves the event to the next run.
"""
from __future__ import annotations

from datetime import timedelta

from core.plugin_api import Group, db, is_plugin_enabled, notify_many, utcnow
from flask import url_for
from sqlalchemy import select, update

from commonground_events.calendar import attendees
from commonground_events.models import Event
from commonground_events.notices import REMINDER, event_data
from commonground_events.permissions import group_settings
from commonground_events.schemas import GroupSettings

JOB_NAME = "events.send_reminders"
LONGEST_NOTICE = timedelta(hours=GroupSettings().fields["reminder_hours"].validators[0].max)


def send_reminders() -> int:
    """Remind those going to every event now inside its group's reminder window; returns how many events."""
    now = utcnow()
    due = db.session.execute(
        select(Event, Group).join(Group, Group.id == Event.group_id)
        .where(Event.reminded_at.is_(None), Event.starts_at > now, Event.starts_at <= now + LONGEST_NOTICE)
        .order_by(Event.starts_at, Event.id)
    ).all()
    reminded = 0
    for event, group in due:
        if not is_plugin_enabled("events", group):
            continue
        if event.starts_at - timedelta(hours=group_settings(group)["reminder_hours"]) > now:
            continue
        claimed = db.session.execute(update(Event).where(Event.id == event.id, Event.reminded_at.is_(None))
                                     .values(reminded_at=now))
        if claimed.rowcount != 1:
            db.session.rollback()
            continue
        notify_many(attendees(event, None), REMINDER, group=group,
                    url=url_for("events.show", slug=group.slug, event_id=event.id), data=event_data(event))
        db.session.commit()
        reminded += 1
    return reminded
