"""Events are found by search where the viewer may see them, and only where events are on."""
from __future__ import annotations

from core.plugin_api import db, search

from commonground_events.content import CONTENT_TYPE


def found(viewer, words="seed swap") -> list[str]:
    from flask import current_app

    with current_app.test_request_context():
        return [hit.title for hit in search(viewer, words).items if hit.source == CONTENT_TYPE]


def test_a_member_finds_an_event_by_its_words(events_on, make_event, people):
    make_event(events_on, "Seed swap", description="Bring tomato seeds")
    assert found(people["member"], "tomato") == ["Seed swap"]


def test_the_search_page_links_to_the_event(events_on, make_event, as_):
    event = make_event(events_on, "Seed swap")
    page = as_("member").get("/search?q=seed").text
    assert f'href="/g/garden/events/{event.id}"' in page


def test_renamed_events_are_found_by_their_new_title(events_on, make_event, people):
    event = make_event(events_on, "Seed swap")
    event.title = "Bulb exchange"
    db.session.commit()
    assert found(people["member"], "bulb") == ["Bulb exchange"] and found(people["member"]) == []


def test_nothing_is_found_in_a_group_that_switched_events_off(events_on, make_event, people):
    from core.plugins import state

    make_event(events_on, "Seed swap")
    state.set_group_enabled("events", events_on, False)
    assert found(people["member"]) == []
    state.set_group_enabled("events", events_on, True)
    assert found(people["member"]) == ["Seed swap"]


def test_a_private_groups_events_are_found_by_members_only(events_on, make_event, people):
    make_event(events_on, "Seed swap")
    events_on.visibility = "private"
    db.session.commit()
    assert found(people["outsider"]) == [] and found(people["member"]) == ["Seed swap"]
