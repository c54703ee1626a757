"""Development default: mail queued by a request goes out right after the response, no worker needed."""
from __future__ import annotations

from pathlib import Path

import pytest

from core.extensions import db
from core.outbox import enqueue


@pytest.fixture
def app_config():
    return {"OUTBOX_DELIVER_AFTER_REQUEST": True}


@pytest.fixture
def queue_mail_url(app) -> str:
    """A page that queues one message, as a signup or a join request does."""

    def queue_mail():
        enqueue("a@example.org", "After the response", "text")
        enqueue("b@example.org", "Second in the same request", "text")
        db.session.commit()
        return "queued"

    app.add_url_rule("/_test/queue-mail", "queue_mail", queue_mail, methods=["POST"])
    return "/_test/queue-mail"


def spooled(app) -> list[Path]:
    return list(Path(app.config["MAIL_SPOOL_DIR"]).glob("*.eml"))


def test_mail_is_delivered_once_the_response_is_finished(app, client, queue_mail_url, outbox):
    response = client.post(queue_mail_url)
    assert response.status_code == 200
    assert spooled(app) == []  # not while the response is still being sent
    response.close()
    assert len(spooled(app)) == 2
    assert all(m.sent_at is not None for m in outbox())


def test_requests_that_queue_nothing_deliver_nothing_extra(app, client, outbox):
    enqueue("a@example.org", "Queued by a worker job", "text")
    db.session.commit()
    client.get("/").close()
    assert outbox()[0].sent_at is None


def test_switched_off_it_leaves_mail_for_the_sender(app, client, queue_mail_url, outbox):
    app.config["OUTBOX_DELIVER_AFTER_REQUEST"] = False
    client.post(queue_mail_url).close()
    assert spooled(app) == []
    assert [m.sent_at for m in outbox()] == [None, None]


def test_a_mail_server_that_is_down_never_breaks_the_request(app, client, queue_mail_url, outbox):
    app.config.update(MAIL_SMTP_HOST="127.0.0.1", MAIL_SMTP_PORT=9, MAIL_SMTP_TIMEOUT=2)
    response = client.post(queue_mail_url)
    assert response.status_code == 200 and response.text == "queued"
    response.close()
    rows = outbox()
    assert [(m.sent_at, m.attempts) for m in rows] == [(None, 1), (None, 1)]
    assert all("cannot connect" in m.last_error for m in rows)


def test_an_unwritable_spool_is_recorded_as_a_failed_attempt(app, client, queue_mail_url, outbox, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    app.config["MAIL_SPOOL_DIR"] = str(blocker / "mail")
    response = client.post(queue_mail_url)
    assert response.status_code == 200
    response.close()
    assert [m.attempts for m in outbox()] == [1, 1]
