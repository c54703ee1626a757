"""Message requests, who may message me, the cool-down after a decline, and refusals with reasons."""
from __future__ import annotations

from datetime import timedelta

import pytest
from marshmallow import ValidationError
from sqlalchemy import select

from core.plugin_api import db
from plugins.conversations.models import DECLINED, REQUEST, Participant, Preference


def _cid(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def _state(user) -> str:
    return db.session.scalar(select(Participant.state).where(Participant.user_id == user.id))


def _prefer(user, choice: str) -> None:
    db.session.add(Preference(user_id=user.id, who_may_message=choice, email_content=True))
    db.session.commit()


def test_a_strangers_message_lands_in_requests_not_the_inbox(people, send, client_for):
    _cid(send(people.stranger, "alice", "hello from outside"))
    alice = client_for(people.alice)
    assert "Sam Stranger" not in alice.get("/messages/").get_data(as_text=True)
    assert "Sam Stranger" in alice.get("/messages/requests").get_data(as_text=True)


def test_links_and_images_are_inactive_in_a_request(people, send, client_for):
    cid = _cid(send(people.stranger, "alice", "see [this](https://spam.example) ![x](https://t.example/x.gif)"))
    page = client_for(people.alice).get(f"/messages/{cid}").get_data(as_text=True)
    assert "https://spam.example" not in page
    assert "https://t.example" not in page
    assert "this" in page


def test_accepting_a_request_moves_it_to_the_inbox_with_links_active(people, send, client_for):
    cid = _cid(send(people.stranger, "alice", "see [this](https://ok.example)"))
    alice = client_for(people.alice)
    assert alice.post(f"/messages/{cid}/accept").status_code == 302
    assert "Sam Stranger" in alice.get("/messages/").get_data(as_text=True)
    assert 'href="https://ok.example"' in alice.get(f"/messages/{cid}").get_data(as_text=True)


def test_declining_hides_the_request_and_the_sender_is_not_told(people, send, client_for):
    cid = _cid(send(people.stranger, "alice", "hi"))
    client_for(people.alice).post(f"/messages/{cid}/decline")
    assert client_for(people.alice).get(f"/messages/{cid}").status_code == 404
    sender_page = client_for(people.stranger).get(f"/messages/{cid}").get_data(as_text=True)
    assert "declin" not in sender_page.lower()


def test_a_declined_request_resent_within_the_cool_down_is_refused(people, send, client_for):
    cid = _cid(send(people.stranger, "alice", "hi"))
    client_for(people.alice).post(f"/messages/{cid}/decline")
    response = send(people.stranger, "alice", "hi again")
    assert response.status_code == 422
    assert "you can send another request after" in response.get_data(as_text=True)


def test_after_the_cool_down_a_new_request_may_be_sent(people, send, client_for):
    cid = _cid(send(people.stranger, "alice", "hi"))
    client_for(people.alice).post(f"/messages/{cid}/decline")
    part = db.session.scalar(select(Participant).where(Participant.user_id == people.alice.id))
    part.state_changed_at -= timedelta(days=31)
    db.session.commit()
    assert _cid(send(people.stranger, "alice", "hi after a month")) == cid
    assert _state(people.alice) == REQUEST


def test_someone_i_answered_before_reaches_my_inbox_directly(people, send, client_for):
    cid = _cid(send(people.stranger, "alice", "hi"))
    client_for(people.alice).post(f"/messages/{cid}/reply", data={"body": "hello"})
    _cid(send(people.stranger, "alice, bob", "a group chat"))
    states = dict(db.session.execute(select(Participant.user_id, Participant.state)
                                     .where(Participant.conversation_id != cid)).all())
    assert states[people.alice.id] == "active"
    assert states[people.bob.id] == REQUEST


def test_with_only_people_i_talked_to_even_group_members_land_in_requests(people, send):
    _prefer(people.bob, "talked")
    _cid(send(people.alice, "bob", "hi"))
    assert _state(people.bob) == REQUEST


def test_someone_who_allows_nobody_cannot_be_messaged(people, send):
    _prefer(people.bob, "nobody")
    response = send(people.alice, "bob", "hi")
    assert response.status_code == 422
    assert "Bob B does not accept new conversations." in response.get_data(as_text=True)


def test_messaging_yourself_is_refused(people, send):
    response = send(people.alice, "alice", "hi me")
    assert response.status_code == 422
    assert "You cannot send a message to yourself." in response.get_data(as_text=True)


def test_more_people_than_the_limit_is_refused(people, send, plugin_settings):
    plugin_settings("conversations", {"max_participants": 3})
    response = send(people.alice, "bob, carol, owner", "too many")
    assert response.status_code == 422
    assert "at most 3 people" in response.get_data(as_text=True)


def test_up_to_the_site_set_limit_is_accepted(people, send, plugin_settings):
    plugin_settings("conversations", {"max_participants": 3})
    assert send(people.alice, "bob, carol", "just right").status_code == 302


def test_the_limit_itself_is_validated(plugin_settings):
    with pytest.raises(ValidationError, match="max_participants"):
        plugin_settings("conversations", {"max_participants": 1})


def test_an_empty_message_is_refused_next_to_the_field(people, send):
    response = send(people.alice, "bob", "   ")
    assert response.status_code == 422
    assert 'id="body-error"' in response.get_data(as_text=True)


def test_an_overlong_message_is_refused(people, send):
    response = send(people.alice, "bob", "x" * 10001)
    assert response.status_code == 422
    assert "Write between 1 and 10000 characters." in response.get_data(as_text=True)


def test_an_unknown_recipient_is_named(people, send):
    response = send(people.alice, "bob, nobodyhere", "hi")
    assert response.status_code == 422
    assert "Nobody is called nobodyhere." in response.get_data(as_text=True)


def test_message_settings_are_saved(people, client_for):
    client = client_for(people.alice)
    assert client.post("/messages/settings", data={"who_may_message": "talked"}).status_code == 302
    pref = db.session.scalar(select(Preference).where(Preference.user_id == people.alice.id))
    assert (pref.who_may_message, pref.email_content) == ("talked", False)


def test_an_invalid_setting_is_refused_next_to_the_field(people, client_for):
    response = client_for(people.alice).post("/messages/settings", data={"who_may_message": "everyone"})
    assert response.status_code == 422
    assert 'id="who_may_message-error"' in response.get_data(as_text=True)


def test_a_declined_request_is_kept_as_declined(people, send, client_for):
    cid = _cid(send(people.stranger, "alice", "hi"))
    client_for(people.alice).post(f"/messages/{cid}/decline")
    assert _state(people.alice) == DECLINED
