"""One-to-one and group conversations between members: start, read, reply, mute, leave, delete."""
from __future__ import annotations

from sqlalchemy import select

from core.plugin_api import db
from plugins.conversations.models import Conversation, Message, Participant


def _conversation_id(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def test_member_messages_another_who_shares_a_group_and_it_lands_in_their_inbox(people, send, client_for):
    cid = _conversation_id(send(people.alice, "bob", "Hello **Bob**"))
    inbox = client_for(people.bob).get("/messages/").get_data(as_text=True)
    assert "Alice A" in inbox
    page = client_for(people.bob).get(f"/messages/{cid}").get_data(as_text=True)
    assert "<strong>Bob</strong>" in page


def test_the_header_shows_the_number_of_unread_conversations(people, send, client_for):
    send(people.alice, "bob", "one")
    send(people.carol, "bob", "two")
    page = client_for(people.bob).get("/messages/").get_data(as_text=True)
    assert 'Messages <span class="badge">2</span>' in page


def test_opening_a_conversation_marks_it_read_and_a_get_writes_nothing(people, send, client_for):
    cid = _conversation_id(send(people.alice, "bob", "hi"))
    bob = client_for(people.bob)
    bob.get(f"/messages/{cid}")
    part = db.session.scalar(select(Participant).where(Participant.user_id == people.bob.id))
    assert part.last_read_id == 0
    bob.post(f"/messages/{cid}/open")
    db.session.expire_all()
    part = db.session.scalar(select(Participant).where(Participant.user_id == people.bob.id))
    assert part.last_read_id > 0


def test_a_reply_appears_for_both(people, send, client_for):
    cid = _conversation_id(send(people.alice, "bob", "hi"))
    assert client_for(people.bob).post(f"/messages/{cid}/reply", data={"body": "hello back"}).status_code == 302
    assert "hello back" in client_for(people.alice).get(f"/messages/{cid}").get_data(as_text=True)


def test_writing_again_to_the_same_person_continues_the_one_to_one_conversation(people, send):
    first = _conversation_id(send(people.alice, "bob", "one"))
    second = _conversation_id(send(people.alice, "bob", "two"))
    assert first == second


def test_a_small_group_conversation_reaches_everyone(people, send, client_for):
    cid = _conversation_id(send(people.alice, "bob, carol", "all of us", subject="Plans"))
    for person in (people.bob, people.carol):
        assert "all of us" in client_for(person).get(f"/messages/{cid}").get_data(as_text=True)


def test_markdown_is_sanitized_at_save_and_remote_images_are_never_loaded(people, send):
    send(people.alice, "bob", "<script>alert(1)</script> ![pixel](https://tracker.example/p.gif)")
    message = db.session.scalar(select(Message))
    assert "<script" not in message.body_html
    assert "<img" not in message.body_html
    assert 'href="https://tracker.example/p.gif"' in message.body_html


def test_mute_keeps_a_conversation_out_of_the_unread_count(people, send, client_for):
    from plugins.conversations.access import counts

    cid = _conversation_id(send(people.alice, "bob", "hi"))
    client_for(people.bob).post(f"/messages/{cid}/mute", data={"muted": "1"})
    send(people.alice, "bob", "again")
    assert counts(people.bob)[:2] == (0, 0)


def test_leaving_a_group_conversation_removes_it_from_the_inbox(people, send, client_for):
    cid = _conversation_id(send(people.alice, "bob, carol", "all of us"))
    bob = client_for(people.bob)
    assert bob.post(f"/messages/{cid}/leave").status_code == 302
    assert bob.get(f"/messages/{cid}").status_code == 404
    assert "all of us" in client_for(people.carol).get(f"/messages/{cid}").get_data(as_text=True)


def test_a_one_to_one_conversation_cannot_be_left(people, send, client_for):
    cid = _conversation_id(send(people.alice, "bob", "hi"))
    assert client_for(people.bob).post(f"/messages/{cid}/leave").status_code == 404


def test_deleting_my_message_shows_it_as_deleted(people, send, client_for):
    cid = _conversation_id(send(people.alice, "bob", "oops, wrong text"))
    mid = db.session.scalar(select(Message.id))
    assert client_for(people.alice).post(f"/messages/{cid}/messages/{mid}/delete").status_code == 302
    page = client_for(people.bob).get(f"/messages/{cid}").get_data(as_text=True)
    assert "oops" not in page
    assert "This message was deleted." in page


def test_nobody_can_delete_someone_elses_message(people, send, client_for):
    cid = _conversation_id(send(people.alice, "bob", "mine"))
    mid = db.session.scalar(select(Message.id))
    assert client_for(people.bob).post(f"/messages/{cid}/messages/{mid}/delete").status_code == 404
    assert db.session.get(Message, mid).deleted_at is None


def test_ids_of_deleted_conversations_are_never_reused(people, send):
    first = _conversation_id(send(people.alice, "bob", "hi"))
    db.session.delete(db.session.get(Conversation, first))
    db.session.commit()
    assert _conversation_id(send(people.alice, "bob", "hi again")) > first


def test_the_plugins_stylesheet_is_on_its_own_pages_only(people, client_for):
    alice = client_for(people.alice)
    assert "/messages/static/conversations.css" in alice.get("/messages/").get_data(as_text=True)
    assert alice.get("/messages/static/conversations.css").status_code == 200
    assert "conversations.css" not in alice.get("/g/garden").get_data(as_text=True)
