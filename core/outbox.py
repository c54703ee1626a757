"""Queue mail in the outbox (same transaction as the action); the job worker delivers it.

``enqueue`` only adds a row and, once the action commits, queues the ``core.outbox.relay`` job;
it never talks to a mail server, so a web request never fails or waits because SMTP is down
or hung. The relay job (also run every minute, so mail that failed during an outage goes out
on schedule) calls ``send_pending``, which delivers with retry and exponential backoff:

- rows are *claimed* first (``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL, plus a
  conditional UPDATE that pushes ``next_attempt_at`` out by a lease), so two senders never
  take the same row; a sender that dies mid-batch leaves its rows to be retried once the
  lease runs out;
- a batch is rendered without the email package's header machinery and pipelined on one SMTP
  connection; its delivered rows are marked sent in one ``UPDATE`` and one commit, also when
  the batch fails half-way (the unsent rows keep their lease and are retried, never lost);
  only a process killed between delivering and that commit re-sends the batch, with the same
  Message-ID, so a receiver can spot the repeat;
- a failure bumps ``attempts`` and waits ``OUTBOX_BACKOFF_SECONDS * 2**(attempts-1)``
  (capped), until ``OUTBOX_MAX_ATTEMPTS`` marks it failed; a 5xx answer fails it at once;
- delivered rows are deleted after ``OUTBOX_KEEP_SENT_DAYS``, failed ones after
  ``OUTBOX_KEEP_FAILED_DAYS`` (the daily ``core.outbox.clean_up`` job).

Mail whose address or content must not be stored (the help center's) does not use the outbox:
its job renders and sends it with ``core.mail_transport.send_now`` (``plugin_api.send_mail_now``).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app

from core import jobs
from core.extensions import db
from core.jobs import dispatch
from core.mail_transport import (
    PermanentDeliveryError,
    RenderedMessage,
    Transport,
    new_message_id,
    render_message,
    transport_from_config,
)
from core.models import OutboxMessage
from core.models.base import utcnow

log = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=6)
# How long a claimed row stays reserved for the sender that claimed it.
CLAIM_LEASE = timedelta(minutes=10)


RELAY_JOB = "core.outbox.relay"
# Rows per claim in the relay job: large enough that claiming and marking (three statements a
# batch) cost little per mail, small enough that a killed worker re-sends little.
RELAY_BATCH = 200


def enqueue(to_addr: str, subject: str, body_text: str, body_html: str | None = None) -> OutboxMessage:
    """Add a message to the outbox in the caller's transaction; the caller commits.

    The commit also queues one relay job for the worker, however many messages the action wrote.
    """
    msg = OutboxMessage(
        to_addr=to_addr,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        message_id=new_message_id(current_app.config["MAIL_FROM"]),
    )
    db.session.add(msg)
    if not dispatch.pending(RELAY_JOB):
        jobs.enqueue(RELAY_JOB)
    return msg


@dataclass
class DeliveryReport:
    """What one ``send_pending`` run did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def attempted(self) -> int:
        return self.sent + self.retrying + self.failed

    def add(self, other: DeliveryReport) -> None:
        self.sent += other.sent
        self.retrying += other.retrying
        self.failed += other.failed
        self.errors.extend(other.errors)


def backoff(attempts: int, base_seconds: float) -> timedelta:
    """Delay before the next try after ``attempts`` failed ones: doubling, capped at six hours."""
    seconds = base_seconds * 2 ** max(attempts - 1, 0)
    return min(timedelta(seconds=seconds), MAX_BACKOFF)


def send_pending(limit: int = 100, *, now: datetime | None = None, transport: Transport | None = None
                 ) -> DeliveryReport:
    """Deliver up to ``limit`` due messages; safe to run from several processes on PostgreSQL.

    With ``transport`` (the caller closes it) several batches share one SMTP connection. The
    claimed rows are read as plain tuples, rendered, handed to the transport as one batch
    (pipelined on the wire), and then recorded in one transaction: one ``UPDATE`` for every
    delivered row, one per failed row. Whatever happens after the claim, the delivered rows are
    marked sent and the others keep their lease, so they are retried, never lost; only a
    process killed between delivering and that commit re-sends the batch once the lease runs out
    (its stable Message-IDs let a receiver spot the repeat).
    """
    now = now or utcnow()
    report = DeliveryReport()
    claimed = _claim(limit, now)
    if not claimed:
        return report
    config = current_app.config
    owned = transport is None
    transport = transport or transport_from_config(config)
    sent: list[int] = []
    failures: list[tuple[OutboxMessage, Exception]] = []
    try:
        rows = sorted(db.session.execute(
            db.select(OutboxMessage.id, OutboxMessage.to_addr, OutboxMessage.subject, OutboxMessage.body_text,
                      OutboxMessage.body_html, OutboxMessage.message_id, OutboxMessage.created_at,
                      OutboxMessage.attempts).where(OutboxMessage.id.in_(claimed))).all(),
            key=lambda row: claimed.index(row.id))
        batch: list[tuple[object, RenderedMessage]] = []
        for row in rows:
            try:
                batch.append((row, render_message(row, config["MAIL_FROM"])))
            except PermanentDeliveryError as err:
                failures.append((row, err))
        results = transport.send_many([message for _, message in batch])
        for (row, _message), error in zip(batch, results, strict=True):
            if error is None:
                sent.append(row.id)
            else:
                failures.append((row, error))
    finally:
        try:
            _record(sent, failures, now, report)
        finally:
            if owned:
                transport.close()
    return report


def _record(sent: list[int], failures: list, now: datetime, report: DeliveryReport) -> None:
    """Mark delivered rows sent (one statement) and count each failure, in one transaction."""
    db.session.rollback()  # a failed statement above must not take the marks with it
    if sent:
        db.session.execute(db.update(OutboxMessage).where(OutboxMessage.id.in_(sent))
                           .values(sent_at=utcnow(), last_error=None)
                           .execution_options(synchronize_session=False))
        report.sent += len(sent)
    for row, err in failures:
        permanent = isinstance(err, PermanentDeliveryError)
        if _record_failure(row, err, now, permanent=permanent):
            report.failed += 1
        else:
            report.retrying += 1
        report.errors.append(f"{row.message_id}: {err}")
    db.session.commit()


def _claim(limit: int, now: datetime) -> list[int]:
    """Reserve due rows for this sender and commit, before any mail is sent."""
    due = (
        db.select(OutboxMessage.id)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None),
               OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    candidates = list(db.session.scalars(due))
    if not candidates:
        db.session.commit()
        return []
    # One conditional UPDATE: on SQLite (no SKIP LOCKED) a concurrent sender that got there first wins.
    claimed = sorted(db.session.scalars(
        db.update(OutboxMessage)
        .where(OutboxMessage.id.in_(candidates), OutboxMessage.sent_at.is_(None),
               OutboxMessage.failed_at.is_(None), OutboxMessage.next_attempt_at <= now)
        .values(next_attempt_at=now + CLAIM_LEASE)
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    ).all(), key=candidates.index)
    db.session.commit()
    return claimed


def _record_failure(row: Any, err: Exception, now: datetime, *, permanent: bool) -> bool:
    """Count a failed attempt of ``row`` (a claimed row's tuple); True when it has now failed for good."""
    config = current_app.config
    attempts = (row.attempts or 0) + 1
    last_error = f"{type(err).__name__}: {err}"[:500]
    values: dict[str, Any] = {"attempts": attempts, "last_error": last_error}
    if permanent or attempts >= config["OUTBOX_MAX_ATTEMPTS"]:
        values["failed_at"] = now
        log.error("outbox: giving up on %s after %s attempt(s): %s", row.message_id, attempts, last_error)
    else:
        values["next_attempt_at"] = now + backoff(attempts, config["OUTBOX_BACKOFF_SECONDS"])
        log.warning("outbox: %s failed (attempt %s), retry at %s: %s", row.message_id, attempts,
                    values["next_attempt_at"].isoformat(), last_error)
    db.session.execute(db.update(OutboxMessage).where(OutboxMessage.id == row.id).values(**values)
                       .execution_options(synchronize_session=False))
    return "failed_at" in values


def relay(limit: int = RELAY_BATCH) -> DeliveryReport:
    """Job ``core.outbox.relay``: deliver everything that is due, batch after batch.

    Idempotent: rows are claimed before sending and marked sent batch by batch, so a second run
    (or a second worker) finds nothing left to send; it stops at the first batch that met an
    unreachable server, whose messages wait for their backoff and a later run.
    """
    total = DeliveryReport()
    transport = transport_from_config(current_app.config)  # one connection for the whole run
    try:
        while True:
            report = send_pending(limit, transport=transport)
            total.add(report)
            if report.attempted < limit or report.retrying or report.failed:
                break
    finally:
        transport.close()
    if total.attempted:
        log.info("outbox: sent %s, retrying %s, failed %s", total.sent, total.retrying, total.failed)
    return total


def clean_up(now: datetime | None = None) -> int:
    """Job ``core.outbox.clean_up``: delete delivered and failed mail once kept long enough.

    Idempotent: a second run finds nothing old enough left. Returns how many rows went.
    """
    now = now or utcnow()
    config = current_app.config
    sent_before = now - timedelta(days=config["OUTBOX_KEEP_SENT_DAYS"])
    failed_before = now - timedelta(days=config["OUTBOX_KEEP_FAILED_DAYS"])
    deleted = db.session.execute(db.delete(OutboxMessage).where(
        (OutboxMessage.sent_at < sent_before) | (OutboxMessage.failed_at < failed_before))).rowcount
    db.session.commit()
    return deleted


@dataclass
class OutboxStatus:
    due: int
    waiting: int
    sent: int
    failed: int


def status(now: datetime | None = None) -> OutboxStatus:
    """Counts for ``flask outbox status``: due now, waiting for a retry, sent, failed."""
    now = now or utcnow()
    unsent = OutboxMessage.sent_at.is_(None) & OutboxMessage.failed_at.is_(None)
    row = db.session.execute(db.select(
        db.func.count().filter(unsent & (OutboxMessage.next_attempt_at <= now)),
        db.func.count().filter(unsent & (OutboxMessage.next_attempt_at > now)),
        db.func.count().filter(OutboxMessage.sent_at.is_not(None)),
        db.func.count().filter(OutboxMessage.failed_at.is_not(None)),
    ).select_from(OutboxMessage)).one()
    return OutboxStatus(*(int(n or 0) for n in row))
