"""The header badge's statement is built once per viewer and reused: what it counts must still
follow every block, unblock and plugin switch on the very next request."""
from __future__ import annotations

import re

import pytest

from core.plugins import state as plugin_state

BADGE = re.compile(r'Messages <span class="badge">([^<]+)</span>')


def _badge(client) -> str | None:
    found = BADGE.search(client.get("/").get_data(as_text=True))
    return found.group(1) if found else None


@pytest.fixture
def bob_has_a_message(people, send, client_for):
    assert send(people.alice, "bob", "hi").status_code == 302
    bob = client_for(people.bob)
    assert _badge(bob) == "1"
    assert _badge(bob) == "1"  # the second page reuses the statement built for the first
    return bob


def test_a_block_made_after_the_badge_was_shown_hides_it_on_the_next_page(people, client_for, bob_has_a_message):
    assert bob_has_a_message.post("/blocks", data={"user_id": people.alice.id}).status_code in (302, 303)
    assert _badge(bob_has_a_message) is None


def test_a_block_by_the_other_person_hides_it_too(people, client_for, bob_has_a_message):
    assert client_for(people.alice).post("/blocks", data={"user_id": people.bob.id}).status_code in (302, 303)
    assert _badge(bob_has_a_message) is None


def test_unblocking_brings_the_badge_back(people, client_for, bob_has_a_message):
    bob_has_a_message.post("/blocks", data={"user_id": people.alice.id})
    assert _badge(bob_has_a_message) is None
    assert bob_has_a_message.post(f"/blocks/{people.alice.id}/delete").status_code in (302, 303)
    assert _badge(bob_has_a_message) == "1"


def test_switching_reporting_off_and_on_changes_the_badge_on_the_next_page(app, people, bob_has_a_message):
    bob_has_a_message.post("/blocks", data={"user_id": people.alice.id})
    assert _badge(bob_has_a_message) is None
    with app.app_context():
        plugin_state.set_enabled("reporting", False)
    assert _badge(bob_has_a_message) == "1"
    with app.app_context():
        plugin_state.set_enabled("reporting", True)
    assert _badge(bob_has_a_message) is None


def test_each_viewer_gets_their_own_counts(people, send, client_for, bob_has_a_message):
    assert _badge(client_for(people.carol)) is None
    send(people.alice, "carol", "hello")
    send(people.bob, "carol", "hello too")
    assert _badge(client_for(people.carol)) == "2"
    assert _badge(bob_has_a_message) == "1"
