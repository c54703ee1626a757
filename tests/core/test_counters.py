"""Buffered counters (``core.counters``): added during views, drained by a job, in every store."""
from __future__ import annotations

import threading

import pytest

from core.counters import MemoryCounters, RedisCounters, SqliteCounters, build_store


@pytest.fixture(params=["memory", "sqlite", "redis"])
def store(request, tmp_path):
    if request.param == "memory":
        yield MemoryCounters()
        return
    if request.param == "sqlite":
        # A generous lock wait: these tests are about lost updates, not about a loaded machine's timing.
        yield SqliteCounters(str(tmp_path / "counters.sqlite"), timeout=30)
        return
    import uuid

    redis_url = request.getfixturevalue("redis_url")
    counters = RedisCounters(redis_url, f"cg-test-{uuid.uuid4().hex[:8]}")
    yield counters
    counters.client.delete(counters._key("views"), counters._key("other"))


def test_added_amounts_are_summed_per_key_and_drained_once(store):
    store.add("views", "7|2026-W49", 1)
    store.add("views", "7|2026-W49", 2)
    store.add("views", "8|2026-W49", 1)
    store.add("other", "x", 5)
    assert store.drain("views") == {"7|2026-W49": 3, "8|2026-W49": 1}
    assert store.drain("views") == {}
    assert store.drain("other") == {"x": 5}


def test_concurrent_adds_are_not_lost(store):
    def add_many():
        for _ in range(50):
            store.add("views", "k", 1)

    threads = [threading.Thread(target=add_many) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert store.drain("views") == {"k": 200}


def test_the_store_follows_the_url_or_else_the_job_queue(tmp_path):
    assert build_store(None, "cg", str(tmp_path)).path == str(tmp_path / "counters.sqlite")
    beside_queue = build_store(None, "cg", "/x", f"sqlite:///{tmp_path}/q/jobs.sqlite")
    assert beside_queue.path == str(tmp_path / "q/counters.sqlite")
    assert build_store(f"sqlite:///{tmp_path}/c.sqlite", "cg", "/x", "memory://").path == str(tmp_path / "c.sqlite")
    assert isinstance(build_store(None, "cg", "/x", "memory://"), MemoryCounters)
    assert isinstance(build_store(None, "cg", "/x", "redis://127.0.0.1:6379/1"), RedisCounters)
    assert isinstance(build_store("memory://", "cg", str(tmp_path)), MemoryCounters)
    with pytest.raises(ValueError, match="COUNTERS_URL"):
        build_store("ftp://nowhere", "cg", str(tmp_path))
