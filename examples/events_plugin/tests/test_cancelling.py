"""Cancelling an event: whoever added it or the group's moderators; those going are told."""
from __future__ import annotations

from core.plugin_api import Notification, db

from commonground_events.models import Event


def test_the_author_cancels_and_those_going_are_notified(events_on, make_event, as_, people, outbox):
    event = make_event(events_on, "Seed swap", by=people["member"], going=(people["member"], people["owner"]))
    assert as_("member").post(f"/g/garden/events/{event.id}/cancel").status_code == 302
    db.session.expire_all()
    assert db.session.get(Event, event.id) is None
    (note,) = db.session.scalars(db.select(Notification)).all()
    assert (note.user_id, note.kind, note.group_id) == (people["owner"].id, "events_cancelled", events_on.id)
    assert note.data["title"] == "Seed swap"
    page = as_("owner").get("/notifications/").text
    assert "<strong>Member</strong> cancelled <strong>Seed swap</strong>" in page
    (mail,) = outbox()
    assert mail.to_addr == "owner@example.org" and mail.subject == "Cancelled: Seed swap"


def test_a_moderator_cancels_anyones_event(events_on, make_event, as_, people):
    event = make_event(events_on, by=people["owner"])
    assert as_("moderator").post(f"/g/garden/events/{event.id}/cancel").status_code == 302


def test_other_members_cannot_cancel(events_on, make_event, as_, people):
    event = make_event(events_on, by=people["owner"])
    assert "Cancel event" not in as_("member").get(f"/g/garden/events/{event.id}").text
    assert as_("member").post(f"/g/garden/events/{event.id}/cancel").status_code == 404
    db.session.expire_all()
    assert db.session.get(Event, event.id) is not None
