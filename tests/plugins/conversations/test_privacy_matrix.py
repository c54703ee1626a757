"""Who can open what: participants, other members, group moderators, site admins, visitors.

Every page and API route of a conversation answers 404 to everyone outside it – site admins
included (there is no admin way in to private messages) – and visitors are sent to log in.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from core.plugin_api import db
from plugins.conversations.models import Message

ROLES = ("participant", "other_member", "group_moderator", "site_admin", "visitor")


@pytest.fixture
def private_conversation(people, client_for):
    cid = client_for(people.alice).post("/api/v1/conversations", json={"recipients": ["bob", "carol"],
                                                                       "body": "just us"}).json["id"]
    mid = db.session.scalar(select(Message.id))
    return cid, mid


def _client(role, people, client_for, app, other_member=None):
    return {"participant": lambda: client_for(people.bob),
            "other_member": lambda: client_for(other_member or people.owner),
            "group_moderator": lambda: client_for(people.moderator), "site_admin": lambda: client_for(people.admin),
            "visitor": lambda: app.test_client()}[role]()


def _routes(cid: int, mid: int) -> list[tuple[str, str, dict | None]]:
    return [
        ("GET", f"/messages/{cid}", None),
        ("POST", f"/messages/{cid}/open", None),
        ("POST", f"/messages/{cid}/reply", {"body": "x"}),
        ("POST", f"/messages/{cid}/mute", {"muted": "1"}),
        ("POST", f"/messages/{cid}/messages/{mid}/delete", None),
        ("GET", f"/api/v1/conversations/{cid}", None),
        ("POST", f"/api/v1/conversations/{cid}/messages", {"body": "x"}),
        ("POST", f"/api/v1/conversations/{cid}/read", None),
        ("POST", f"/api/v1/conversations/{cid}/mute", {"muted": True}),
        ("DELETE", f"/api/v1/conversations/{cid}/messages/{mid}", None),
        ("GET", f"/report/conversation_message/{mid}", None),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_only_participants_reach_a_conversation(role, people, client_for, app, private_conversation):
    cid, mid = private_conversation
    client = _client(role, people, client_for, app)
    for method, url, body in _routes(cid, mid):
        kwargs = {"json": body} if url.startswith("/api/") and body is not None else {"data": body or {}}
        code = client.open(url, method=method, **kwargs).status_code
        if role == "participant":
            assert code < 400 or url.endswith("/delete") or url.endswith(f"/messages/{mid}"), (method, url, code)
        elif role == "visitor":
            assert code in (302, 401), (method, url, code)
        else:
            assert code == 404, (role, method, url, code)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_groups_team_reaches_its_team_inbox(role, people, client_for, app):
    cid = client_for(people.alice).post("/api/v1/groups/garden/team", json={"body": "help"}).json["id"]
    client = _client(role, people, client_for, app, other_member=people.carol)
    urls = [("GET", "/g/garden/team/"), ("GET", f"/g/garden/team/{cid}"),
            ("GET", "/api/v1/groups/garden/team-inbox"), ("GET", f"/api/v1/groups/garden/team-inbox/{cid}")]
    for method, url in urls:
        code = client.open(url, method=method).status_code
        if role == "group_moderator":
            assert code == 200, (url, code)
        elif role == "visitor":
            assert code in (302, 401), (url, code)
        else:
            assert code == 404, (role, url, code)


def test_the_admin_pages_do_not_list_private_messages(people, client_for, private_conversation):
    admin = client_for(people.admin)
    for url in ("/admin/", "/admin/plugins"):
        response = admin.get(url)
        assert "just us" not in response.get_data(as_text=True)


def test_private_messages_are_not_searchable(people, client_for, private_conversation):
    for person in (people.bob, people.admin):
        response = client_for(person).get("/search?q=just")
        assert "just us" not in response.get_data(as_text=True)
