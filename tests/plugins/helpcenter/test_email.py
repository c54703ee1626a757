"""The copy by email and the reminder: jobs that hold an account id, rendered and sent by the worker.

Only a signed-in member with a confirmed address gets mail, only at that address, and only once.
Nothing waits in the outbox: the job is the only trace, and it is gone once sent or given up.
"""
from __future__ import annotations

from datetime import timedelta

import pytest

from core.extensions import db
from core.models.base import utcnow
from plugins.helpcenter.models import UsageCount


@pytest.fixture
def app_config(smtp_config):
    return {**smtp_config, "OUTBOX_BACKOFF_SECONDS": 30, "OUTBOX_MAX_ATTEMPTS": 3}


@pytest.fixture
def german_member(make_user):
    return make_user("jonas", locale="de", country="DE", email="jonas@example.org")


def body(message, subtype: str = "plain") -> str:
    return message.get_body(preferencelist=(subtype,)).get_content()


def jobs_named(job_queue, name: str) -> list:
    return [job for job in job_queue.queued() if job.name == name]


def test_german_member_gets_the_german_email_with_both_telefonseelsorge_numbers(app, german_member, login,
                                                                               send_form, outbox, smtp_server,
                                                                               job_queue):
    client = login(app.test_client(), german_member)
    page = send_form(client, path="support", country="DE", language="de").get_data(as_text=True)
    assert "Wir haben dir diese Angaben auch an deine E-Mail-Adresse geschickt" in page
    [queued] = job_queue.queued()
    assert queued.name == "helpcenter.send_copy"
    assert (queued.args, queued.kwargs) == ((german_member.id, "support", "DE", "de"), {})
    assert smtp_server.messages == []  # sent by the worker, not by the request

    assert job_queue.run() == ["helpcenter.send_copy"]

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
    assert "http://localhost/help/get-help" in text  # links point at the site, built in the worker
    assert outbox() == [] and job_queue.queued() == []


def test_the_same_queued_mail_job_run_twice_sends_one_email(app, german_member, login, send_form, smtp_server,
                                                             job_queue):
    send_form(login(app.test_client(), german_member), path="support", country="DE", language="de")
    [task] = job_queue.queue.pending()
    job_queue.queue.execute(task)
    job_queue.queue.execute(task)  # delivered twice by the queue, or re-run by an operator
    assert len(smtp_server.messages) == 1


def test_email_language_follows_the_language_picked_when_the_site_speaks_it(app, german_member, login,
                                                                           send_form, smtp_server, job_queue):
    client = login(app.test_client(), german_member)
    send_form(client, path="support", country="DE", language="en")
    job_queue.run()
    [message] = smtp_server.messages
    assert message["Subject"] == "The information you asked for"
    assert "If someone is in immediate danger" in body(message)


def test_email_goes_only_to_the_members_own_confirmed_address_never_a_typed_one(app, german_member, login,
                                                                               send_form, smtp_server, job_queue):
    client = login(app.test_client(), german_member)
    send_form(client, path="support", country="DE", language="de", email="someone-else@example.org",
              to="someone-else@example.org", to_addr="someone-else@example.org")
    job_queue.run()
    assert [rcpts for _from, rcpts, _data in smtp_server.envelopes] == [["jonas@example.org"]]


def test_subject_line_is_the_same_neutral_one_for_both_paths(app, german_member, login, send_form, smtp_server,
                                                             job_queue):
    client = login(app.test_client(), german_member)
    send_form(client, path="support", country="DE", language="en")
    send_form(client, path="worried", country="DE", language="en")
    job_queue.run()
    [subject] = {m["Subject"] for m in smtp_server.messages}
    assert subject == "The information you asked for"
    for word in ("help", "crisis", "suicide", "worried", "support", "seelsorge"):
        assert word not in subject.lower()


def test_worried_path_email_carries_the_guidance_and_suggested_message(app, german_member, login, send_form,
                                                                      smtp_server, job_queue):
    client = login(app.test_client(), german_member)
    send_form(client, path="worried", country="DE", language="de")
    job_queue.run()
    text = body(smtp_server.messages[0])
    assert "So kannst du auf die Person zugehen" in text
    assert "ich habe an dich gedacht" in text


def test_unconfirmed_member_gets_no_email_and_is_told_to_confirm(app, make_user, login, send_form, job_queue):
    member = make_user("una", email_confirmed_at=None)
    page = send_form(login(app.test_client(), member), path="support", country="DE",
                     language="en").get_data(as_text=True)
    assert "Confirm your email address to also get these details by email" in page
    assert "0800 111 0 111" in page
    assert job_queue.queued() == []


def test_visitor_gets_no_email_and_is_offered_to_sign_in(client, send_form, job_queue):
    page = send_form(client, path="support", country="DE", language="en").get_data(as_text=True)
    assert '<a href="/login?next=/help">Log in</a> to get a copy of these details by email.' in page
    assert job_queue.queued() == []


def test_visitor_cannot_get_mail_by_adding_an_address_or_the_reminder(client, send_form, job_queue):
    send_form(client, path="worried", country="DE", language="en", remind="on", email="me@example.org")
    assert job_queue.queued() == []


def test_smtp_outage_mail_is_delivered_exactly_once_after_the_server_is_back(app, german_member, login,
                                                                            send_form, smtp_server, outbox,
                                                                            job_queue):
    smtp_server.stop()
    client = login(app.test_client(), german_member)
    assert send_form(client, path="support", country="DE", language="de").status_code == 200

    job_queue.run()
    [waiting] = job_queue.queued()  # the job waits for its retry; nothing went to the outbox
    assert waiting.name == "helpcenter.send_copy" and waiting.eta > utcnow()
    assert outbox() == []

    smtp_server.start()
    later = utcnow() + timedelta(seconds=31)
    assert job_queue.run(now=later) == ["helpcenter.send_copy"]
    assert job_queue.run(now=later + timedelta(hours=1)) == []
    assert len(smtp_server.messages) == 1
    assert "0800 111 0 111" in body(smtp_server.messages[0])
    assert job_queue.queued() == []


def test_mail_that_never_gets_through_is_dropped_after_the_last_try_naming_nobody(app, german_member, login,
                                                                                 send_form, smtp_server,
                                                                                 job_queue, caplog):
    smtp_server.reject_with = "451 4.3.0 Try again later"
    send_form(login(app.test_client(), german_member), path="worried", country="DE", language="de")
    assert job_queue.run() == ["helpcenter.send_copy"]
    assert len(job_queue.queued()) == 1  # waiting for its retry
    # OUTBOX_MAX_ATTEMPTS is 3: two more tries (30 s, then 60 s later), then nothing is left.
    assert job_queue.run(now=utcnow() + timedelta(hours=1)) == ["helpcenter.send_copy"] * 2
    assert job_queue.queued() == [] and job_queue.run(now=utcnow() + timedelta(days=1)) == []
    assert smtp_server.messages == []
    assert "a helpcenter_referral could not be sent (SMTPDataError)" in caplog.text
    assert "jonas" not in caplog.text and "Informationen" not in caplog.text


def test_a_permanent_refusal_drops_the_mail_at_once(app, german_member, login, send_form, smtp_server, job_queue):
    smtp_server.reject_with = "550 5.1.1 No such user"
    send_form(login(app.test_client(), german_member), path="support", country="DE", language="de")
    assert job_queue.run() == ["helpcenter.send_copy"]
    assert job_queue.queued() == []


def test_reminder_waits_two_days_and_goes_only_to_the_member(app, german_member, login, send_form, smtp_server,
                                                             job_queue):
    client = login(app.test_client(), german_member)
    page = send_form(client, path="worried", country="DE", language="de", remind="on").get_data(as_text=True)
    assert "Wir erinnern dich in 2 Tagen daran" in page
    [reminder] = jobs_named(job_queue, "helpcenter.remind")
    assert reminder.args == (german_member.id, "DE", "de")  # an account id and the choices: no address
    due = reminder.eta - utcnow()
    assert timedelta(days=2) - timedelta(minutes=5) < due <= timedelta(days=2)

    job_queue.run()
    assert [m["Subject"] for m in smtp_server.messages] == ["Die Informationen, um die du gebeten hast"]
    assert job_queue.run(now=utcnow() + timedelta(days=1)) == []
    assert job_queue.run(now=utcnow() + timedelta(days=2, minutes=1)) == ["helpcenter.remind"]
    reminder_mail = smtp_server.messages[1]
    assert reminder_mail["Subject"] == "Eine Erinnerung, um die du gebeten hast"
    assert reminder_mail["To"] == "jonas@example.org"
    assert "vor zwei Tagen" in body(reminder_mail) and "0800 111 0 111" in body(reminder_mail)
    assert job_queue.queued() == []


def test_reminder_is_written_when_it_is_sent_to_the_address_the_member_has_then(app, german_member, login,
                                                                                 send_form, smtp_server, job_queue):
    send_form(login(app.test_client(), german_member), path="worried", country="DE", language="de", remind="on")
    job_queue.run()
    german_member.email = "jonas.neu@example.org"
    german_member.display_name = "Jonas N."
    db.session.commit()
    job_queue.run(now=utcnow() + timedelta(days=2, minutes=1))
    reminder_mail = smtp_server.messages[-1]
    assert reminder_mail["To"] == "jonas.neu@example.org"
    assert "Hallo Jonas N.," in body(reminder_mail)


def test_no_reminder_for_an_account_deleted_meanwhile(app, german_member, login, send_form, smtp_server, job_queue):
    send_form(login(app.test_client(), german_member), path="worried", country="DE", language="de", remind="on")
    job_queue.run()
    db.session.delete(german_member)
    db.session.commit()
    assert job_queue.run(now=utcnow() + timedelta(days=2, minutes=1)) == ["helpcenter.remind"]
    assert len(smtp_server.messages) == 1 and job_queue.queued() == []


def test_reminder_is_only_for_the_worried_path(app, german_member, login, send_form, job_queue):
    client = login(app.test_client(), german_member)
    send_form(client, path="support", country="DE", language="de", remind="on")
    assert [job.name for job in job_queue.queued()] == ["helpcenter.send_copy"]


KEPT = {
    "en": ("Until the reminder goes out, we keep only a reference to your account, the time it is due, and the "
           "country and language you chose: no email address, nothing about the person. We delete it once the "
           "reminder is sent or cannot be sent.",
           "Until the email is sent, usually within a minute, we keep only a reference to your account and what "
           "you chose on this form, and no email address."),
    "de": ("Bis die Erinnerung rausgeht, speichern wir nur einen Verweis auf dein Konto, den Zeitpunkt und das "
           "Land und die Sprache, die du gewählt hast: keine E-Mail-Adresse und nichts über die Person. Wir "
           "löschen das, sobald die Erinnerung verschickt ist oder nicht verschickt werden kann.",
           "Bis die E-Mail verschickt ist, meist innerhalb einer Minute, speichern wir nur einen Verweis auf dein "
           "Konto und deine Auswahl in diesem Formular, aber keine E-Mail-Adresse."),
}


@pytest.mark.parametrize("locale", ["en", "de"])
def test_the_form_says_in_plain_words_what_is_kept_until_mail_goes_out(app, make_user, login, locale):
    page = login(app.test_client(), make_user("mia", locale=locale)).get("/help").get_data(as_text=True)
    for sentence in KEPT[locale]:
        assert sentence in page


class TestRateLimit:
    @pytest.fixture
    def app_config(self, smtp_config):
        return {**smtp_config, "HELPCENTER_RATELIMIT_MEMBER": "2 per hour",
                "HELPCENTER_RATELIMIT_ADDRESS": "2 per hour"}

    def test_over_the_limit_a_friendly_page_still_shows_the_numbers_but_no_email_is_sent(
            self, app, german_member, login, send_form, job_queue):
        client = login(app.test_client(), german_member)
        for _ in range(2):
            assert send_form(client, path="support", country="DE", language="de").status_code == 200
        response = send_form(client, path="support", country="DE", language="de")
        page = response.get_data(as_text=True)
        assert response.status_code == 429
        assert "Wenn jemand in akuter Gefahr ist" in page and 'href="tel:112"' in page
        assert "0800 111 0 111" in page and "0800 111 0 222" in page
        assert "deshalb haben wir keine weitere E-Mail geschickt" in page
        assert len(job_queue.queued()) == 2

    def test_the_limit_follows_the_member_across_addresses(self, app, german_member, login, job_queue):
        client = login(app.test_client(), german_member)
        statuses = []
        for n in range(3):
            client.environ_base["REMOTE_ADDR"] = f"10.0.0.{n + 1}"
            page = client.get("/help").get_data(as_text=True)
            token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
            statuses.append(client.post("/help", data={"path": "support", "country": "DE", "language": "de",
                                                       "csrf_token": token}).status_code)
        assert statuses == [200, 200, 429]
        assert len(job_queue.queued()) == 2

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
