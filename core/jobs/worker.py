"""The worker process: huey's consumer over this app's queue (``flask jobs worker``).

It runs queued jobs in ``threads`` threads and, unless ``periodic`` is off, a scheduler that
moves delayed jobs to the queue when due and starts periodic jobs each minute they are due.
Several workers, on one host or many, may run against the same queue (Redis in production):
each queued job is taken by one of them, and each periodic minute is claimed by one.
SIGINT (Ctrl+C) stops it once the running jobs finish, SIGTERM at once.
"""
from __future__ import annotations

import logging

from flask import Flask

from core.jobs.job import JobError
from core.jobs.registry import get_registry

# An idle SQLite-backed worker looks for new jobs at least this often (Redis waits for them).
MAX_POLL_SECONDS = 1.0


def run_worker(app: Flask, threads: int = 2, periodic: bool = True) -> None:
    """Run until stopped by a signal."""
    queue = get_registry(app).queue
    if queue.runs_in_process:
        raise JobError(f"JOBS_URL={app.config.get('JOBS_URL')} keeps jobs inside one process; "
                       "a worker needs a shared queue (a SQLite file or Redis)")
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    consumer = queue.create_consumer(workers=threads, worker_type="thread", periodic=periodic,
                                     max_delay=MAX_POLL_SECONDS, scheduler_interval=1)
    consumer.run()
