""""Send a message" beside each member of a group's member list, only where a message would go through."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from core.plugin_api import db, utcnow
from plugins.conversations.models import Participant, Preference

LINK = re.compile(r'href="/messages/new\?to=([\w.-]+)"')


def _linked(client, slug: str = "garden") -> set[str]:
    response = client.get(f"/g/{slug}/members")
    assert response.status_code == 200
    return set(LINK.findall(response.get_data(as_text=True)))


def _prefer(user, choice: str) -> None:
    db.session.add(Preference(user_id=user.id, who_may_message=choice, email_content=True))
    db.session.commit()


def _block(client_for, blocker, target) -> None:
    assert client_for(blocker).post("/blocks", data={"user_id": target.id}).status_code in (302, 303)


def test_every_other_member_gets_a_message_link(people, client_for):
    assert _linked(client_for(people.alice)) == {"owner", "mod", "bob", "carol"}


def test_the_link_names_the_member_for_screen_readers_and_opens_the_form_addressed_to_them(people, client_for):
    alice = client_for(people.alice)
    html = alice.get("/g/garden/members").get_data(as_text=True)
    assert 'Send a message<span class="visually-hidden">: Bob B</span>' in html
    form = alice.get("/messages/new?to=bob").get_data(as_text=True)
    assert 'value="bob"' in form


def test_visitors_see_no_message_links(people, client):
    assert not LINK.findall(client.get("/g/garden/members").get_data(as_text=True))


def test_no_link_beside_someone_who_blocked_me_or_whom_i_blocked(people, client_for):
    _block(client_for, people.bob, people.alice)
    _block(client_for, people.alice, people.carol)
    assert _linked(client_for(people.alice)) == {"owner", "mod"}
    assert "alice" not in _linked(client_for(people.bob))


def test_no_link_beside_someone_who_accepts_no_new_conversations(people, client_for):
    _prefer(people.bob, "nobody")
    assert "bob" not in _linked(client_for(people.alice))


def test_a_link_beside_someone_whose_messages_land_in_requests(people, client_for, send):
    _prefer(people.bob, "talked")
    assert "bob" in _linked(client_for(people.alice))
    assert send(people.alice, "bob", "hello").status_code == 302


def test_no_link_beside_a_suspended_member(people, client_for):
    people.bob.suspended_at = utcnow()
    db.session.commit()
    assert "bob" not in _linked(client_for(people.alice))


def test_no_link_while_a_declined_request_cools_down_and_one_after(people, client_for, send):
    cid = int(send(people.stranger, "alice", "hi").headers["Location"].rsplit("/", 1)[-1])
    client_for(people.alice).post(f"/messages/{cid}/decline")
    stranger = client_for(people.stranger)
    assert "alice" not in _linked(stranger)
    part = db.session.scalar(select(Participant).where(Participant.user_id == people.alice.id))
    part.state_changed_at -= timedelta(days=31)
    db.session.commit()
    assert "alice" in _linked(stranger)


def test_a_link_is_shown_exactly_where_the_message_would_be_accepted(people, client_for, send):
    _prefer(people.carol, "nobody")
    _prefer(people.owner, "talked")
    _block(client_for, people.moderator, people.alice)
    alice = client_for(people.alice)
    linked = _linked(alice)
    for member in ("owner", "mod", "bob", "carol"):
        status = send(people.alice, member, "hello", client=alice).status_code
        assert (status == 302) == (member in linked), (member, status)


def test_no_link_when_the_plugin_is_off(people, client_for):
    from core.plugins import state as plugin_state

    plugin_state.set_enabled("conversations", False)
    assert _linked(client_for(people.alice)) == set()


def test_the_member_list_costs_the_same_queries_for_few_and_many_members(people, client_for, make_user, add_member,
                                                                      count_queries):
    alice = client_for(people.alice)

    def queries() -> int:
        alice.get("/g/garden/members")
        with count_queries() as found:
            assert alice.get("/g/garden/members").status_code == 200
        return len(found)

    few = queries()
    for i in range(20):
        member = make_user(f"many{i}")
        add_member(people.group, member)
        if i % 3 == 0:
            _prefer(member, "nobody")
    assert queries() == few
    assert len(_linked(alice)) == 4 + 20 - 7


def test_the_profile_link_follows_the_same_rules(people, client_for):
    alice = client_for(people.alice)
    assert "/messages/new?to=bob" in alice.get("/u/bob").get_data(as_text=True)
    _prefer(people.bob, "nobody")
    assert "/messages/new?to=bob" not in alice.get("/u/bob").get_data(as_text=True)
    assert "/messages/new?to=alice" not in alice.get("/u/alice").get_data(as_text=True)
