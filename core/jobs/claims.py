"""Take a key once across every worker and host: the database decides, atomically.

``claim`` inserts the key and reports whether this caller was first (``INSERT ... ON CONFLICT
DO NOTHING`` on both SQLite and PostgreSQL), so two schedulers starting the same periodic job
in the same minute, or one queued job delivered twice, run it once.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy.dialects import postgresql, sqlite

from core.extensions import db
from core.models import JobClaim
from core.models.base import utcnow

_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def claim(key: str, ttl: timedelta) -> bool:
    """True if this caller took ``key`` (kept for ``ttl``); False if it was taken. Commits."""
    insert = _INSERT[db.session.get_bind().dialect.name]
    statement = (insert(JobClaim.__table__).values(key=key, expires_at=utcnow() + ttl)
                 .on_conflict_do_nothing(index_elements=["key"]).returning(JobClaim.__table__.c.key))
    taken = db.session.execute(statement).first() is not None
    db.session.commit()
    return taken


def release(key: str) -> None:
    """Give ``key`` back (a job that failed may run again on its retry). Commits."""
    db.session.execute(db.delete(JobClaim).where(JobClaim.key == key))
    db.session.commit()


def clean_up() -> int:
    """Delete expired claims; running it twice deletes nothing more. Returns how many went."""
    deleted = db.session.execute(db.delete(JobClaim).where(JobClaim.expires_at < utcnow())).rowcount
    db.session.commit()
    return deleted
