"""Hand jobs to the queue when the transaction that asked for them commits.

A job queued in the middle of an action is held until the database transaction commits, so a
worker never starts on rows it cannot see yet, and a rolled-back action queues nothing. Outside
a transaction (a job queuing the next one, the CLI) it goes to the queue at once. The queue
being unreachable never undoes a committed action: the error is logged, and work that matters
(mail in the outbox) is picked up again by a periodic job.
"""
from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from core.extensions import db

log = logging.getLogger("commonground.jobs")

_PENDING = "commonground.jobs.pending"


def submit(queue: Any, task: Any) -> None:
    """Queue ``task`` now, or when the current transaction commits."""
    session = db.session()
    if session.in_transaction():
        session.info.setdefault(_PENDING, []).append((queue, task))
    else:
        _send(queue, task)


def pending(name: str | None = None) -> list[Any]:
    """Tasks held for the current transaction's commit (optionally only job ``name``)."""
    held = db.session().info.get(_PENDING, ())
    return [task for _queue, task in held if name is None or task.job_name == name]


def _send(queue: Any, task: Any) -> None:
    try:
        queue.enqueue(task)
    except Exception:
        log.exception("jobs: could not queue %s; the queue (JOBS_URL) is unreachable", task.job_name)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    for queue, task in session.info.pop(_PENDING, ()):
        _send(queue, task)


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    """A transaction that ended without a commit (rolled back, or closed) drops what it held."""
    if transaction.parent is not None or transaction.nested:
        return
    dropped = session.info.pop(_PENDING, ())
    for _queue, task in dropped:
        log.info("jobs: %s was not queued: its transaction ended without a commit", task.job_name)
