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


def _routes(cid: int, mid: int) -> list[tuple[str, str, dict | None, bool]]:
    """Every route of one conversation: (method, url, body, whether the participant Bob may use it).

    Bob is an active participant: accepting or declining (requests only) is 404 for him too, and
    leaving comes last, as it ends his place (the API's leave then finds nothing to leave)."""
    return [
        ("GET", f"/messages/{cid}", None, True),
        ("POST", f"/messages/{cid}/open", None, True),
        ("POST", f"/messages/{cid}/reply", {"body": "x"}, True),
        ("POST", f"/messages/{cid}/mute", {"muted": "1"}, True),
        ("POST", f"/messages/{cid}/messages/{mid}/delete", None, False),
        ("POST", f"/messages/{cid}/accept", None, False),
        ("POST", f"/messages/{cid}/decline", None, False),
        ("GET", f"/api/v1/conversations/{cid}", None, True),
        ("POST", f"/api/v1/conversations/{cid}/messages", {"body": "x"}, True),
        ("POST", f"/api/v1/conversations/{cid}/read", None, True),
        ("POST", f"/api/v1/conversations/{cid}/mute", {"muted": True}, True),
        ("DELETE", f"/api/v1/conversations/{cid}/messages/{mid}", None, False),
        ("POST", f"/api/v1/conversations/{cid}/accept", None, False),
        ("POST", f"/api/v1/conversations/{cid}/decline", None, False),
        ("GET", f"/report/conversation_message/{mid}", None, True),
        ("POST", f"/messages/{cid}/leave", None, True),
        ("POST", f"/api/v1/conversations/{cid}/leave", None, False),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_only_participants_reach_a_conversation(role, people, client_for, app, private_conversation):
    cid, mid = private_conversation
    client = _client(role, people, client_for, app)
    for method, url, body, participant_may in _routes(cid, mid):
        kwargs = {"json": body} if url.startswith("/api/") and body is not None else {"data": body or {}}
        code = client.open(url, method=method, **kwargs).status_code
        if role == "participant":
            assert (code < 400) == participant_may and code < 500, (method, url, code)
        elif role == "visitor":
            assert code in (302, 401), (method, url, code)
        else:
            assert code == 404, (role, method, url, code)


@pytest.mark.parametrize("role", (*ROLES, "sender"))
def test_only_the_recipient_answers_a_request(role, people, client_for, app):
    """Sam's request to Alice: only Alice sees and accepts (or declines) it; Sam sees his own side."""
    cid = client_for(people.stranger).post("/api/v1/conversations", json={"recipients": ["alice"],
                                                                          "body": "hello"}).json["id"]
    client = (client_for(people.alice) if role == "participant" else client_for(people.stranger) if role == "sender"
              else _client(role, people, client_for, app))
    routes = [("GET", f"/messages/{cid}"), ("GET", f"/api/v1/conversations/{cid}"),
              ("POST", f"/api/v1/conversations/{cid}/accept"), ("POST", f"/messages/{cid}/decline")]
    for method, url in routes:
        code = client.open(url, method=method).status_code
        if role == "participant":  # once accepted, it is no longer a request to decline
            assert (code < 400) == (not url.endswith("/decline")), (url, code)
        elif role == "sender":
            assert (code < 400) == (method == "GET"), (url, code)
        elif role == "visitor":
            assert code in (302, 401), (url, code)
        else:
            assert code == 404, (role, url, code)


@pytest.mark.parametrize("role", ROLES)
def test_a_conversation_is_listed_only_for_its_participants(role, people, client_for, app, private_conversation):
    client = _client(role, people, client_for, app)
    for url in ("/messages/", "/api/v1/conversations"):
        response = client.get(url)
        listed = "Alice A" in response.get_data(as_text=True)
        if role == "visitor":
            assert response.status_code in (302, 401)
        else:
            assert listed == (role == "participant"), (role, url)


TEAM_ROLES = (*ROLES, "other_group_moderator", "group_owner")


@pytest.mark.parametrize("role", TEAM_ROLES)
def test_only_the_groups_team_reaches_its_team_inbox(role, people, client_for, app, make_post):
    cid = client_for(people.alice).post("/api/v1/groups/garden/team", json={"body": "help"}).json["id"]
    post = make_post(people.group, people.bob, "a heated post")
    client = {"other_group_moderator": lambda: client_for(people.other_moderator),
              "group_owner": lambda: client_for(people.owner)}.get(
        role, lambda: _client(role, people, client_for, app, other_member=people.carol))()
    staff = role in ("group_moderator", "group_owner")
    urls = [("GET", "/g/garden/team/", None), ("GET", f"/g/garden/team/{cid}", None),
            ("POST", f"/g/garden/team/{cid}/reply", {"body": "we are on it"}),
            ("POST", f"/g/garden/team/{cid}/update", {"status": "closed"}),
            ("GET", f"/g/garden/team/posts/{post.id}/take-private", None),
            ("GET", "/api/v1/groups/garden/team-inbox", None), ("GET", f"/api/v1/groups/garden/team-inbox/{cid}", None),
            ("POST", f"/api/v1/groups/garden/team-inbox/{cid}/messages", {"body": "api answer"})]
    for method, url, body in urls:
        kwargs = {"json": body} if url.startswith("/api/") and body is not None else {"data": body or {}}
        code = client.open(url, method=method, **kwargs).status_code
        if staff:
            assert code in (200, 201, 302), (url, code)
        elif role == "visitor":
            assert code in (302, 401), (url, code)
        else:
            assert code == 404, (role, url, code)
    signature = client.post("/g/garden/team/signature", data={"sign_as_team": "on"}).status_code
    assert signature == (302 if role in ("group_owner", "visitor") else 404), (role, signature)


def test_the_admin_pages_do_not_list_private_messages(people, client_for, private_conversation):
    admin = client_for(people.admin)
    for url in ("/admin/", "/admin/plugins"):
        response = admin.get(url)
        assert "just us" not in response.get_data(as_text=True)


def test_private_messages_are_not_searchable(people, client_for, private_conversation):
    for person in (people.bob, people.admin):
        response = client_for(person).get("/search?q=just")
        assert "just us" not in response.get_data(as_text=True)
