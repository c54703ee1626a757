"""The outbox is relayed by the job worker: web requests never talk to a mail server.

A hung SMTP server (accepts the connection, never answers) used to stall sign-ups and every
page served by the same worker for the SMTP timeout; now requests only write rows and the
worker's relay job meets the timeouts. Mail that failed during an outage goes out on the
periodic relay once the server is back, whether or not new mail is queued.
"""
from __future__ import annotations

import time
from datetime import timedelta

import pytest

from core.extensions import db
from core.mail_transport import SMTPTransport, TransportUnavailable, build_message
from core.models import OutboxMessage
from core.models.base import utcnow
from core.outbox import enqueue, send_pending
from core.testing import SMTPRecorder

SIGNUP = {"email": "ada@example.org", "username": "ada", "display_name": "Ada", "password": "river lantern orbit 42",
          "locale": "en", "country": "AT", "adult": "on"}


def make_due() -> None:
    """Pretend every backoff has passed."""
    db.session.execute(db.update(OutboxMessage).values(next_attempt_at=OutboxMessage.created_at))
    db.session.commit()


def test_the_commit_that_queues_mail_queues_one_relay_job(app, job_queue):
    enqueue("a@example.org", "One", "text")
    enqueue("b@example.org", "Two", "text")
    assert job_queue.queued() == []  # not before the commit
    db.session.commit()
    assert [job.name for job in job_queue.queued()] == ["core.outbox.relay"]


def test_mail_of_a_rolled_back_action_queues_nothing(app, job_queue, outbox):
    enqueue("a@example.org", "Never", "text")
    db.session.rollback()
    assert job_queue.queued() == [] and outbox() == []


def test_the_relay_job_delivers_what_the_action_queued(app, client, job_queue, outbox):
    assert client.post("/signup", data=SIGNUP).status_code == 302
    [row] = outbox()
    assert row.sent_at is None  # the request only wrote the row
    assert job_queue.run() == ["core.outbox.relay"]
    [row] = outbox()
    assert row.sent_at is not None


def test_running_the_relay_twice_sends_each_message_once(app, job_queue, smtp_server, outbox):
    app.config.update(MAIL_SMTP_HOST=smtp_server.host, MAIL_SMTP_PORT=smtp_server.port)
    enqueue("a@example.org", "Once", "text")
    db.session.commit()
    job_queue.run()
    app.test_cli_runner().invoke(args=["jobs", "run", "core.outbox.relay"])
    assert [m["Subject"] for m in smtp_server.messages] == ["Once"]


class TestHungMailServer:
    @pytest.fixture
    def app_config(self, hung_smtp_server):
        return {"MAIL_SMTP_HOST": hung_smtp_server.host, "MAIL_SMTP_PORT": hung_smtp_server.port,
                "MAIL_SMTP_CONNECT_TIMEOUT": 0.5, "MAIL_SMTP_TIMEOUT": 0.5, "RATELIMIT_ENABLED": False}

    def test_sign_up_and_pages_never_wait_for_a_hung_mail_server(self, app, client, hung_smtp_server):
        """Web requests only write outbox rows: they never connect, so a hung server cannot hold them."""
        signup = client.post("/signup", data=SIGNUP)
        page = client.get("/")
        assert signup.status_code == 302 and page.status_code == 200
        assert hung_smtp_server.connections == []

    def test_the_worker_gives_up_on_a_hung_server_after_its_timeout(self, app, hung_smtp_server):
        transport = SMTPTransport(hung_smtp_server.host, hung_smtp_server.port, timeout=0.3, connect_timeout=0.3)
        row = enqueue("a@example.org", "Hello", "text")
        db.session.commit()
        start = time.monotonic()
        with pytest.raises(TransportUnavailable, match="timed out"):
            transport.send(build_message(row, app.config["MAIL_FROM"]))
        assert time.monotonic() - start < 1.5

    def test_mail_queued_while_the_server_hangs_goes_out_once_it_is_back(self, app, client, hung_smtp_server,
                                                                         job_queue, outbox):
        client.post("/signup", data=SIGNUP).close()
        start = time.monotonic()
        assert job_queue.run() == ["core.outbox.relay"]
        assert time.monotonic() - start < 3  # the worker, too, only waits for the timeouts
        [row] = outbox()
        assert row.sent_at is None and row.attempts == 1 and "timed out" in row.last_error

        hung_smtp_server.stop()
        recorder = SMTPRecorder(port=hung_smtp_server.port).start()
        try:
            make_due()
            job_queue.tick()  # the periodic relay: no new mail was queued
            job_queue.tick(now=utcnow() + timedelta(minutes=1))
        finally:
            recorder.stop()
        [message] = recorder.messages
        assert message["To"] == "ada@example.org"
        assert "/confirm/" in message.get_body(("plain",)).get_content()
        assert outbox()[0].sent_at is not None


def test_connecting_gives_up_after_the_connect_timeout(app):
    """A server whose listen backlog is full never completes the handshake."""
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(8):  # fill the backlog; later handshakes go unanswered
        filler = socket.socket()
        filler.setblocking(False)
        filler.connect_ex(("127.0.0.1", port))
        fillers.append(filler)
    transport = SMTPTransport("127.0.0.1", port, timeout=30, connect_timeout=0.3)
    row = enqueue("a@example.org", "Hello", "text")
    db.session.commit()
    start = time.monotonic()
    try:
        with pytest.raises(TransportUnavailable, match="cannot connect"):
            transport.send(build_message(row, app.config["MAIL_FROM"]))
        assert time.monotonic() - start < 5
    finally:
        for sock in (*fillers, listener):
            sock.close()


class TestOutage:
    @pytest.fixture
    def app_config(self, smtp_config):
        return {**smtp_config, "OUTBOX_BACKOFF_SECONDS": 30}

    def test_mail_that_failed_in_an_outage_is_retried_by_the_periodic_relay(self, app, smtp_server, job_queue,
                                                                           outbox):
        smtp_server.stop()
        enqueue("carl@example.org", "Through the outage", "text")
        db.session.commit()
        job_queue.run()
        assert outbox()[0].attempts == 1

        smtp_server.start()
        assert job_queue.queued() == []  # nothing else will ask for delivery ...
        make_due()
        assert "core.outbox.relay" in job_queue.tick()  # ... but the relay runs every minute
        assert [m["Subject"] for m in smtp_server.messages] == ["Through the outage"]


def test_clean_up_deletes_old_delivered_and_failed_mail_and_keeps_the_rest(app, job_queue, outbox):
    now = utcnow()
    rows = {
        "old sent": {"sent_at": now - timedelta(days=8)},
        "recent sent": {"sent_at": now - timedelta(days=6)},
        "old failed": {"failed_at": now - timedelta(days=31)},
        "recent failed": {"failed_at": now - timedelta(days=29)},
        "waiting": {},
    }
    for subject, fields in rows.items():
        row = enqueue("a@example.org", subject, "text")
        for name, value in fields.items():
            setattr(row, name, value)
    db.session.commit()
    job_queue.queue.flush()
    app.test_cli_runner().invoke(args=["jobs", "enqueue", "core.outbox.clean_up"])
    assert job_queue.run() == ["core.outbox.clean_up"]
    assert [m.subject for m in outbox()] == ["recent sent", "recent failed", "waiting"]
    assert app.test_cli_runner().invoke(args=["jobs", "run", "core.outbox.clean_up"]).exit_code == 0
    assert len(outbox()) == 3  # running it again does no harm


def test_send_pending_still_delivers_by_hand(app, outbox):
    enqueue("a@example.org", "By hand", "text")
    db.session.commit()
    assert send_pending().sent == 1
