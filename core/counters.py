"""Buffered counters: add to a count during a GET without writing to the database.

A page that counts something on every view (a resource's weekly reads) must not write to the
database, nor queue one job per view. It calls ``add(name, key)``; a periodic job later calls
``drain(name)``, which hands over everything added since the last drain and empties the
buffer, and writes the totals in one go. Keys are whatever the caller puts in: they should
name the counted thing (``"42|2026-W49"``), never a person.

The buffer follows ``COUNTERS_URL``, which defaults to where the job queue lives (``JOBS_URL``):

- unset, or the queue in SQLite: a SQLite file beside the queue's (``instance/counters.sqlite``),
  so ``make run`` needs no extra service; ``sqlite:////path`` names another file;
- ``redis://…``: a Redis hash per name, shared by every host;
- ``memory://`` (and the queue's ``immediate://``): this process only, for tests.

Counting is best effort: when the store cannot be reached the count is dropped and logged,
the page is shown all the same.
"""
from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path
from typing import Any, Protocol

from flask import Flask, current_app

EXTENSION = "commonground.counters"
SQLITE_TIMEOUT = 1.0  # seconds a view waits for the file's lock before the count is dropped

log = logging.getLogger("commonground.counters")


class CounterStore(Protocol):
    def add(self, name: str, key: str, amount: int) -> None: ...

    def drain(self, name: str) -> dict[str, int]: ...


class MemoryCounters:
    """This process only: right for tests and for an app that runs its jobs in process."""

    def __init__(self) -> None:
        self.counts: dict[str, dict[str, int]] = {}
        self.lock = threading.Lock()

    def add(self, name: str, key: str, amount: int) -> None:
        with self.lock:
            bucket = self.counts.setdefault(name, {})
            bucket[key] = bucket.get(key, 0) + amount

    def drain(self, name: str) -> dict[str, int]:
        with self.lock:
            return self.counts.pop(name, {})

    def clear(self) -> None:
        with self.lock:
            self.counts.clear()


class SqliteCounters:
    """A table in a SQLite file of its own, in WAL mode: a view's add is a short write that does not
    wait for a disk flush, and several processes add at once without tripping over each other."""

    DDL = ("CREATE TABLE IF NOT EXISTS counter (name TEXT NOT NULL, key TEXT NOT NULL, "
           "value INTEGER NOT NULL, PRIMARY KEY (name, key))")

    def __init__(self, path: str, timeout: float = SQLITE_TIMEOUT) -> None:
        self.path = path
        self.timeout = timeout
        self.local = threading.local()

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self.local, "conn", None)
        if conn is None:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None,
                                   check_same_thread=False)
            conn.execute("pragma journal_mode=wal")
            conn.execute("pragma synchronous=normal")
            self.local.conn = conn
            self._write((self.DDL, ()))
        return conn

    def _write(self, *statements: tuple[str, tuple]) -> list:
        """Run ``statements`` in one transaction that takes the write lock first (``BEGIN IMMEDIATE``), so
        concurrent writers wait for each other (up to ``SQLITE_TIMEOUT``) instead of failing at once."""
        conn = self._connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            results = [conn.execute(sql, params).fetchall() for sql, params in statements]
            conn.execute("COMMIT")
        except Exception:
            conn.execute("ROLLBACK")
            raise
        return results

    def add(self, name: str, key: str, amount: int) -> None:
        self._write(("INSERT INTO counter (name, key, value) VALUES (?, ?, ?) "
                     "ON CONFLICT (name, key) DO UPDATE SET value = value + excluded.value", (name, key, amount)))

    def drain(self, name: str) -> dict[str, int]:
        rows, _deleted = self._write(("SELECT key, value FROM counter WHERE name = ?", (name,)),
                                     ("DELETE FROM counter WHERE name = ?", (name,)))
        return {key: int(value) for key, value in rows}


class RedisCounters:
    """A hash per name (``<JOBS_NAME>:counters:<name>``); a drain reads and deletes it atomically."""

    def __init__(self, url: str, prefix: str) -> None:
        from redis import Redis

        self.client = Redis.from_url(url, socket_connect_timeout=2.0, socket_timeout=2.0)
        self.prefix = prefix

    def _key(self, name: str) -> str:
        return f"{self.prefix}:counters:{name}"

    def add(self, name: str, key: str, amount: int) -> None:
        self.client.hincrby(self._key(name), key, amount)

    def drain(self, name: str) -> dict[str, int]:
        pipe = self.client.pipeline(transaction=True)
        pipe.hgetall(self._key(name))
        pipe.delete(self._key(name))
        found, _deleted = pipe.execute()
        return {key.decode(): int(value) for key, value in found.items()}


def build_store(url: str | None, name: str, instance_path: str, jobs_url: str | None = None) -> CounterStore:
    """The store ``url`` names, else the one beside the job queue ``jobs_url`` (see the module docstring).

    An unknown scheme fails at start-up.
    """
    if not url:
        url = jobs_url or ""
        if not url or url.startswith("sqlite:///"):
            folder = Path(url[len("sqlite:///"):]).parent if url else Path(instance_path)
            return SqliteCounters(str(folder / "counters.sqlite"))
    if url.startswith("sqlite:///"):
        return SqliteCounters(url[len("sqlite:///"):])
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisCounters(url, name)
    if url in ("memory://", "immediate://"):
        return MemoryCounters()
    raise ValueError(f"COUNTERS_URL {url!r} is not supported: use sqlite:///path, redis://host:port/db or memory://")


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = build_store(app.config.get("COUNTERS_URL"), app.config.get("JOBS_NAME", "commonground"),
                                            app.instance_path, app.config.get("JOBS_URL"))


def store(app: Flask | None = None) -> Any:
    return (app or current_app).extensions[EXTENSION]


def add(name: str, key: str, amount: int = 1) -> None:
    """Add ``amount`` to counter ``key`` of ``name`` in the buffer; never raises (a lost count is logged)."""
    try:
        store().add(name, key, amount)
    except Exception as exc:
        log.warning("counter %s: could not add to %r (%r); the count is dropped", name, key, exc)


def drain(name: str) -> dict[str, int]:
    """Everything added to ``name`` since the last drain, {key: total}; the buffer is emptied.

    Write the totals and commit; if that fails, ``add`` them back so the next run counts them.
    """
    return store().drain(name)
