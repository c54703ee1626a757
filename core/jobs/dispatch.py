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

from core import after_commit
from core.extensions import db

log = logging.getLogger("commonground.jobs")

_KIND = "jobs"


def submit(queue: Any, task: Any) -> None:
    """Queue ``task`` now, or when the current transaction commits (the outermost one: a job asked
    for inside a SAVEPOINT waits for the action's commit, and goes with the SAVEPOINT's rollback)."""
    session = db.session()
    if session.in_transaction():
        after_commit.hold(session, _KIND, [(queue, task)])
    else:
        _send(queue, task)


def pending(name: str | None = None) -> list[Any]:
    """Tasks held for the current transaction's commit (optionally only job ``name``)."""
    return [task for _queue, task in after_commit.held(db.session(), _KIND) if name is None or task.job_name == name]


def _send(queue: Any, task: Any) -> None:
    try:
        queue.enqueue(task)
    except Exception:
        log.exception("jobs: could not queue %s; the queue (JOBS_URL) is unreachable", task.job_name)


def _send_all(held: list[tuple[Any, Any]]) -> None:
    for queue, task in held:
        _send(queue, task)


def _log_dropped(held: list[tuple[Any, Any]]) -> None:
    for _queue, task in held:
        log.info("jobs: %s was not queued: its transaction ended without a commit", task.job_name)


after_commit.on_commit(_KIND, _send_all, _log_dropped)
