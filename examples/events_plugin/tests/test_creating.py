"""Adding an event: the form on the Events tab, validated at each field; who may add it is the group's choice."""
from __future__ import annotations

from datetime import timedelta

import pytest
from core.plugin_api import db, utcnow

from commonground_events.models import Attendance, Event


def local(delta: timedelta) -> str:
    """A time as ``<input type="datetime-local">`` sends it (the test site's time zone is UTC)."""
    return (utcnow() + delta).strftime("%Y-%m-%dT%H:%M")


def form(**changes):
    return {"title": "Seed swap", "starts_at": local(timedelta(days=3)), "location": "Allotment gate",
            "description": "Bring seeds.", **changes}


def events():
    db.session.expire_all()
    return db.session.scalars(db.select(Event)).all()


def test_member_adds_an_event_and_is_going(events_on, as_, people):
    response = as_("member").post("/g/garden/events", data=form(title="  Seed swap  "))
    (event,) = events()
    assert response.status_code == 302 and response.location.endswith(f"/g/garden/events/{event.id}")
    assert (event.title, event.location, event.group_id) == ("Seed swap", "Allotment gate", events_on.id)
    assert event.starts_at.strftime("%Y-%m-%dT%H:%M") == form()["starts_at"]
    assert db.session.scalars(db.select(Attendance.user_id)).all() == [people["member"].id]


@pytest.mark.parametrize(("field", "value", "message"), [
    ("title", " ", "Use between 1 and 120 characters."),
    ("title", "x" * 121, "Use between 1 and 120 characters."),
    ("starts_at", "", "This field is required."),
    ("starts_at", "next tuesday", "Enter a date and time, e.g. 2026-12-24 18:30."),
    ("starts_at", local(-timedelta(hours=1)), "Choose a time in the future."),
    ("location", "x" * 201, "Use at most 200 characters."),
])
def test_bad_input_is_shown_at_its_field_and_nothing_is_saved(events_on, as_, field, value, message):
    response = as_("member").post("/g/garden/events", data=form(**{field: value}))
    assert response.status_code == 400
    errors = response.text.split(f'id="{field}-error"', 1)[1].split("</ul>", 1)[0]
    assert f"<li>{message}</li>" in errors
    assert 'value="Allotment gate"' in response.text or field == "location"  # what was typed is kept
    assert events() == []


def test_a_missing_title_is_refused_in_german_for_a_german_member(events_on, make_user, add_member, login, app):
    erika = make_user("erika", locale="de")
    add_member(events_on, erika)
    data = form()
    del data["title"]
    response = login(app.test_client(), erika).post("/g/garden/events", data=data)
    assert "<li>Dieses Feld ist erforderlich.</li>" in response.text


def test_outsiders_of_a_public_group_see_events_but_add_none(events_on, as_):
    outsider = as_("outsider")
    assert "Add an event" not in outsider.get("/g/garden/events").text
    assert outsider.post("/g/garden/events", data=form()).status_code == 403
    assert events() == []


def test_group_admins_let_only_moderators_add_events(events_on, as_):
    saved = as_("owner").post("/g/garden/plugins/events/settings", data={"who_creates": "moderators",
                                                                        "reminder_hours": "24"})
    assert saved.status_code == 302
    assert "Add an event" not in as_("member").get("/g/garden/events").text
    assert as_("member").post("/g/garden/events", data=form()).status_code == 403
    assert as_("moderator").post("/g/garden/events", data=form()).status_code == 302


def test_a_reminder_setting_out_of_range_is_refused_at_its_field(events_on, as_, app):
    from core.plugin_api import get_group_settings

    refused = as_("owner").post("/g/garden/plugins/events/settings", data={"who_creates": "members",
                                                                          "reminder_hours": "500"})
    assert refused.status_code == 422
    assert "<li>Choose a number from 1 to 168.</li>" in refused.text.split('id="reminder_hours-error"', 1)[1]
    assert get_group_settings("events", events_on)["reminder_hours"] == 24


def test_only_group_admins_reach_the_settings(events_on, as_):
    assert as_("moderator").get("/g/garden/plugins/events/settings").status_code == 404
    assert as_("member").post("/g/garden/plugins/events/settings", data={"reminder_hours": "2"}).status_code == 404
