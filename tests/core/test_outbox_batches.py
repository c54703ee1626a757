"""The relay delivers a batch at a time: pipelined on one connection, recorded in one transaction.

Each mail exactly once is the contract: with two workers relaying at the same time, and when a
batch fails half-way (a refused recipient, a connection lost mid-batch), the delivered mail is
marked sent and the rest is retried, never lost and never sent twice.
"""
from __future__ import annotations

import collections
import email
import threading
from email import policy

import pytest

from core.extensions import db
from core.mail_transport import render_message
from core.models import OutboxMessage
from core.outbox import enqueue, relay, send_pending
from core.testing import SMTPRecorder


@pytest.fixture(params=[True, False], ids=["pipelining", "one-by-one"])
def mail_server(request, app):
    """A recording SMTP server, with and without PIPELINING; the app relays to it."""
    server = SMTPRecorder(pipelining=request.param).start()
    app.config.update(MAIL_SMTP_HOST=server.host, MAIL_SMTP_PORT=server.port)
    try:
        yield server
    finally:
        server.stop()


def queue(count: int) -> list[str]:
    """``count`` messages to r0@ … r<count-1>@example.org; returns their Message-IDs."""
    rows = [enqueue(f"r{n}@example.org", f"Mail {n}", f"Hello {n}.\n.a line that starts with a dot",
                    f"<p>Hello {n}.</p>") for n in range(count)]
    db.session.commit()
    return [row.message_id for row in rows]


def make_due() -> None:
    db.session.execute(db.update(OutboxMessage).values(next_attempt_at=OutboxMessage.created_at))
    db.session.commit()


def arrivals(server: SMTPRecorder) -> collections.Counter:
    return collections.Counter(message["Message-ID"] for message in server.messages)


def text(message, subtype: str) -> str:
    return message.get_body((subtype,)).get_content().replace("\r\n", "\n")


def sent_ids() -> list[str]:
    return list(db.session.scalars(db.select(OutboxMessage.message_id).where(OutboxMessage.sent_at.is_not(None))))


def unsent() -> int:
    return db.session.scalar(db.select(db.func.count()).where(OutboxMessage.sent_at.is_(None)))


def test_a_batch_goes_out_on_one_connection_each_message_once_and_intact(app, mail_server):
    ids = queue(5)
    report = send_pending()
    assert (report.sent, report.retrying, report.failed) == (5, 0, 0)
    assert arrivals(mail_server) == collections.Counter(ids)
    assert len(mail_server.connections) == 1
    first = mail_server.messages[0]
    assert first["To"] == "r0@example.org" and first["Subject"] == "Mail 0"
    assert text(first, "plain") == "Hello 0.\n.a line that starts with a dot\n"
    assert text(first, "html") == "<p>Hello 0.</p>\n"
    assert unsent() == 0


def test_a_recipient_refused_mid_batch_is_retried_the_others_are_sent_once(app, mail_server):
    ids = queue(5)
    mail_server.reject_recipients = {"r2@example.org": "451 4.3.0 Try later"}
    report = send_pending()
    assert (report.sent, report.retrying, report.failed) == (4, 1, 0)
    assert arrivals(mail_server) == collections.Counter(ids[:2] + ids[3:])

    mail_server.reject_recipients = {}
    make_due()
    assert send_pending().sent == 1
    assert arrivals(mail_server) == collections.Counter(ids)
    assert unsent() == 0


def test_a_permanently_refused_recipient_fails_without_holding_up_the_batch(app, mail_server):
    ids = queue(3)
    mail_server.reject_recipients = {"r1@example.org": "550 5.1.1 No such user"}
    report = send_pending()
    assert (report.sent, report.retrying, report.failed) == (2, 0, 1)
    assert arrivals(mail_server) == collections.Counter([ids[0], ids[2]])
    refused = db.session.scalar(db.select(OutboxMessage).where(OutboxMessage.message_id == ids[1]))
    assert refused.failed_at is not None and "550" in refused.last_error


def test_a_connection_lost_mid_batch_loses_and_duplicates_nothing(app, mail_server):
    ids = queue(6)
    mail_server.drop_after = 2  # the third message dies with the connection
    report = send_pending()
    # The lost message (and, pipelined, the next one in flight with it) waits for a retry;
    # the rest went out on a new connection. Exactly what arrived is marked sent.
    assert report.retrying == (2 if mail_server.pipelining else 1) and report.sent == 6 - report.retrying
    assert ids[2] not in arrivals(mail_server)
    assert arrivals(mail_server) == collections.Counter(sent_ids())
    assert len(mail_server.connections) == 2

    make_due()
    assert send_pending().sent == report.retrying
    assert arrivals(mail_server) == collections.Counter(ids)
    assert unsent() == 0


def test_an_error_while_sending_keeps_the_batch_for_a_retry(app, mail_server, monkeypatch):
    ids = queue(3)

    def crash(self, messages):
        raise RuntimeError("worker bug")

    monkeypatch.setattr("core.mail_transport.SMTPTransport.send_many", crash)
    with pytest.raises(RuntimeError):
        send_pending()
    monkeypatch.undo()
    assert send_pending().attempted == 0  # still leased to the sender that failed
    make_due()  # the lease ran out
    assert send_pending().sent == 3
    assert arrivals(mail_server) == collections.Counter(ids)


def test_two_workers_relaying_at_once_deliver_each_message_exactly_once(app, mail_server):
    ids = queue(120)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            with app.app_context():
                start.wait()
                while relay(limit=10).attempted:
                    pass
                db.session.remove()
        except BaseException as err:  # reported by the test thread
            errors.append(err)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert arrivals(mail_server) == collections.Counter(ids)
    assert unsent() == 0


def test_render_message_matches_the_email_package_for_a_subject_beyond_ascii(app):
    row = enqueue("Zoë Ä <zoe@example.org>", "Grüße – " + "lange Betreffzeile " * 6, "Schöne Grüße", None)
    db.session.commit()
    data = render_message(row, app.config["MAIL_FROM"]).data
    parsed = email.message_from_bytes(data, policy=policy.default)
    assert parsed["Subject"] == row.subject
    assert parsed["To"] == "Zoë Ä <zoe@example.org>"
    assert parsed.get_content_type() == "text/plain"
    assert parsed.get_content().replace("\r\n", "\n") == "Schöne Grüße\n"
    assert all(len(line) <= 78 for line in data.split(b"\r\n"))
