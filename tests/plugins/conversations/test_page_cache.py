"""Messages on cached pages: a message retires only the pages of the people it concerns.

Two app instances share the database (and, in the Redis variant, Redis): A writes, B
(``core.testing``'s ``second_app``) serves cached group pages. The recipient's header badge
changes on B's next page; an unrelated member's cached page stays a cache hit. Every test runs
with the versions in the database and in Redis (``page_cache_store``).
"""
from __future__ import annotations

import re
from typing import Any

import pytest

MESSAGES = re.compile(r'Messages <span class="badge">([^<]+)</span>')
TEAM = re.compile(r'Team inboxes <span class="badge">([^<]+)</span>')
FEED = "/g/garden"


@pytest.fixture
def app_config(page_cache_config: dict[str, Any]) -> dict[str, Any]:
    return page_cache_config


@pytest.fixture
def reader(second_app, login, page_cache):
    """``reader(user)``: that person's browser on instance B, with ``cached()`` (views a page until
    B serves it from its cache, and checks it did) and ``hit()`` (the next view is a hit)."""
    pages = page_cache(second_app)

    class Reader:
        def __init__(self, user: Any) -> None:
            self.client = login(second_app.test_client(), user)

        def cached(self, url: str = FEED) -> str:
            for _ in range(3):
                self.client.get(url)
            return self.hit(url)

        def hit(self, url: str = FEED) -> str:
            hits, front = pages.hits, pages.front_hits
            response = self.client.get(url)
            assert response.status_code == 200
            assert pages.front_hits == front + 1, "the page was not served by B's front door"
            assert pages.hits == hits + 1, "the page was not served from B's cache"
            return response.text

        def next(self, url: str = FEED) -> str:
            response = self.client.get(url)
            assert response.status_code == 200
            return response.text

    return Reader


def _conversation_id() -> int:
    from core.plugin_api import db
    from plugins.conversations.models import Conversation

    return db.session.scalar(db.select(Conversation.id))


def _badge(pattern: re.Pattern, html: str) -> str | None:
    found = pattern.search(html)
    return found.group(1) if found else None


def test_a_message_shows_in_the_recipients_badge_on_their_next_cached_page(people, reader, send):
    bob = reader(people.bob)
    assert _badge(MESSAGES, bob.cached()) is None
    assert send(people.alice, "bob", "Hello Bob").status_code == 302
    assert _badge(MESSAGES, bob.next()) == "1"


def test_a_message_leaves_an_unrelated_members_cached_feed_a_hit(people, reader, send):
    carol = reader(people.carol)
    carol.cached()
    assert send(people.alice, "bob", "Hello Bob").status_code == 302
    carol.hit()


def test_a_reply_shows_to_the_other_participant_only(people, reader, send, client_for):
    assert send(people.alice, "bob", "Hello Bob").status_code == 302
    alice, carol = reader(people.alice), reader(people.carol)
    assert _badge(MESSAGES, alice.cached()) is None
    carol.cached()
    response = client_for(people.bob).post(f"/messages/{_conversation_id()}/reply", data={"body": "Hi Alice"})
    assert response.status_code == 302
    assert _badge(MESSAGES, alice.next()) == "1"
    carol.hit()


def test_reading_the_conversation_clears_the_badge_on_the_next_cached_page(people, reader, send, client_for):
    assert send(people.alice, "bob", "Hello Bob").status_code == 302
    bob = reader(people.bob)
    assert _badge(MESSAGES, bob.cached()) == "1"
    assert client_for(people.bob).post(f"/messages/{_conversation_id()}/open").status_code == 302
    assert _badge(MESSAGES, bob.next()) is None


def test_a_team_message_shows_in_the_staffs_badge_and_leaves_other_members_cached(people, reader, client_for):
    moderator, bob, other = reader(people.moderator), reader(people.bob), reader(people.other_moderator)
    assert _badge(TEAM, moderator.cached()) is None
    bob.cached(), other.cached("/g/kitchen")
    response = client_for(people.alice).post("/api/v1/groups/garden/team", json={"body": "help please"})
    assert response.status_code == 201
    assert _badge(TEAM, moderator.next()) == "1"
    bob.hit()  # a member of the group, not on its team
    other.hit("/g/kitchen")  # another group's team


def test_a_team_answer_clears_the_staffs_badge_and_shows_in_the_members(people, reader, client_for):
    response = client_for(people.alice).post("/api/v1/groups/garden/team", json={"body": "help please"})
    conversation_id = response.json["id"]
    owner, alice = reader(people.owner), reader(people.alice)
    assert _badge(TEAM, owner.cached()) == "1"
    assert _badge(MESSAGES, alice.cached()) is None
    answer = client_for(people.moderator).post(f"/api/v1/groups/garden/team-inbox/{conversation_id}/messages",
                                               json={"body": "on it"})
    assert answer.status_code in (200, 201)
    assert _badge(TEAM, owner.next()) is None
    assert _badge(MESSAGES, alice.next()) == "1"


def _due_for_deletion(conversation_id: int) -> None:
    """Untouched for 40 days, told 8 days ago (the retention job deletes it on its next run)."""
    from datetime import timedelta

    from core.plugin_api import db, utcnow
    from plugins.conversations.models import Conversation

    conversation = db.session.get(Conversation, conversation_id)
    conversation.last_activity_at = utcnow() - timedelta(days=40)
    conversation.retention_notice_at = utcnow() - timedelta(days=8)
    db.session.commit()


def test_the_retention_job_deleting_a_conversation_retires_only_its_peoples_pages(people, reader, send,
                                                                                   plugin_settings):
    from plugins.conversations.retention import delete_untouched

    plugin_settings("conversations", {"retention_days": 30})
    assert send(people.alice, "bob", "Hello Bob").status_code == 302
    _due_for_deletion(_conversation_id())
    bob, carol = reader(people.bob), reader(people.carol)
    assert _badge(MESSAGES, bob.cached()) == "1"
    carol.cached()
    assert delete_untouched() == (0, 1)
    assert _badge(MESSAGES, bob.next()) is None
    carol.hit()


def test_the_retention_job_with_nothing_to_do_retires_no_page(people, reader, send, plugin_settings):
    from plugins.conversations.retention import delete_untouched

    plugin_settings("conversations", {"retention_days": 30})
    assert send(people.alice, "bob", "Hello Bob").status_code == 302
    bob = reader(people.bob)
    bob.cached()
    assert delete_untouched() == (0, 0)
    bob.hit()
