"""The outbox: queued in the action's transaction, delivered with retry, backoff and claiming."""
from __future__ import annotations

import email
from datetime import timedelta
from email import policy
from pathlib import Path

import pytest

from core.extensions import db
from core.models import OutboxMessage
from core.models.base import utcnow
from core.outbox import CLAIM_LEASE, MAX_BACKOFF, _claim, backoff, enqueue, send_pending, status

UNREACHABLE = {"MAIL_SMTP_HOST": "127.0.0.1", "MAIL_SMTP_PORT": 9, "MAIL_SMTP_TIMEOUT": 2}


def spool_files(app) -> list[Path]:
    return sorted(Path(app.config["MAIL_SPOOL_DIR"]).glob("*.eml"))


def read_eml(path: Path) -> email.message.EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=policy.default)


def test_enqueue_is_part_of_the_callers_transaction(app, outbox):
    enqueue("a@example.org", "Rolled back", "text")
    db.session.rollback()
    assert outbox() == []
    enqueue("a@example.org", "Kept", "text")
    db.session.commit()
    assert [m.subject for m in outbox()] == ["Kept"]


def test_enqueue_gives_each_message_its_own_message_id(app, outbox):
    first = enqueue("a@example.org", "One", "text")
    second = enqueue("a@example.org", "Two", "text")
    db.session.commit()
    assert first.message_id != second.message_id
    assert first.message_id.startswith("<") and first.message_id.endswith("@commonground.local>")


def test_file_transport_writes_a_multipart_eml_and_marks_the_row_sent(app, outbox):
    row = enqueue("Ana <ana@example.org>", "Grüße aus der Gruppe", "Plain body", "<p>HTML body</p>")
    db.session.commit()

    report = send_pending()

    assert (report.sent, report.retrying, report.failed) == (1, 0, 0)
    [path] = spool_files(app)
    message = read_eml(path)
    assert message["From"] == app.config["MAIL_FROM"]
    assert message["To"] == "Ana <ana@example.org>"
    assert message["Subject"] == "Grüße aus der Gruppe"
    assert message["Message-ID"] == row.message_id
    assert message.get_content_type() == "multipart/alternative"
    assert message.get_body(("plain",)).get_content().strip() == "Plain body"
    assert message.get_body(("html",)).get_content().strip() == "<p>HTML body</p>"
    [sent] = outbox()
    assert sent.sent_at is not None and sent.attempts == 0


def test_text_only_message_is_not_multipart(app):
    enqueue("a@example.org", "Plain", "Only text")
    db.session.commit()
    send_pending()
    [path] = spool_files(app)
    assert read_eml(path).get_content_type() == "text/plain"


def test_sent_messages_are_not_sent_again(app, outbox):
    enqueue("a@example.org", "Once", "text")
    db.session.commit()
    assert send_pending().sent == 1
    assert send_pending().attempted == 0
    assert len(spool_files(app)) == 1


def test_messages_not_yet_due_wait(app, outbox):
    row = enqueue("a@example.org", "Later", "text")
    row.next_attempt_at = utcnow() + timedelta(minutes=5)
    db.session.commit()
    assert send_pending().attempted == 0
    assert send_pending(now=utcnow() + timedelta(minutes=6)).sent == 1


def test_limit_caps_one_batch_oldest_first(app, outbox):
    for n in range(3):
        enqueue("a@example.org", f"Message {n}", "text")
    db.session.commit()
    assert send_pending(limit=2).sent == 2
    assert [m.sent_at is not None for m in outbox()] == [True, True, False]
    assert send_pending(limit=2).sent == 1


def test_backoff_doubles_and_is_capped():
    assert backoff(1, 30) == timedelta(seconds=30)
    assert backoff(2, 30) == timedelta(seconds=60)
    assert backoff(4, 30) == timedelta(seconds=240)
    assert backoff(30, 30) == MAX_BACKOFF


def test_a_claimed_message_is_not_claimed_by_a_second_sender(app):
    row = enqueue("a@example.org", "Mine", "text")
    db.session.commit()
    now = utcnow()
    assert _claim(10, now) == [row.id]
    assert _claim(10, now) == []
    # A sender that died leaves the row to be retried once the lease runs out.
    assert _claim(10, now + CLAIM_LEASE + timedelta(seconds=1)) == [row.id]


def test_a_row_another_sender_is_working_on_is_skipped(app):
    """PostgreSQL: the other sender's row lock (SKIP LOCKED); SQLite: the other sender's claim."""
    first = enqueue("a@example.org", "Taken by the other sender", "text")
    enqueue("b@example.org", "Free", "text")
    db.session.commit()
    with db.engine.connect() as other:
        other.begin()
        if db.engine.dialect.name == "postgresql":
            other.execute(db.select(OutboxMessage.id).where(OutboxMessage.id == first.id).with_for_update())
        else:
            other.execute(db.update(OutboxMessage).where(OutboxMessage.id == first.id)
                          .values(next_attempt_at=utcnow() + CLAIM_LEASE))
            other.commit()
        report = send_pending()
        assert report.sent == 1
        other.rollback()
    db.session.expire_all()
    assert db.session.get(OutboxMessage, first.id).sent_at is None


class TestFailures:
    @pytest.fixture
    def app_config(self):
        return {**UNREACHABLE, "OUTBOX_MAX_ATTEMPTS": 3, "OUTBOX_BACKOFF_SECONDS": 30}

    def test_failure_keeps_the_message_and_schedules_a_retry(self, app, outbox):
        enqueue("a@example.org", "Retry me", "text")
        db.session.commit()
        before = utcnow()
        report = send_pending(now=before)
        assert (report.sent, report.retrying, report.failed) == (0, 1, 0)
        [row] = outbox()
        assert row.sent_at is None and row.failed_at is None
        assert row.attempts == 1
        assert "cannot connect" in row.last_error
        assert row.next_attempt_at == before + timedelta(seconds=30)

    def test_each_failure_waits_twice_as_long_then_gives_up(self, app, outbox):
        enqueue("a@example.org", "Doomed", "text")
        db.session.commit()
        now = utcnow()
        send_pending(now=now)
        assert outbox()[0].next_attempt_at == now + timedelta(seconds=30)
        now += timedelta(seconds=30)
        send_pending(now=now)
        assert outbox()[0].next_attempt_at == now + timedelta(seconds=60)
        now += timedelta(seconds=60)
        report = send_pending(now=now)
        assert report.failed == 1
        [row] = outbox()
        assert row.attempts == 3 and row.failed_at == now and row.sent_at is None
        assert send_pending(now=now + timedelta(days=1)).attempted == 0

    def test_an_unreachable_server_counts_one_attempt_for_each_message_in_the_batch(self, app, outbox):
        for n in range(3):
            enqueue(f"p{n}@example.org", "Batch", "text")
        db.session.commit()
        report = send_pending()
        assert report.retrying == 3
        assert [m.attempts for m in outbox()] == [1, 1, 1]


def test_invalid_recipient_fails_at_once_without_retrying(app, outbox):
    enqueue("not-an-address", "Broken", "text")
    db.session.commit()
    report = send_pending()
    assert report.failed == 1
    [row] = outbox()
    assert row.failed_at is not None and row.attempts == 1
    assert "invalid recipient" in row.last_error


def test_status_counts_due_waiting_sent_and_failed(app):
    enqueue("a@example.org", "Sent", "text")
    db.session.commit()
    send_pending()
    enqueue("a@example.org", "Due", "text")
    waiting = enqueue("a@example.org", "Waiting", "text")
    waiting.next_attempt_at = utcnow() + timedelta(hours=1)
    failed = enqueue("a@example.org", "Failed", "text")
    failed.failed_at = utcnow()
    db.session.commit()
    counts = status()
    assert (counts.due, counts.waiting, counts.sent, counts.failed) == (1, 1, 1, 1)


def test_cli_send_and_status(app, outbox):
    enqueue("a@example.org", "Via the CLI", "text")
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["outbox", "status"])
    assert result.exit_code == 0 and "due: 1" in result.output
    result = runner.invoke(args=["outbox", "send", "--limit", "5"])
    assert result.exit_code == 0, result.output
    assert "sent 1, retrying 0, failed 0" in result.output
    assert "sent: 1" in runner.invoke(args=["outbox", "status"]).output
    assert len(spool_files(app)) == 1


def test_cli_send_rejects_a_nonsense_limit(app):
    result = app.test_cli_runner().invoke(args=["outbox", "send", "--limit", "0"])
    assert result.exit_code != 0
    assert "--limit" in result.output
