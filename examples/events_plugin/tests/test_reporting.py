"""An event is reportable content (``content_types``) – and only where events are on for its group."""
from __future__ import annotations

import pytest
from core.plugin_api import db


@pytest.fixture
def app_plugins():
    return ["commonground_events", "plugins.reporting"]


@pytest.fixture
def reporting_on(enable_plugin, events_on):
    enable_plugin("reporting")


def test_a_member_reports_an_event_from_its_page(reporting_on, events_on, make_event, people, as_):
    event = make_event(events_on, "Buy my seeds, cheap!", by=people["owner"])
    member = as_("member")
    page = member.get(f"/g/garden/events/{event.id}").text
    assert f'href="/report/events_event/{event.id}"' in page
    report_page = member.get(f"/report/events_event/{event.id}").text
    assert "Buy my seeds, cheap!" in report_page
    assert member.post(f"/report/events_event/{event.id}", data={"category": "spam"}).status_code == 302


def test_an_event_is_not_reportable_where_the_group_switched_events_off(reporting_on, events_on, make_event,
                                                                         people, as_):
    from core.plugins import state

    event = make_event(events_on, "Buy my seeds, cheap!", by=people["owner"])
    state.set_group_enabled("events", events_on, False)
    member = as_("member")
    assert member.get(f"/report/events_event/{event.id}").status_code == 404
    assert member.post(f"/report/events_event/{event.id}", data={"category": "spam"}).status_code == 404
    db.session.expire_all()


def test_outsiders_of_a_private_group_cannot_report_its_events(reporting_on, events_on, make_event, people, as_):
    event = make_event(events_on, by=people["owner"])
    events_on.visibility = "private"
    db.session.commit()
    assert as_("outsider").get(f"/report/events_event/{event.id}").status_code == 404
