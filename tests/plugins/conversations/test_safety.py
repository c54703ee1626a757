"""Blocks both ways, reports of one message, rate limits, and no way in for site admins."""
from __future__ import annotations

from sqlalchemy import select

from core.plugin_api import db
from plugins.conversations.models import Message


def _cid(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def _block(client_for, blocker, target) -> None:
    assert client_for(blocker).post("/blocks", data={"user_id": target.id}).status_code in (302, 303)


def test_a_block_hides_an_existing_conversation_from_both(people, send, client_for):
    cid = _cid(send(people.alice, "bob", "hi"))
    _block(client_for, people.bob, people.alice)
    for person in (people.alice, people.bob):
        client = client_for(person)
        assert client.get(f"/messages/{cid}").status_code == 404
        assert "No conversations yet." in client.get("/messages/").get_data(as_text=True)


def test_messaging_someone_who_blocked_you_gets_a_neutral_refusal(people, send, client_for):
    _block(client_for, people.bob, people.alice)
    response = send(people.alice, "bob", "hi")
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Bob B is not accepting messages from you." in text
    assert "block" not in text.split("<main")[1].lower()


def test_the_blocker_cannot_message_the_blocked_person_either(people, send, client_for):
    _block(client_for, people.bob, people.alice)
    assert send(people.bob, "alice", "hi").status_code == 422


def test_group_staff_still_reach_a_member_who_blocked_them_through_the_team_line(people, client_for):
    _block(client_for, people.alice, people.moderator)
    post = client_for(people.alice).post("/g/garden/team/write", data={"body": "help please"})
    cid = _cid(post)
    mod = client_for(people.moderator)
    assert mod.post(f"/g/garden/team/{cid}/reply", data={"body": "we are here"}).status_code == 302
    assert "we are here" in client_for(people.alice).get(f"/messages/{cid}").get_data(as_text=True)


def test_a_report_carries_only_the_reported_message(people, send, client_for):
    cid = _cid(send(people.alice, "bob", "first, harmless"))
    client_for(people.alice).post(f"/messages/{cid}/reply", data={"body": "second, nasty"})
    nasty = db.session.scalar(select(Message.id).where(Message.body_source == "second, nasty"))
    bob = client_for(people.bob)
    form = bob.get(f"/report/conversation_message/{nasty}")
    assert form.status_code == 200
    response = bob.post(f"/report/conversation_message/{nasty}", data={"category": "harassment"})
    assert response.status_code in (200, 302, 303), response.get_data(as_text=True)[:2000]
    from plugins.reporting.models import Case

    case = db.session.scalar(select(Case))
    assert "second, nasty" in case.snapshot
    assert "first, harmless" not in case.snapshot


def test_someone_outside_the_conversation_cannot_report_its_messages(people, send, client_for):
    _cid(send(people.alice, "bob", "private"))
    mid = db.session.scalar(select(Message.id))
    assert client_for(people.carol).get(f"/report/conversation_message/{mid}").status_code == 404


def test_new_accounts_may_start_fewer_conversations_per_hour(people, send, client_for, make_user):
    newcomer = make_user("newbie")
    client = client_for(newcomer)
    codes = [send(newcomer, name, "hi", client=client).status_code for name in ("alice", "bob", "carol", "owner")]
    assert codes == [302, 302, 302, 429]


def test_established_accounts_have_a_higher_limit(people, send, client_for, make_user):
    from datetime import timedelta

    from core.plugin_api import utcnow

    old = make_user("oldtimer", created_at=utcnow() - timedelta(days=400))
    client = client_for(old)
    codes = [send(old, name, "hi", client=client).status_code for name in ("alice", "bob", "carol", "owner")]
    assert codes == [302, 302, 302, 302]


def test_a_report_may_carry_the_three_messages_before_it_and_no_more(people, send, client_for):
    cid = _cid(send(people.alice, "bob", "m1"))
    alice = client_for(people.alice)
    for body in ("m2", "m3", "m4", "m5 nasty"):
        alice.post(f"/messages/{cid}/reply", data={"body": body})
    nasty = db.session.scalar(select(Message.id).where(Message.body_source == "m5 nasty"))
    client_for(people.bob).post(f"/report/conversation_message_context/{nasty}", data={"category": "harassment"})
    from plugins.reporting.models import Case

    snapshot = db.session.scalar(select(Case.snapshot))
    assert all(m in snapshot for m in ("m2", "m3", "m4", "m5 nasty"))
    assert "m1" not in snapshot
