"""Reading is cheap: a read adds to a buffered counter (no job, no database write, no person);
a job every five minutes moves the totals into the weekly counts."""
from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from core.extensions import db

FLUSH_MINUTE = datetime(2026, 12, 7, 9, 5, tzinfo=UTC)  # a minute the five-minute schedule is due


def read_counts() -> dict[int, int]:
    db.session.expire_all()
    return dict(db.session.execute(text("SELECT resource_id, count FROM resources_read_counts")).all())


def test_a_hundred_reads_queue_no_job_and_are_counted_after_the_flush(client, hub, make_resource, job_queue):
    resource = make_resource()
    for _ in range(100):
        assert client.get(f"/resources/wellbeing/r/{resource.id}").status_code == 200
    assert job_queue.queued() == []
    assert read_counts() == {}
    assert "resources.flush_reads" in job_queue.tick(FLUSH_MINUTE)
    assert read_counts() == {resource.id: 100}


def test_a_second_flush_adds_to_the_week_s_count(client, hub, make_resource):
    from plugins.resources.counting import flush_reads

    resource = make_resource()
    client.get(f"/resources/wellbeing/r/{resource.id}")
    assert flush_reads() == 1
    client.get(f"/resources/wellbeing/r/{resource.id}")
    client.get(f"/resources/wellbeing/r/{resource.id}")
    assert flush_reads() == 1 and flush_reads() == 0
    assert read_counts() == {resource.id: 3}


def test_drafts_and_refused_pages_are_not_counted(app, client, login, hub, make_resource, writer):
    from plugins.resources.counting import flush_reads

    draft = make_resource(published=False)
    login(app.test_client(), writer).get(f"/resources/wellbeing/r/{draft.id}")  # an editor sees the draft
    assert client.get(f"/resources/wellbeing/r/{draft.id}").status_code == 404
    assert client.get("/resources/wellbeing/r/999999").status_code == 404
    flush_reads()
    assert read_counts() == {}


def test_a_failed_flush_keeps_the_reads_for_the_next_run(client, hub, make_resource, monkeypatch):
    from plugins.resources import counting

    resource = make_resource()
    client.get(f"/resources/wellbeing/r/{resource.id}")
    client.get(f"/resources/wellbeing/r/{resource.id}")

    def broken():
        raise RuntimeError("database went away")

    monkeypatch.setattr(db.session, "commit", broken)
    with pytest.raises(RuntimeError):
        counting.flush_reads()
    monkeypatch.undo()
    assert counting.flush_reads() == 1
    assert read_counts() == {resource.id: 2}


def test_reads_of_a_deleted_resource_are_dropped(client, hub, make_resource):
    from plugins.resources.counting import flush_reads
    from plugins.resources.models import Resource

    kept, gone = make_resource(title="Kept"), make_resource(title="Gone")
    client.get(f"/resources/wellbeing/r/{kept.id}")
    client.get(f"/resources/wellbeing/r/{gone.id}")
    db.session.execute(db.delete(Resource).where(Resource.id == gone.id))
    db.session.commit()
    flush_reads()
    assert read_counts() == {kept.id: 1}


def test_the_buffer_holds_only_resource_ids_and_weeks(app, login, make_user, hub, make_resource):
    from core.counters import store
    from plugins.resources.counting import READS, iso_week

    resource = make_resource()
    reader = make_user("reader")
    login(app.test_client(), reader).get(f"/resources/wellbeing/r/{resource.id}")
    assert store().counts == {READS: {f"{resource.id}|{iso_week()}": 1}}


class TestTheDefaultSqliteStore:
    """``make run`` without Redis: the buffer is a SQLite file beside the job queue's."""

    @pytest.fixture
    def jobs_file(self, tmp_path_factory):
        return tmp_path_factory.mktemp("jobs") / "jobs.sqlite"

    @pytest.fixture
    def app_config(self, jobs_file):
        return {"JOBS_URL": f"sqlite:///{jobs_file}"}

    def test_reads_write_one_counter_row_and_queue_no_task(self, app, client, hub, make_resource, jobs_file):
        from plugins.resources.counting import READS, flush_reads, iso_week

        resource = make_resource()
        flush_reads()  # an earlier test's reads on this reused app
        for _ in range(100):
            client.get(f"/resources/wellbeing/r/{resource.id}")
        with sqlite3.connect(jobs_file.parent / "counters.sqlite") as conn:
            assert conn.execute("SELECT name, key, value FROM counter").fetchall() == \
                [(READS, f"{resource.id}|{iso_week()}", 100)]
        if jobs_file.exists():
            with sqlite3.connect(jobs_file) as conn:
                assert not _has_table(conn, "task") or conn.execute("SELECT count(*) FROM task").fetchone()[0] == 0
        assert flush_reads() == 1 and read_counts() == {resource.id: 100}
        with sqlite3.connect(jobs_file.parent / "counters.sqlite") as conn:
            assert conn.execute("SELECT count(*) FROM counter").fetchone()[0] == 0


def _has_table(conn, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None


class TestRedisStore:
    """Several hosts: the buffer is a Redis hash, drained atomically by the job."""

    @pytest.fixture
    def app_config(self, redis_url):
        import uuid

        return {"COUNTERS_URL": redis_url, "JOBS_NAME": f"cg-test-{uuid.uuid4().hex[:8]}"}

    def test_reads_are_counted_in_redis_and_flushed(self, app, client, hub, make_resource, redis_url):
        import redis

        from plugins.resources.counting import READS, flush_reads, iso_week

        resource = make_resource()
        key = f"{app.config['JOBS_NAME']}:counters:{READS}"
        server = redis.Redis.from_url(redis_url)
        try:
            for _ in range(3):
                client.get(f"/resources/wellbeing/r/{resource.id}")
            assert server.hgetall(key) == {f"{resource.id}|{iso_week()}".encode(): b"3"}
            assert flush_reads() == 1
            assert not server.exists(key)
            assert read_counts() == {resource.id: 3}
        finally:
            server.delete(key)
            server.close()


def test_an_unreachable_store_drops_the_count_but_shows_the_page(app, client, hub, make_resource, monkeypatch):
    from core.counters import EXTENSION, RedisCounters

    resource = make_resource()
    monkeypatch.setitem(app.extensions, EXTENSION, RedisCounters("redis://127.0.0.1:1/0", "nowhere"))
    assert client.get(f"/resources/wellbeing/r/{resource.id}").status_code == 200
