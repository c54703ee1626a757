"""The copy by email: only to a signed-in member's own confirmed address, through the outbox, once."""
from __future__ import annotations

from datetime import timedelta

import pytest

from core.extensions import db
from core.models.base import utcnow
from core.outbox import send_pending
from plugins.helpcenter.models import UsageCount


@pytest.fixture
def app_config(smtp_config):
    return {**smtp_config, "OUTBOX_BACKOFF_SECONDS": 30}


@pytest.fixture
def german_member(make_user):
    return make_user("jonas", locale="de", country="DE", email="jonas@example.org")


def body(message, subtype: str = "plain") -> str:
    return message.get_body(preferencelist=(subtype,)).get_content()


def test_german_member_gets_the_german_email_with_both_telefonseelsorge_numbers(app, german_member, login,
                                                                               send_form, outbox, smtp_server):
    client = login(app.test_client(), german_member)
    page = send_form(client, path="support", country="DE", language="de").get_data(as_text=True)
    assert "Wir haben dir diese Angaben auch an deine E-Mail-Adresse geschickt" in page
    [queued] = outbox()
    assert queued.purge_on_send and queued.to_addr == "jonas@example.org"

    report = send_pending()

    assert report.sent == 1
    [message] = smtp_server.messages
    assert message["To"] == "jonas@example.org"
    assert message["Subject"] == "Die Informationen, um die du gebeten hast"
    text, html = body(message), body(message, "html")
    for part in (text, html):
        assert "0800 111 0 111" in part and "0800 111 0 222" in part
        assert "Wenn jemand in akuter Gefahr ist" in part and "112" in part
        assert "Die Leitungen können besetzt sein" in part
    assert "Hallo Jonas," in text
    assert 'href="tel:+498001110111"' in html
    assert outbox() == []  # delivered, so the row (and the body) is gone


def test_email_language_follows_the_language_picked_when_the_site_speaks_it(app, german_member, login,
                                                                           send_form, smtp_server):
    client = login(app.test_client(), german_member)
    send_form(client, path="support", country="DE", language="en")
    send_pending()
    [message] = smtp_server.messages
    assert message["Subject"] == "The information you asked for"
    assert "If someone is in immediate danger" in body(message)


def test_email_goes_only_to_the_members_own_confirmed_address_never_a_typed_one(app, german_member, login,
                                                                               send_form, smtp_server):
    client = login(app.test_client(), german_member)
    send_form(client, path="support", country="DE", language="de", email="someone-else@example.org",
              to="someone-else@example.org", to_addr="someone-else@example.org")
    send_pending()
    assert [rcpts for _from, rcpts, _data in smtp_server.envelopes] == [["jonas@example.org"]]


def test_subject_line_is_the_same_neutral_one_for_both_paths(app, german_member, login, send_form, smtp_server):
    client = login(app.test_client(), german_member)
    send_form(client, path="support", country="DE", language="en")
    send_form(client, path="worried", country="DE", language="en")
    send_pending()
    [subject] = {m["Subject"] for m in smtp_server.messages}
    assert subject == "The information you asked for"
    for word in ("help", "crisis", "suicide", "worried", "support", "seelsorge"):
        assert word not in subject.lower()


def test_worried_path_email_carries_the_guidance_and_suggested_message(app, german_member, login, send_form,
                                                                      smtp_server):
    client = login(app.test_client(), german_member)
    send_form(client, path="worried", country="DE", language="de")
    send_pending()
    text = body(smtp_server.messages[0])
    assert "So kannst du auf die Person zugehen" in text
    assert "ich habe an dich gedacht" in text


def test_unconfirmed_member_gets_no_email_and_is_told_to_confirm(app, make_user, login, send_form, outbox):
    member = make_user("una", email_confirmed_at=None)
    page = send_form(login(app.test_client(), member), path="support", country="DE",
                     language="en").get_data(as_text=True)
    assert "Confirm your email address to also get these details by email" in page
    assert "0800 111 0 111" in page
    assert outbox() == []


def test_visitor_gets_no_email_and_is_offered_to_sign_in(client, send_form, outbox):
    page = send_form(client, path="support", country="DE", language="en").get_data(as_text=True)
    assert '<a href="/login?next=/help">Sign in</a> to get a copy of these details by email.' in page
    assert outbox() == []


def test_visitor_cannot_get_mail_by_adding_an_address_or_the_reminder(client, send_form, outbox):
    send_form(client, path="worried", country="DE", language="en", remind="on", email="me@example.org")
    assert outbox() == []


def test_smtp_outage_mail_is_delivered_exactly_once_after_the_server_is_back(app, german_member, login,
                                                                            send_form, smtp_server, outbox):
    smtp_server.stop()
    client = login(app.test_client(), german_member)
    assert send_form(client, path="support", country="DE", language="de").status_code == 200

    first = send_pending()
    assert first.sent == 0 and first.retrying == 1
    [waiting] = outbox()
    assert waiting.attempts == 1 and waiting.body_text  # kept until it is delivered

    smtp_server.start()
    later = utcnow() + timedelta(minutes=11)
    assert send_pending(now=later).sent == 1
    assert send_pending(now=later + timedelta(hours=1)).sent == 0
    assert len(smtp_server.messages) == 1
    assert "0800 111 0 111" in body(smtp_server.messages[0])
    assert outbox() == []


def test_reminder_waits_two_days_and_goes_only_to_the_member(app, german_member, login, send_form, smtp_server,
                                                             outbox):
    client = login(app.test_client(), german_member)
    page = send_form(client, path="worried", country="DE", language="de", remind="on").get_data(as_text=True)
    assert "Wir erinnern dich in 2 Tagen daran" in page
    assert len(outbox()) == 2

    send_pending()
    assert [m["Subject"] for m in smtp_server.messages] == ["Die Informationen, um die du gebeten hast"]
    [reminder] = outbox()
    assert reminder.purge_on_send and reminder.to_addr == "jonas@example.org"
    due = reminder.next_attempt_at - utcnow()
    assert timedelta(days=2) - timedelta(minutes=5) < due <= timedelta(days=2)

    assert send_pending(now=utcnow() + timedelta(days=1)).sent == 0
    assert send_pending(now=utcnow() + timedelta(days=2, minutes=1)).sent == 1
    reminder_mail = smtp_server.messages[1]
    assert reminder_mail["Subject"] == "Eine Erinnerung, um die du gebeten hast"
    assert reminder_mail["To"] == "jonas@example.org"
    assert "vor zwei Tagen" in body(reminder_mail) and "0800 111 0 111" in body(reminder_mail)
    assert outbox() == []


def test_reminder_is_only_for_the_worried_path(app, german_member, login, send_form, outbox):
    client = login(app.test_client(), german_member)
    send_form(client, path="support", country="DE", language="de", remind="on")
    assert len(outbox()) == 1


class TestRateLimit:
    @pytest.fixture
    def app_config(self, smtp_config):
        return {**smtp_config, "HELPCENTER_RATELIMIT_MEMBER": "2 per hour",
                "HELPCENTER_RATELIMIT_ADDRESS": "2 per hour"}

    def test_over_the_limit_a_friendly_page_still_shows_the_numbers_but_no_email_is_sent(
            self, app, german_member, login, send_form, outbox):
        client = login(app.test_client(), german_member)
        for _ in range(2):
            assert send_form(client, path="support", country="DE", language="de").status_code == 200
        response = send_form(client, path="support", country="DE", language="de")
        page = response.get_data(as_text=True)
        assert response.status_code == 429
        assert "Wenn jemand in akuter Gefahr ist" in page and 'href="tel:112"' in page
        assert "0800 111 0 111" in page and "0800 111 0 222" in page
        assert "deshalb haben wir keine weitere E-Mail geschickt" in page
        assert len(outbox()) == 2

    def test_the_limit_follows_the_member_across_addresses(self, app, german_member, login, outbox):
        client = login(app.test_client(), german_member)
        statuses = []
        for n in range(3):
            client.environ_base["REMOTE_ADDR"] = f"10.0.0.{n + 1}"
            page = client.get("/help").get_data(as_text=True)
            token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
            statuses.append(client.post("/help", data={"path": "support", "country": "DE", "language": "de",
                                                       "csrf_token": token}).status_code)
        assert statuses == [200, 200, 429]
        assert len(outbox()) == 2

    def test_the_limit_applies_per_address_to_visitors(self, client, send_form):
        statuses = [send_form(client, path="support", country="DE", language="de").status_code for _ in range(3)]
        assert statuses == [200, 200, 429]
        page = send_form(client, path="support", country="DE", language="en").get_data(as_text=True)
        assert "You have used this form several times in a short while. Everything" in page
        assert "0800 111 0 111" in page and 'href="tel:112"' in page

    def test_a_limited_use_is_not_counted(self, client, send_form):
        for _ in range(4):
            send_form(client, path="support", country="DE", language="de")
        assert db.session.scalar(db.select(UsageCount.count)) == 2
