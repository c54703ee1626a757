"""Database engine tweaks that SQLAlchemy does not do for us."""
from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.engine import Engine

_installed = False


def enable_sqlite_pragmas() -> None:
    """WAL for concurrent readers, foreign keys on (SQLite leaves them off by default), and
    ``synchronous=NORMAL``, SQLite's recommended setting with WAL: a commit no longer waits for
    the disk (the write-ahead log is synced at checkpoints), and the database stays consistent
    after a crash; a power cut may lose the last moments' commits, never corrupt the file."""
    global _installed
    if _installed:
        return
    _installed = True

    @event.listens_for(Engine, "connect")
    def _pragmas(dbapi_connection, connection_record):  # pragma: no cover - driver callback
        module = type(dbapi_connection).__module__
        if not module.startswith("sqlite3"):
            return
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()
