"""Rate limits hold across web workers, or the site does not start.

With the default per-process counters (``memory://``) and two gunicorn workers, 14 wrong
log-ins, 8 sign-ups and 34 help forms went through without a 429. A site with several workers
now refuses to start unless its counters are shared (Redis) or per-process limits are accepted
explicitly. The app learns the number of workers from ``WEB_WORKERS`` (set by the shipped
``gunicorn.conf.py``) or ``WEB_CONCURRENCY``.

The last tests start real gunicorn masters with two workers from the repository root, as the
deploy guide does; processes and Redis, the same on either database (``database_independent``:
``make test`` runs them once, in the SQLite run).
"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from core.rate_limit_storage import PerProcessRateLimits, web_workers

ROOT = Path(__file__).resolve().parents[2]
REFUSAL = re.compile(r"2 web workers would each count rate limits on their own \(RATELIMIT_STORAGE_URI=memory://\)")


def test_several_workers_with_per_process_counters_refuse_to_start(make_app):
    with pytest.raises(PerProcessRateLimits, match=REFUSAL) as refused:
        make_app(WEB_WORKERS=2)
    assert "COMMONGROUND_RATELIMIT_STORAGE_URI=redis://" in str(refused.value)
    assert "COMMONGROUND_RATELIMIT_ALLOW_PER_PROCESS=true" in str(refused.value)


def test_web_concurrency_counts_as_the_number_of_workers(make_app, monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    with pytest.raises(PerProcessRateLimits, match="3 web workers"):
        make_app()


@pytest.mark.parametrize("config", [
    {"WEB_WORKERS": 1},
    {"WEB_WORKERS": 4, "RATELIMIT_ALLOW_PER_PROCESS": True},
    {"WEB_WORKERS": 4, "RATELIMIT_ENABLED": False},
    {"WEB_WORKERS": 4, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/13"},
])
def test_one_worker_shared_counters_or_an_explicit_yes_start(make_app, config):
    assert make_app(**config).name == "core"


def test_the_worker_count_comes_from_the_setting_then_the_environment():
    assert web_workers({"WEB_WORKERS": 2}, {"WEB_CONCURRENCY": "5"}) == 2
    assert web_workers({"WEB_WORKERS": None}, {"WEB_CONCURRENCY": "5"}) == 5
    assert web_workers({}, {}) is None
    assert web_workers({}, {"WEB_CONCURRENCY": "many"}) is None


# --- real gunicorn --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn_env(database_url: str, **settings: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("COMMONGROUND_") and key not in ("WEB_CONCURRENCY", "DATABASE_URL")}
    env.update({"DATABASE_URL": database_url, "COMMONGROUND_SECRET_KEY": "gunicorn-test",
                "COMMONGROUND_PLUGINS": "[]", "COMMONGROUND_WTF_CSRF_ENABLED": "false",
                "COMMONGROUND_MAIL_SPOOL_DIR": "/tmp/cg-gunicorn-test-mail"})
    env.update({f"COMMONGROUND_{key}": value for key, value in settings.items()})
    return env


def gunicorn(port: int, env: dict[str, str], *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}", *extra, "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_until_serving(process: subprocess.Popen, port: int, timeout: float = 120) -> None:
    """Until both workers answer: two requests at once keep one busy while the other must take one."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[1]
        try:
            with ThreadPoolExecutor(max_workers=2) as pool:
                if list(pool.map(lambda _: get_status(port, "/login"), range(2))) == [200, 200]:
                    return
        except OSError:  # not listening yet, or a worker still booting
            time.sleep(0.2)
    raise AssertionError("gunicorn did not start serving in time")


def get_status(port: int, path: str) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60) as response:
        return response.status


def post_login(port: int) -> int:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/login", data=b"login=nobody&password=wrong",
                                     method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.database_independent
def test_gunicorn_with_two_workers_and_memory_counters_stops_with_the_reason(database_url):
    process = gunicorn(free_port(), gunicorn_env(database_url, RATELIMIT_STORAGE_URI="memory://"))
    try:
        _out, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode != 0
    assert REFUSAL.search(err), err
    assert "Booting worker" not in err  # refused by the master, before any worker started


@pytest.mark.database_independent
def test_gunicorn_with_two_workers_shares_the_log_in_allowance_through_redis(app, database_url, redis_limits,
                                                                              tmp_path):
    port = free_port()
    access_log = tmp_path / "access.log"
    env = gunicorn_env(database_url, RATELIMIT_STORAGE_URI=redis_limits.config["RATELIMIT_STORAGE_URI"],
                       RATELIMIT_KEY_PREFIX=redis_limits.prefix, RATELIMIT_LOGIN="3 per minute")
    process = gunicorn(port, env, "--access-logfile", str(access_log), "--access-logformat", "%(p)s %(r)s %(s)s")
    try:
        wait_until_serving(process, port)
        with ThreadPoolExecutor(max_workers=4) as pool:
            statuses = list(pool.map(lambda _: post_login(port), range(8)))
        urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/groups", timeout=10).close()
        for path in ("/help", "/help/get-help"):
            with pytest.raises(urllib.error.HTTPError):
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10)
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)
    assert sorted(statuses) == [422] * 3 + [429] * 5  # three wrong passwords, then refused, whichever worker
    lines = access_log.read_text().splitlines()
    assert len({line.split()[0] for line in lines if "POST /login" in line}) == 2, lines  # both workers served
    assert any("GET /api/v1/groups" in line for line in lines)
    assert not [line for line in lines if "/help" in line]  # gunicorn.conf.py keeps the help center out
