"""Going or not: members of the group, to events that have not started."""
from __future__ import annotations

from core.plugin_api import db

from commonground_events.models import Attendance


def going(event) -> list[int]:
    db.session.expire_all()
    return db.session.scalars(db.select(Attendance.user_id).where(Attendance.event_id == event.id)).all()


def test_member_says_going_and_then_not(events_on, make_event, as_, people):
    event = make_event(events_on, by=people["owner"])
    member = as_("member")
    assert member.post(f"/g/garden/events/{event.id}/attend", data={"going": "1"}).status_code == 302
    assert going(event) == [people["member"].id]
    page = member.get(f"/g/garden/events/{event.id}").text
    assert "1 going" in page and "I am not going" in page and "Member</a>" in page
    member.post(f"/g/garden/events/{event.id}/attend", data={"going": "1"})
    assert going(event) == [people["member"].id]
    member.post(f"/g/garden/events/{event.id}/attend", data={"going": "0"})
    assert going(event) == []


def test_people_outside_the_group_cannot_go(events_on, make_event, as_):
    event = make_event(events_on)
    assert as_("outsider").post(f"/g/garden/events/{event.id}/attend", data={"going": "1"}).status_code == 403
    assert going(event) == []


def test_nobody_goes_to_an_event_that_has_started(events_on, make_event, as_):
    event = make_event(events_on, hours=-1)
    assert as_("member").post(f"/g/garden/events/{event.id}/attend", data={"going": "1"}).status_code == 403


def test_an_unknown_event_is_404(events_on, as_):
    assert as_("member").post("/g/garden/events/4242/attend", data={"going": "1"}).status_code == 404
    assert as_("member").get("/g/garden/events/4242").status_code == 404


def test_leaving_the_group_drops_ones_attendance(events_on, make_event, as_, people):
    event = make_event(events_on, by=people["owner"], going=(people["member"],))
    assert as_("member").post("/g/garden/leave").status_code == 302
    assert going(event) == []
