"""Delivery to a real SMTP server (aiosmtpd on loopback): headers, outage, exactly-once, refusals."""
from __future__ import annotations

from datetime import timedelta

import pytest

from core.extensions import db
from core.models import OutboxMessage
from core.models.base import utcnow
from core.outbox import enqueue, relay, send_pending


@pytest.fixture
def app_config(smtp_config):
    return {**smtp_config, "OUTBOX_MAX_ATTEMPTS": 3, "OUTBOX_BACKOFF_SECONDS": 30,
            "MAIL_FROM": "Common Ground <no-reply@cg.example>"}


def make_due(rows) -> None:
    """Pretend the backoff has passed."""
    for row in rows:
        db.session.get(OutboxMessage, row.id).next_attempt_at = row.created_at
    db.session.commit()


def test_message_arrives_with_headers_and_both_bodies(app, smtp_server, outbox):
    row = enqueue("Bea <bea@example.org>", "Willkommen in der Gruppe", "Hallo Bea", "<p>Hallo <b>Bea</b></p>")
    db.session.commit()

    assert send_pending().sent == 1

    [(mail_from, rcpt_tos, _)] = smtp_server.envelopes
    assert mail_from == "no-reply@cg.example"
    assert rcpt_tos == ["bea@example.org"]
    [message] = smtp_server.messages
    assert message["From"] == "Common Ground <no-reply@cg.example>"
    assert message["To"] == "Bea <bea@example.org>"
    assert message["Subject"] == "Willkommen in der Gruppe"
    assert message["Message-ID"] == row.message_id
    assert message["Date"]
    assert message.get_body(("plain",)).get_content().strip() == "Hallo Bea"
    assert message.get_body(("html",)).get_content().strip() == "<p>Hallo <b>Bea</b></p>"
    assert outbox()[0].sent_at is not None


def test_one_connection_carries_a_whole_batch(app, smtp_server):
    for n in range(3):
        enqueue(f"p{n}@example.org", f"Message {n}", "text")
    db.session.commit()
    assert send_pending().sent == 3
    assert [m["Subject"] for m in smtp_server.messages] == ["Message 0", "Message 1", "Message 2"]
    assert len(smtp_server.connections) == 1


def test_a_relay_run_delivers_every_batch_once_over_one_connection(app, smtp_server, outbox):
    for n in range(25):
        enqueue(f"p{n}@example.org", f"Message {n}", "text")
    db.session.commit()
    assert relay(limit=10).sent == 25  # three batches
    assert sorted(m["Subject"] for m in smtp_server.messages) == sorted(f"Message {n}" for n in range(25))
    assert len(smtp_server.connections) == 1
    assert all(row.sent_at is not None for row in outbox())
    assert relay(limit=10).sent == 0 and len(smtp_server.messages) == 25  # nothing twice


def test_message_survives_an_outage_and_is_delivered_exactly_once_when_the_server_is_back(
        app, smtp_server, outbox):
    smtp_server.stop()
    row = enqueue("carl@example.org", "Through the outage", "Still here")
    db.session.commit()

    report = send_pending()
    assert (report.sent, report.retrying) == (0, 1)
    [queued] = outbox()
    assert queued.sent_at is None and queued.failed_at is None and queued.attempts == 1
    assert queued.next_attempt_at > queued.created_at  # backing off
    assert "cannot connect" in queued.last_error

    # Back before the backoff ran out: nothing is due yet.
    smtp_server.start()
    runner = app.test_cli_runner()
    assert "sent 0" in runner.invoke(args=["outbox", "send"]).output
    assert smtp_server.messages == []

    make_due([row])
    first = runner.invoke(args=["outbox", "send"])
    second = runner.invoke(args=["outbox", "send"])
    assert first.exit_code == 0 and "sent 1," in first.output
    assert second.exit_code == 0 and "sent 0," in second.output
    assert len(smtp_server.messages) == 1
    assert smtp_server.messages[0]["Message-ID"] == row.message_id
    assert outbox()[0].sent_at is not None


def test_server_down_for_good_marks_the_message_failed_after_max_attempts(app, smtp_server, outbox):
    smtp_server.stop()
    enqueue("dora@example.org", "Never arrives", "text")
    db.session.commit()
    now = utcnow()
    for _ in range(3):
        send_pending(now=now)
        now += timedelta(hours=7)
    [failed] = outbox()
    assert failed.attempts == 3 and failed.failed_at is not None and failed.sent_at is None
    smtp_server.start()
    assert send_pending(now=now).attempted == 0
    assert smtp_server.messages == []


def test_temporary_refusal_is_retried_and_later_delivered(app, smtp_server, outbox):
    smtp_server.reject_with = "451 4.3.0 Try again later"
    row = enqueue("eve@example.org", "Greylisted", "text")
    db.session.commit()
    assert send_pending().retrying == 1
    assert "451" in outbox()[0].last_error

    smtp_server.reject_with = None
    make_due([row])
    assert send_pending().sent == 1
    assert len(smtp_server.messages) == 1


def test_permanent_refusal_fails_at_once(app, smtp_server, outbox):
    smtp_server.reject_with = "550 5.1.1 No such user"
    enqueue("nobody@example.org", "Bounces", "text")
    db.session.commit()
    report = send_pending()
    assert report.failed == 1
    [row] = outbox()
    assert row.failed_at is not None and row.attempts == 1 and "550" in row.last_error


def test_each_message_is_committed_on_its_own_so_a_failure_never_resends_the_others(app, smtp_server, outbox):
    smtp_server.reject_recipients = {"flaky@example.org": "451 4.3.0 Mailbox busy"}
    rows = [enqueue(addr, f"To {addr}", "text") for addr in ("a@example.org", "flaky@example.org", "c@example.org")]
    db.session.commit()

    report = send_pending()
    assert (report.sent, report.retrying) == (2, 1)
    assert sorted(m["To"] for m in smtp_server.messages) == ["a@example.org", "c@example.org"]

    smtp_server.reject_recipients = {}
    make_due(rows)
    assert send_pending().sent == 1
    assert sorted(m["To"] for m in smtp_server.messages) == ["a@example.org", "c@example.org", "flaky@example.org"]
    assert all(m.sent_at is not None for m in outbox())


def test_two_senders_at_once_deliver_every_message_exactly_once(app, smtp_server):
    import threading

    rows = [enqueue(f"p{n}@example.org", f"Message {n}", "text") for n in range(30)]
    db.session.commit()
    expected = {row.message_id for row in rows}
    errors: list[BaseException] = []

    def sender() -> None:
        try:
            with app.app_context():
                while send_pending(limit=3).attempted:
                    pass
        except BaseException as err:  # surfaced below
            errors.append(err)

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    received = [m["Message-ID"] for m in smtp_server.messages]
    assert len(received) == 30 and set(received) == expected
