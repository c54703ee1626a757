"""The inbox and a conversation cost the same number of queries for 2 or 40 conversations/messages.

The header's counts ride along in the statement that loads the member (``login_columns``): no
page here runs a badge statement of its own."""
from __future__ import annotations

import re


def _fill(people, client_for, conversations: int, messages: int, make_user, add_member, prefix: str = "a") -> int:
    bob = client_for(people.bob)
    cid = None
    for i in range(conversations):
        friend = make_user(f"friend{prefix}{i}")
        add_member(people.group, friend)
        response = client_for(friend).post("/api/v1/conversations", json={"recipients": ["bob"], "body": f"hi {i}"})
        cid = response.json["id"]
    for i in range(messages):
        bob.post(f"/api/v1/conversations/{cid}/messages", json={"body": f"message {i}"})
    return cid


def _count(client, url, count_queries) -> int:
    client.get(url)  # warm the plugin state and memos as a running worker has them
    with count_queries() as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_inbox_queries_do_not_grow_with_conversations(people, client_for, count_queries, make_user, add_member):
    _fill(people, client_for, 2, 0, make_user, add_member)
    bob = client_for(people.bob)
    few = _count(bob, "/messages/", count_queries)
    assert bob.get("/messages/").get_data(as_text=True).count("conversation-entry") == 2
    _fill(people, client_for, 12, 0, make_user, add_member, prefix="b")
    assert _count(bob, "/messages/", count_queries) == few
    assert bob.get("/messages/").get_data(as_text=True).count("conversation-entry") == 14
    assert few <= 4, few  # state version, login (with the badge counts), the page, its people
    print("queries:", few)


def test_conversation_queries_do_not_grow_with_messages(people, client_for, count_queries, make_user, add_member):
    cid = _fill(people, client_for, 1, 2, make_user, add_member)
    bob = client_for(people.bob)
    few = _count(bob, f"/messages/{cid}", count_queries)
    for i in range(20):
        bob.post(f"/api/v1/conversations/{cid}/messages", json={"body": f"more {i}"})
    assert _count(bob, f"/messages/{cid}", count_queries) == few
    assert bob.get(f"/messages/{cid}").get_data(as_text=True).count('class="message') >= 23
    assert few <= 5, few
    print("queries:", few)


def test_team_inbox_queries_do_not_grow_with_conversations(people, client_for, count_queries, make_user, add_member):
    """Staff (the moderator) and group admins (the owner, who also sees the signature form) alike: at most 5."""
    def write(n: int, prefix: str) -> None:
        for i in range(n):
            member = make_user(f"member{prefix}{i}")
            add_member(people.group, member)
            client_for(member).post("/api/v1/groups/garden/team", json={"body": "help"})

    write(2, "a")
    mod, owner = client_for(people.moderator), client_for(people.owner)
    few = {name: _count(client, "/g/garden/team/", count_queries) for name, client in (("mod", mod), ("owner", owner))}
    write(12, "b")
    many = {name: _count(client, "/g/garden/team/", count_queries) for name, client in (("mod", mod), ("owner", owner))}
    assert many == few
    assert few["mod"] <= 4 and few["owner"] <= 5, few
    html = owner.get("/g/garden/team/").get_data(as_text=True)
    assert len(re.findall(r'href="/g/garden/team/\d+"', html)) == 14
    print("team inbox queries:", few)
