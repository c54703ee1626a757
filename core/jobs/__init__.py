"""Jobs: delayed and periodic work, run by ``flask jobs worker`` beside the web processes.

Core and plugins declare jobs through the ``register_jobs`` hook::

    @hookimpl
    def register_jobs(app):
        return [
            Job("myplugin.send_digest", send_digest, schedule=crontab(hour="7", minute="0")),
            Job("myplugin.remind", remind, retries=5, retry_delay=60, retry_backoff=2),
        ]

and queue them by name, now, at a time or after a delay::

    enqueue("myplugin.remind", member.id, delay=timedelta(days=2))

A job queued during a database transaction reaches the queue when the transaction commits
(never for a rollback). The queue is huey: a SQLite file in ``instance/`` by default (``make run``
starts a worker with the web server), Redis in production (``JOBS_URL``); see
``core.jobs.queue``. Jobs run in an app context, once per queued job and once per due minute
of a schedule, however many workers run; they must be idempotent all the same.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from huey import crontab

from core.jobs.job import Job, JobError
from core.jobs.registry import JobRegistry, get_registry, init_app

__all__ = ["Job", "JobError", "JobRegistry", "crontab", "enqueue", "get_registry", "init_app"]


def enqueue(name: str, /, *args: Any, at: datetime | None = None, delay: timedelta | float | None = None,
            **kwargs: Any) -> str:
    """Run job ``name`` with these arguments: now, ``at`` a time, or after ``delay``.

    Arguments are stored in the queue until the job runs, so they must be plain values (ids,
    strings, numbers); anything else raises ``JobError`` here, as does an unknown name.
    Returns the queued job's id.

    Asked for inside a database transaction, the job reaches the queue when the whole action
    commits — not when the SAVEPOINT around a hook is released — so it never runs on rows not
    committed yet; an action rolled back, or a hook implementation that fails, queues nothing.
    """
    return get_registry().enqueue(name, args, kwargs, at=at, delay=delay)
