"""A member's events and attendances are in their data export and go with their account."""
from __future__ import annotations

from core.plugin_api import db

from commonground_events.models import Attendance, Event


def test_export_lists_events_added_and_events_going_to(events_on, make_event, people, export_data):
    mine = make_event(events_on, "Seed swap", by=people["member"], going=(people["member"],))
    theirs = make_event(events_on, "Pruning", by=people["owner"], going=(people["member"],))
    exported = export_data(people["member"])["plugins"]["events"]
    assert [e["title"] for e in exported["events_added"]] == ["Seed swap"]
    assert exported["going_to"] == [mine.id, theirs.id]


def test_erasure_removes_their_events_and_attendances_and_keeps_others(events_on, make_event, people,
                                                                       erase_account):
    make_event(events_on, "Seed swap", by=people["member"], going=(people["owner"],))
    kept = make_event(events_on, "Pruning", by=people["owner"], going=(people["member"], people["owner"]))
    erase_account(people["member"])
    db.session.expire_all()
    assert [e.title for e in db.session.scalars(db.select(Event))] == ["Pruning"]
    assert db.session.scalars(db.select(Attendance.event_id)).all() == [kept.id]
