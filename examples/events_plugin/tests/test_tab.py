"""The Events tab lives inside the group's header and tabs, only where the group switched it on."""
from __future__ import annotations

import re


def test_tab_and_page_exist_only_in_groups_that_switched_events_on(enable_plugin, group, make_group, as_):
    enable_plugin("events")
    member = as_("member")
    assert 'href="/g/garden/events"' not in member.get("/g/garden").text
    assert member.get("/g/garden/events").status_code == 404
    enable_plugin("events", group=group)
    assert 'href="/g/garden/events"' in member.get("/g/garden").text
    assert member.get("/g/garden/events").status_code == 200
    elsewhere = make_group(slug="chess")
    assert member.get(f"/g/{elsewhere.slug}/events").status_code == 404


def test_page_has_the_group_header_with_the_viewers_role_and_its_tab_current(events_on, as_):
    page = as_("moderator").get("/g/garden/events").text
    assert '<h1><a href="/g/garden">Garden club</a></h1>' in page
    assert "You are a moderator here" in page
    tabs = re.search(r'<ul class="tabs">.*?</ul>', page, re.S).group(0)
    assert '<a href="/g/garden/events" aria-current="page">Events</a>' in tabs
    assert "<title>Events · Garden club" in page


def test_an_events_page_keeps_the_events_tab_current(events_on, make_event, as_):
    event = make_event(events_on)
    page = as_("member").get(f"/g/garden/events/{event.id}").text
    assert '<a href="/g/garden/events" aria-current="page">Events</a>' in page


def test_upcoming_events_are_listed_soonest_first_with_who_goes(events_on, make_event, people, as_):
    make_event(events_on, "Pruning workshop", hours=72)
    make_event(events_on, "Seed swap", hours=24, going=(people["member"], people["owner"]))
    make_event(events_on, "Last year's fair", hours=-24)
    page = as_("member").get("/g/garden/events").text
    assert page.index("Seed swap") < page.index("Pruning workshop")
    assert "Last year" not in page
    assert "2 going" in page and "You are going" in page


def test_later_events_are_on_the_next_page(events_on, make_event, as_):
    for n in range(23):
        make_event(events_on, f"Meeting {n:02d}", hours=24 + n)
    member = as_("member")
    first = member.get("/g/garden/events").text
    assert "Meeting 00" in first and "Meeting 19" in first and "Meeting 20" not in first
    following = re.search(r'href="(/g/garden/events\?after=[^"]+)" rel="next"', first).group(1)
    second = member.get(following.replace("&amp;", "&")).text
    assert "Meeting 20" in second and "Meeting 22" in second and "Meeting 19" not in second


def test_a_made_up_page_link_is_a_bad_request(events_on, as_):
    for after in ("tomorrow", "1.99999999999", "999999999999999999999.1"):
        assert as_("member").get(f"/g/garden/events?after={after}").status_code == 400


def test_a_private_groups_events_are_404_for_outsiders(events_on, make_event, as_):
    event = make_event(events_on)
    events_on.visibility = "private"
    from core.plugin_api import db

    db.session.commit()
    assert as_("outsider").get("/g/garden/events").status_code == 404
    assert as_("outsider").get(f"/g/garden/events/{event.id}").status_code == 404
    assert as_("member").get(f"/g/garden/events/{event.id}").status_code == 200


def test_another_groups_event_is_404_here(events_on, make_group, make_event, enable_plugin, as_):
    other = make_group(slug="chess")
    enable_plugin("events", group=other)
    event = make_event(other)
    assert as_("member").get(f"/g/garden/events/{event.id}").status_code == 404


def test_sidebar_shows_the_next_event_where_events_are_on(events_on, make_event, as_):
    make_event(events_on, "Seed swap", hours=30)
    assert "Next event" in as_("member").get("/g/garden").text


def test_a_german_member_reads_the_tab_in_german(events_on, make_user, add_member, login, app):
    erika = make_user("erika", locale="de")
    add_member(events_on, erika)
    page = login(app.test_client(), erika).get("/g/garden/events").text
    assert "Veranstaltungen" in page and "Veranstaltung hinzufügen" in page


def test_the_api_lists_upcoming_events_where_events_are_on(events_on, make_event, as_):
    from core.plugins import state

    event = make_event(events_on, "Seed swap")
    listed = as_("member").get("/api/v1/groups/garden/events").get_json()
    assert [(e["id"], e["title"]) for e in listed["items"]] == [(event.id, "Seed swap")] and listed["next"] is None
    state.set_group_enabled("events", events_on, False)
    assert as_("member").get("/api/v1/groups/garden/events").status_code == 404
