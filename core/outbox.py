"""Queue mail in the outbox (same transaction as the action) and deliver it later.

``enqueue`` only adds a row; it never talks to a mail server, so an action never fails
because SMTP is down. ``send_pending`` (``flask outbox send``) delivers with retry and
exponential backoff.
"""
from __future__ import annotations

import uuid

from flask import current_app

from core.extensions import db
from core.models import OutboxMessage


def enqueue(to_addr: str, subject: str, body_text: str, body_html: str | None = None,
            *, purge_on_send: bool = False) -> OutboxMessage:
    """Add a message to the outbox in the caller's transaction; the caller commits."""
    domain = current_app.config["MAIL_FROM"].rsplit("@", 1)[-1].rstrip(">") or "commonground.local"
    msg = OutboxMessage(
        to_addr=to_addr,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        purge_on_send=purge_on_send,
        message_id=f"<{uuid.uuid4().hex}@{domain}>",
    )
    db.session.add(msg)
    return msg
