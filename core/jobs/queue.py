"""The task queue under the jobs service: huey, with storage chosen by ``JOBS_URL``.

- unset: a SQLite file ``instance/jobs.sqlite`` – the embedded default, no extra service;
- ``sqlite:////path/to/jobs.sqlite``: a SQLite file elsewhere (one host);
- ``redis://host:6379/0`` (``rediss://``, ``unix://``): Redis, shared by several hosts;
- ``memory://``: in this process only, nothing runs until someone drains it (the test kit);
- ``immediate://``: every job runs at once, in the process that queues it (tests that need it).

Two things are ours rather than huey's defaults: the queue stores a job under its declared name
(not the Python path of its function, so code can move without stranding queued jobs), and a
periodic job is handed to the workers only after its minute was claimed in the database, so
several schedulers never start it twice.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from huey import Huey
from huey.api import TaskWrapper
from huey.registry import Registry
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

from core.jobs.job import JobError

# Redis must answer quickly: a web request that queues a job after its commit waits at most this.
REDIS_CONNECT_TIMEOUT = 2.0
REDIS_SOCKET_TIMEOUT = 10.0  # longer than huey's 1-second blocking read


class PrivateSqliteStorage(SqliteStorage):
    """SQLite storage that overwrites deleted rows instead of leaving them in free pages.

    A job's arguments (for the help center: an account id and what the person chose) are
    deleted from the file when the job runs; ``secure_delete`` zeroes them, and a rollback
    journal (truncated after each write) instead of a write-ahead log keeps no old copies.
    The file and its tables are made on first use, not whenever an app is built.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("journal_mode", "truncate")
        self._schema_ready = False
        super().__init__(*args, create_tables=False, **kwargs)

    def _create_connection(self) -> sqlite3.Connection:
        Path(self.filename).parent.mkdir(parents=True, exist_ok=True)
        conn = super()._create_connection()
        conn.execute("pragma secure_delete=on")
        if not self._schema_ready:
            for statement in self.ddl:
                conn.execute(statement)
            self._schema_ready = True
        return conn


class JobNames(Registry):
    """huey's task registry, keyed by our job names."""

    def task_to_string(self, task_class: type) -> str:
        return task_class.job_name


class NamedTaskWrapper(TaskWrapper):
    """Gives each task class its job's name (``job_name``), which the registry keys on."""

    def create_task(self, func: Callable, context: bool = False, name: str | None = None, **settings: Any) -> type:
        task_class = super().create_task(func, context, name, **settings)
        task_class.job_name = name
        return task_class


class JobQueue(Huey):
    """A huey instance for one app. ``claim_tick(name, minute)`` decides who starts a periodic job."""

    def __init__(self, name: str, *, claim_tick: Callable[[str, datetime], bool], **options: Any) -> None:
        super().__init__(name, results=False, utc=True, **options)
        self._registry = JobNames()
        self.claim_tick = claim_tick

    def get_task_wrapper_class(self) -> type:
        return NamedTaskWrapper

    def read_periodic(self, timestamp: datetime | None) -> list:
        """The periodic jobs due in this minute that this scheduler won the claim for."""
        if timestamp is None:
            timestamp = self._get_timestamp()
        minute = timestamp.replace(second=0, microsecond=0)
        return [task for task in super().read_periodic(timestamp) if self.claim_tick(task.job_name, minute)]

    @property
    def runs_in_process(self) -> bool:
        """True for ``memory://`` and ``immediate://``: no worker process can see these jobs."""
        return self.immediate or isinstance(self.storage, MemoryStorage)


def build_queue(url: str | None, name: str, instance_path: str,
                claim_tick: Callable[[str, datetime], bool]) -> JobQueue:
    """The queue ``JOBS_URL`` names (see the module docstring); a bad URL fails at start-up."""
    if not url:
        url = f"sqlite:///{Path(instance_path) / 'jobs.sqlite'}"
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///"):])
        return JobQueue(name, claim_tick=claim_tick, storage_class=PrivateSqliteStorage, filename=str(path))
    if url.startswith(("redis://", "rediss://", "unix://")):
        from redis import ConnectionPool

        pool = ConnectionPool.from_url(url, socket_connect_timeout=REDIS_CONNECT_TIMEOUT,
                                       socket_timeout=REDIS_SOCKET_TIMEOUT)
        return JobQueue(name, claim_tick=claim_tick, storage_class=RedisStorage, connection_pool=pool)
    if url == "memory://":
        return JobQueue(name, claim_tick=claim_tick, storage_class=MemoryStorage)
    if url == "immediate://":
        return JobQueue(name, claim_tick=claim_tick, immediate=True)
    raise JobError(f"JOBS_URL {url!r} is not supported: use sqlite:///path, redis://host:port/db, "
                   "memory:// or immediate://")
