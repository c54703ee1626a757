"""Two real worker processes on one queue: every job runs exactly once, periodic ones included.

The workers are ``flask jobs worker`` processes on the suite's database (PostgreSQL in the
PostgreSQL run) and a shared queue: Redis, as in production, and the embedded SQLite file.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from core.jobs import enqueue
from tests.core.jobs_probe import runs

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.plugins("tests.core.jobs_probe")


@pytest.fixture(params=["redis", "sqlite"])
def queue_url(request, tmp_path) -> str:
    if request.param == "redis":
        return request.getfixturevalue("redis_url")
    return f"sqlite:///{tmp_path / 'jobs.sqlite'}"


@pytest.fixture
def app_config(queue_url):
    return {"JOBS_URL": queue_url, "JOBS_NAME": f"cgtest{uuid.uuid4().hex[:10]}"}


@pytest.fixture
def start_worker(app, tmp_path):
    """``start_worker()``: a ``flask jobs worker`` process on the app's database and queue."""
    started: list[tuple[subprocess.Popen, Path]] = []
    env = dict(os.environ, PYTHONPATH=str(ROOT),
               COMMONGROUND_SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
               COMMONGROUND_SECRET_KEY="test-secret", COMMONGROUND_JOBS_URL=app.config["JOBS_URL"],
               COMMONGROUND_JOBS_NAME=app.config["JOBS_NAME"], COMMONGROUND_MAIL_SPOOL_DIR=str(tmp_path / "mail"))

    def start() -> Path:
        log = tmp_path / f"worker{len(started)}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "flask", "--app", "tests.core.jobs_probe", "jobs", "worker", "--threads", "2"],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        started.append((process, log))
        return log

    yield start
    for process, _ in started:
        process.send_signal(signal.SIGINT)
    for process, log in started:
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            pytest.fail(f"a worker did not stop on SIGINT: {log.read_text()[-2000:]}")
    if app.config["JOBS_URL"].startswith("redis"):
        import redis

        client = redis.Redis.from_url(app.config["JOBS_URL"])
        client.delete(*(client.keys(f"huey.*{app.config['JOBS_NAME']}") or ["-"]))
        client.close()


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.1)


def tick_minutes() -> set[str]:
    """The minutes a scheduler claimed for the periodic job: each scheduler claims the minute of its
    first look at the clock (its next look is a minute later, after this test), so one minute when
    both workers started in the same minute, two when a minute turned between their starts."""
    from core.extensions import db
    from core.models import JobClaim

    db.session.expire_all()
    keys = db.session.scalars(db.select(JobClaim.key).where(JobClaim.key.like("tick:probe.tick:%"))).all()
    return {key.rpartition("probe.tick:")[2] for key in keys}


def test_two_workers_run_each_queued_delayed_and_periodic_job_exactly_once(app, start_worker):
    logs = [start_worker(), start_worker()]
    wait_until(lambda: all("consumer started" in log.read_text() for log in logs), 60, "both workers")

    keys = [f"now-{n}" for n in range(40)] + [f"later-{n}" for n in range(10)]
    for key in keys[:40]:
        enqueue("probe.record", key, "slowly")
    for key in keys[40:]:
        enqueue("probe.record", key, delay=timedelta(seconds=1))

    wait_until(lambda: tick_minutes() and len(runs()) >= len(keys) + len(tick_minutes()), 60, "every job to run")
    time.sleep(1.5)  # time enough for a second run of anything to show up

    recorded = runs()
    counts = Counter(key for key, _pid in recorded)
    minutes = tick_minutes()
    assert len(minutes) in (1, 2)
    assert counts.pop("tick") == len(minutes)  # each claimed minute started once, by one scheduler
    assert {key: n for key, n in counts.items() if n != 1} == {}
    assert set(counts) == set(keys)
    assert len({pid for _key, pid in recorded}) == 2  # both workers took jobs
