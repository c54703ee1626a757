"""Where the page cache's versions live: Redis when configured, else the database.

A version is an opaque random token per scope — ``site``, ``g:<group id>``, ``u:<user id>`` —
replaced (never incremented) by a write that changes what the scope's pages show. Random tokens
never come back: a database restored from a backup brings back its own tokens with its own
data, and a page kept under a token a write replaced never matches again. In the database a
scope without a row yet (nothing written to it since the table was made) reads as 0 — rows
are never deleted. In Redis a missing key may be one Redis lost (a restart, an eviction), so
it is not trusted: the page is rendered uncached and the reader sets a first token.

Reading is one round trip per request (one ``SELECT … WHERE key IN`` or one ``MGET``);
replacing happens as the write's transaction commits (inside it for the database, right after
it for Redis), before its response leaves, so the next request anywhere sees it.
"""
from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from sqlalchemy import String

log = logging.getLogger("commonground.page_cache")

SITE = "site"


def group_key(group_id: int) -> str:
    return f"g:{int(group_id)}"


def user_key(user_id: int) -> str:
    return f"u:{int(user_id)}"


def new_token() -> int:
    return secrets.randbits(62) + 1


class VersionStore(Protocol):
    def read(self, keys: Sequence[str]) -> tuple | None:
        """The tokens of ``keys`` in order, or None when one is unknown or the store is unreachable."""

    def replace(self, keys: Iterable[str]) -> None:
        """Give each of ``keys`` a new token."""


class DatabaseVersions:
    """Rows of ``page_versions``: read in the request's own session, replaced inside the write's
    own transaction as it commits (``transactional``), or in a short transaction of their own."""

    #: ``replace`` can take part in the writer's transaction (``core.page_cache.scopes``).
    transactional = True

    def __init__(self) -> None:
        from sqlalchemy import bindparam, select

        from core.models import PageVersion

        table = PageVersion.__table__
        # Built once; a Core statement on the session's connection (same transaction), which
        # costs a fraction of an ORM query — this runs on every cached page.
        self.statement = select(table.c.key, table.c.version).where(
            table.c.key.in_(bindparam("keys", expanding=True)))

    @staticmethod
    def column(parameter: str) -> Any:
        """The version of the key bound to ``parameter``, as a column another query can carry
        (the logged-in user's query does: a cached page then costs no query of its own)."""
        from sqlalchemy import bindparam, select

        from core.models import PageVersion

        table = PageVersion.__table__
        return select(table.c.version).where(table.c.key == bindparam(parameter, type_=String)).scalar_subquery()

    def read(self, keys: Sequence[str]) -> tuple | None:
        from core.extensions import db

        rows = dict(db.session.connection().execute(self.statement, {"keys": list(keys)}).all())
        return tuple(rows.get(key) or 0 for key in keys)

    def replace(self, keys: Iterable[str], connection: Any = None) -> None:
        """New tokens for ``keys``: on ``connection``, in its transaction, or in a transaction of their own."""
        from core.extensions import db
        from core.models import PageVersion

        values = [{"key": key, "version": new_token()} for key in sorted(set(keys))]
        if not values:
            return
        engine = db.engine
        if engine.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        statement = insert(PageVersion).values(values)
        statement = statement.on_conflict_do_update(index_elements=["key"],
                                                    set_={"version": statement.excluded.version})
        if connection is not None:
            connection.execute(statement)
            return
        with engine.begin() as own:
            own.execute(statement)


class RedisVersions:
    """One string per scope under ``prefix``; ``MGET`` to read, a pipelined ``SET`` to replace."""

    def __init__(self, url: str, prefix: str) -> None:
        import redis

        self.client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        self.prefix = prefix

    def read(self, keys: Sequence[str]) -> tuple | None:
        names = [self.prefix + key for key in keys]
        try:
            values = self.client.mget(names)
        except Exception as exc:
            log.warning("page cache: versions unreadable (%r); pages are rendered uncached", exc)
            return None
        if None in values:
            # A first token for what is missing (NX: never replacing a writer's), read back in the
            # same round trip. Pages kept under a lost token do not match the new one.
            try:
                with self.client.pipeline(transaction=False) as pipe:
                    for name, value in zip(names, values, strict=True):
                        if value is None:
                            pipe.set(name, new_token(), nx=True)
                    pipe.mget(names)
                    values = pipe.execute()[-1]
            except Exception as exc:
                log.warning("page cache: could not start versions (%r)", exc)
                return None
            if None in values:
                return None
        return tuple(values)

    def replace(self, keys: Iterable[str]) -> None:
        wanted = sorted(set(keys))
        if not wanted:
            return
        try:
            with self.client.pipeline(transaction=False) as pipe:
                for key in wanted:
                    pipe.set(self.prefix + key, new_token())
                pipe.execute()
        except Exception:
            # Pages of these scopes may be served stale until the next write to them or the
            # cache's time limit (PAGE_CACHE_SECONDS); logged loudly so it is noticed.
            log.exception("page cache: could not replace versions %s; Redis (PAGE_CACHE_URL) is unreachable",
                          ", ".join(wanted))


def redis_prefix(name: str) -> str:
    """Where the versions of the site named ``name`` (``JOBS_NAME``) live in Redis."""
    return f"cg:{name}:pv:"


def build_store(url: str | None, jobs_url: str | None, name: str) -> VersionStore:
    """``PAGE_CACHE_URL``: ``redis://…``, or ``database``; unset follows the job queue — Redis when the
    queue is in Redis (several hosts share it), else the database."""
    if not url:
        url = jobs_url if jobs_url and jobs_url.startswith(("redis://", "rediss://", "unix://")) else "database"
    if url == "database":
        return DatabaseVersions()
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisVersions(url, redis_prefix(name))
    raise ValueError(f"PAGE_CACHE_URL {url!r} is not supported: use redis://host:port/db or database")
