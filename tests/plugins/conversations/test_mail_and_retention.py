"""Mail about new messages (one per conversation per interval, no text when asked) and retention."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from core.plugin_api import db, utcnow, who_wants_email
from plugins.conversations.mail import KIND, send_new_message_mail
from plugins.conversations.models import Conversation, Participant, Preference
from plugins.conversations.retention import delete_untouched


def _start(client_for, sender, to, body):
    return client_for(sender).post("/api/v1/conversations", json={"recipients": [to], "body": body}).json["id"]


def test_one_mail_per_conversation_per_interval(people, client_for, outbox):
    cid = _start(client_for, people.alice, "bob", "first secret words")
    assert send_new_message_mail() == 1
    client_for(people.alice).post(f"/api/v1/conversations/{cid}/messages", json={"body": "second"})
    assert send_new_message_mail() == 0
    mails = [m for m in outbox() if m.to_addr == people.bob.email]
    assert len(mails) == 1
    assert "Alice A" in mails[0].subject and "first secret words" in mails[0].body_text


def test_after_the_interval_a_new_message_mails_again(people, client_for, outbox):
    cid = _start(client_for, people.alice, "bob", "first")
    send_new_message_mail()
    part = db.session.scalar(select(Participant).where(Participant.user_id == people.bob.id))
    part.last_emailed_at = utcnow() - timedelta(hours=2)
    db.session.commit()
    client_for(people.alice).post(f"/api/v1/conversations/{cid}/messages", json={"body": "second"})
    assert send_new_message_mail() == 1


def test_no_message_text_in_mail_when_the_member_chose_so(people, client_for, outbox):
    db.session.add(Preference(user_id=people.bob.id, who_may_message="groups", email_content=False))
    db.session.commit()
    _start(client_for, people.alice, "bob", "very private words")
    send_new_message_mail()
    (mail,) = [m for m in outbox() if m.to_addr == people.bob.email]
    assert "very private words" not in mail.body_text + (mail.body_html or "") + mail.subject


def test_mail_comes_in_the_readers_language(people, client_for, outbox):
    people.bob.locale = "de"
    db.session.commit()
    _start(client_for, people.alice, "bob", "hallo")
    send_new_message_mail()
    (mail,) = [m for m in outbox() if m.to_addr == people.bob.email]
    assert "Neue Nachricht von Alice A" in mail.subject


def test_muted_conversations_and_requests_send_no_mail(people, client_for, outbox):
    cid = _start(client_for, people.alice, "bob", "hi")
    client_for(people.bob).post(f"/api/v1/conversations/{cid}/mute", json={"muted": True})
    _start(client_for, people.stranger, "carol", "a request")
    assert send_new_message_mail() == 0


def test_untouched_conversations_get_notice_then_are_deleted(people, client_for, plugin_settings):
    plugin_settings("conversations", {"retention_days": 30})
    cid = _start(client_for, people.alice, "bob", "old")
    conversation = db.session.get(Conversation, cid)
    conversation.last_activity_at = utcnow() - timedelta(days=40)
    db.session.commit()
    assert delete_untouched() == (1, 0)
    assert "will be deleted on" in client_for(people.bob).get("/notifications/").get_data(as_text=True)
    conversation = db.session.get(Conversation, cid)
    conversation.retention_notice_at = utcnow() - timedelta(days=8)
    db.session.commit()
    assert delete_untouched() == (0, 1)
    db.session.expire_all()
    assert db.session.get(Conversation, cid) is None


def test_writing_after_the_notice_keeps_the_conversation(people, client_for, plugin_settings):
    plugin_settings("conversations", {"retention_days": 30})
    cid = _start(client_for, people.alice, "bob", "old")
    conversation = db.session.get(Conversation, cid)
    conversation.last_activity_at = utcnow() - timedelta(days=40)
    conversation.retention_notice_at = utcnow() - timedelta(days=8)
    db.session.commit()
    client_for(people.bob).post(f"/api/v1/conversations/{cid}/messages", json={"body": "keep it"})
    delete_untouched()
    db.session.expire_all()
    assert db.session.get(Conversation, cid) is not None


def _email_choices(client, **changes: bool) -> None:
    """Save core's notification email settings with every kind on except those set to False."""
    html = client.get("/notifications/settings").get_data(as_text=True)
    kinds = set(re.findall(r'type="checkbox"[^>]*name="([\w.]+)"', html)) | set(
        re.findall(r'name="([\w.]+)"[^>]*type="checkbox"', html))
    assert KIND in kinds, "conversation mail is one of core's email choices"
    data = {kind: "on" for kind in kinds if changes.get(kind, True)}
    assert client.post("/notifications/settings", data=data).status_code == 302


def test_conversation_mail_is_a_choice_on_cores_notification_settings(people, client_for):
    html = client_for(people.bob).get("/notifications/settings").get_data(as_text=True)
    assert "New private messages" in html


def test_switching_it_off_in_notification_settings_stops_the_mail(people, client_for, outbox):
    _email_choices(client_for(people.bob), **{KIND: False})
    assert who_wants_email(KIND, [people.bob.id, people.carol.id]) == {people.carol.id}
    _start(client_for, people.alice, "bob", "hello")
    _start(client_for, people.alice, "carol", "hello")
    assert send_new_message_mail() == 1
    assert [m.to_addr for m in outbox()] == [people.carol.email]


def test_switching_it_back_on_sends_mail_again(people, client_for, outbox):
    bob = client_for(people.bob)
    _email_choices(bob, **{KIND: False})
    _email_choices(bob)
    _start(client_for, people.alice, "bob", "hello")
    assert send_new_message_mail() == 1


def test_no_mail_to_an_unconfirmed_address(people, client_for, outbox):
    people.bob.email_confirmed_at = None
    db.session.commit()
    _start(client_for, people.alice, "bob", "hello")
    assert send_new_message_mail() == 0


def test_the_message_settings_page_keeps_the_content_choice_and_points_to_notification_settings(people, client_for):
    html = client_for(people.bob).get("/messages/settings").get_data(as_text=True)
    assert 'name="email_content"' in html and 'name="email_enabled"' not in html
    assert 'href="/notifications/settings"' in html
