"""Group staff see the open conversations of their groups' team inboxes in the header."""
from __future__ import annotations

import re

from sqlalchemy import insert

from core.plugin_api import db
from plugins.conversations.models import OPEN, TEAM, Conversation

BADGE = re.compile(r'Team inboxes <span class="badge">([^<]+)</span>')


def _write(client_for, member, slug: str = "garden", body: str = "help please") -> int:
    response = client_for(member).post(f"/api/v1/groups/{slug}/team", json={"body": body})
    assert response.status_code == 201, response.json
    return response.json["id"]


def _badge(client) -> str | None:
    found = BADGE.search(client.get("/messages/").get_data(as_text=True))
    return found.group(1) if found else None


def test_moderators_and_owners_see_the_open_team_conversations(people, client_for):
    _write(client_for, people.alice)
    _write(client_for, people.bob)
    assert _badge(client_for(people.moderator)) == "2"
    assert _badge(client_for(people.owner)) == "2"


def test_answered_and_closed_conversations_are_not_counted(people, client_for):
    answered = _write(client_for, people.alice)
    closed = _write(client_for, people.bob)
    _write(client_for, people.carol)
    mod = client_for(people.moderator)
    mod.post(f"/api/v1/groups/garden/team-inbox/{answered}/messages", json={"body": "on it"})
    mod.post(f"/g/garden/team/{closed}/update", data={"status": "closed"})
    assert _badge(mod) == "1"


def test_a_member_writing_again_reopens_and_counts_again(people, client_for):
    cid = _write(client_for, people.alice)
    mod = client_for(people.moderator)
    mod.post(f"/api/v1/groups/garden/team-inbox/{cid}/messages", json={"body": "on it"})
    assert _badge(mod) is None
    _write(client_for, people.alice, body="one more thing")
    assert _badge(mod) == "1"


def test_members_who_are_not_on_a_team_see_no_team_inbox(people, client_for):
    _write(client_for, people.alice)
    html = client_for(people.bob).get("/messages/").get_data(as_text=True)
    assert "Team inboxes" not in html


def test_staff_of_another_group_do_not_count_this_groups_conversations(people, client_for):
    _write(client_for, people.alice)
    other = client_for(people.other_moderator)
    assert "Team inboxes" in other.get("/messages/").get_data(as_text=True)
    assert _badge(other) is None


def test_the_count_stops_at_99_plus(people, client_for):
    db.session.execute(insert(Conversation), [
        {"kind": TEAM, "group_id": people.group.id, "status": OPEN, "last_message_id": i} for i in range(1, 121)])
    db.session.commit()
    assert _badge(client_for(people.moderator)) == "99+"


def test_the_header_costs_the_same_for_few_and_many_open_conversations_and_writes_nothing(
        people, client_for, count_queries):
    mod = client_for(people.moderator)

    def statements() -> list[str]:
        mod.get("/messages/settings")
        with count_queries() as found:
            assert mod.get("/messages/settings").status_code == 200
        return list(found)

    _write(client_for, people.alice)
    few = statements()
    db.session.execute(insert(Conversation), [
        {"kind": TEAM, "group_id": people.group.id, "status": OPEN, "last_message_id": i} for i in range(1, 60)])
    db.session.commit()
    many = statements()
    assert len(many) == len(few)
    assert not [s for s in many if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


def test_the_team_inbox_page_lists_each_team_with_its_open_count(people, client_for, add_member):
    add_member(people.other_group, people.moderator, role="admin")
    _write(client_for, people.alice)
    _write(client_for, people.bob)
    html = client_for(people.moderator).get("/messages/team").get_data(as_text=True)
    assert "/g/garden/team/?status=open" in html and "2 open" in html
    assert "/g/kitchen/team/" in html and "Nothing open" in html


def test_the_team_inbox_page_tells_a_member_who_is_on_no_team(people, client_for):
    html = client_for(people.bob).get("/messages/team").get_data(as_text=True)
    assert "You are not on the team of any group." in html


def test_the_team_inbox_page_asks_visitors_to_log_in(people, client):
    response = client.get("/messages/team")
    assert response.status_code == 302 and "/login" in response.headers["Location"]

