"""A database restart must not cost the next visitors a failed request.

After PostgreSQL restarted, the first request on each pooled connection failed, because the pool
handed out connections whose server side was gone. The engine now tests a connection when it is
checked out (``pool_pre_ping``) and reconnects. On SQLite the same happens to a connection that
was closed behind the pool's back.
"""
from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from core import testing
from core.extensions import db


@pytest.fixture
def app_config():
    """Production's engine options (the test kit's apps do not test pooled connections)."""
    return {"SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True}}


@pytest.fixture(autouse=True)
def fresh_pools_afterwards(app):
    """The other apps the test kit keeps have pooled connections to this database too, which a test
    here killed: they reconnect afresh for the next test (they do not test connections)."""
    yield
    for other, _snapshot in testing._apps.apps.values():
        if other is not app:
            with other.app_context():
                db.engine.dispose()


def drop_every_pooled_connection() -> int:
    """What a database restart does to the pool: every connection in it is dead. Returns how many."""
    engine = db.engine
    if engine.dialect.name == "postgresql":
        killer = create_engine(engine.url, poolclass=NullPool)
        try:
            with killer.connect() as conn:
                return len(conn.execute(text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )).all())
        finally:
            killer.dispose()
    records = list(engine.pool._pool.queue)  # the idle connections the pool would hand out next
    for record in records:
        record.dbapi_connection.close()
    return len(records)


def test_the_first_requests_after_the_database_dropped_every_connection_succeed(app, make_user, make_group):
    make_group(slug="allotment", owner=make_user("owner"))
    clients = [app.test_client() for _ in range(3)]
    for client in clients:
        assert client.get("/g/allotment").status_code == 200
        db.session.remove()  # end of request: the worker's connection goes back to the pool
    assert drop_every_pooled_connection() >= 1
    for client in clients:
        assert client.get("/g/allotment").status_code == 200
        db.session.remove()
    assert app.test_client().get("/api/v1/groups/allotment").status_code == 200
