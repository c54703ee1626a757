"""The header's "Messages" badge is read by the statement that loads the member (``login_columns``),
and still by a statement of its own where that statement did not read it."""
from __future__ import annotations

import re

from plugins.conversations import access

BADGE = re.compile(r'Messages <span class="badge">([^<]+)</span>')


def _badge(client) -> str | None:
    found = BADGE.search(client.get("/g/garden").get_data(as_text=True))
    return found.group(1) if found else None


def _write_to_bob(client_for, people) -> int:
    response = client_for(people.alice).post("/api/v1/conversations", json={"recipients": ["bob"], "body": "hi"})
    assert response.status_code == 201, response.json
    return response.json["id"]


def test_the_badge_is_counted_by_the_login_statement(people, client_for, count_queries):
    _write_to_bob(client_for, people)
    bob = client_for(people.bob)
    bob.get("/g/garden")
    with count_queries() as statements:
        assert _badge(bob) == "1"
    counting = [s for s in statements if "conversations_participants" in s]
    assert len(counting) == 1 and "AS cg_u_id" in counting[0]


def test_reading_the_conversation_clears_the_badge_on_the_next_request(people, client_for):
    cid = _write_to_bob(client_for, people)
    bob = client_for(people.bob)
    assert _badge(bob) == "1"
    bob.post(f"/messages/{cid}/open")
    assert _badge(bob) is None


def test_without_the_login_statements_values_the_badge_counts_itself(people, client_for, monkeypatch):
    _write_to_bob(client_for, people)
    monkeypatch.setattr(access, "login_values", lambda plugin_id, user: None)
    assert _badge(client_for(people.bob)) == "1"
