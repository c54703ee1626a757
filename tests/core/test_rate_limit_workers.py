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
#: A log-in form with a wrong password, as every request of the gunicorn tests sends it.
WRONG_LOGIN = b"login=nobody&password=wrong"
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


class HeldRequest:
    """A request whose headers are not finished yet: the sync worker that accepted it waits on it and
    takes nothing else, so every request meanwhile goes to the other worker."""

    def __init__(self, port: int, start: bytes, rest: bytes) -> None:
        self.rest = rest
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=120)
        self.sock.sendall(start)

    def finish(self) -> int:
        """Send the rest of the request; the status the worker answers."""
        self.sock.sendall(self.rest)
        with self.sock, self.sock.makefile("rb") as response:
            return int(response.readline().split()[1])


def held_get_login(port: int) -> HeldRequest:
    return HeldRequest(port, b"GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\n", b"Connection: close\r\n\r\n")


def held_post_login(port: int) -> HeldRequest:
    return HeldRequest(port, b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\n",
                       b"Content-Type: application/x-www-form-urlencoded\r\nConnection: close\r\n"
                       b"Content-Length: %d\r\n\r\n%s" % (len(WRONG_LOGIN), WRONG_LOGIN))


def wait_until_serving(process: subprocess.Popen, port: int, timeout: float = 120) -> None:
    """Until both workers answer: while one waits on a held request, the other must serve a page."""
    deadline = time.monotonic() + timeout
    while True:
        assert process.poll() is None, process.communicate()[1]
        try:
            held = held_get_login(port)
            break
        except ConnectionRefusedError:  # the master is not listening yet
            assert time.monotonic() < deadline, "gunicorn did not start listening in time"
            time.sleep(0.2)
    assert get_status(port, "/login", timeout=timeout) == 200
    assert held.finish() == 200


def get_status(port: int, path: str, timeout: float = 60) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as response:
        return response.status


def post_login(port: int) -> int:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/login", data=WRONG_LOGIN,
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
    # --timeout: a worker waiting on a held request does not check in with the master, which would
    # otherwise restart it after 30 s on a slow machine
    process = gunicorn(port, env, "--timeout", "120", "--access-logfile", str(access_log),
                       "--access-logformat", "%(p)s %(r)s %(s)s")
    try:
        wait_until_serving(process, port)
        held = held_post_login(port)  # one worker waits on this log-in ...
        statuses = [post_login(port) for _ in range(3)]  # ... while the other takes three
        statuses.append(held.finish())  # the first worker's first log-in, over the shared allowance
        with ThreadPoolExecutor(max_workers=4) as pool:
            statuses += pool.map(lambda _: post_login(port), range(4))
        urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/groups", timeout=10).close()
        for path in ("/help", "/help/get-help"):
            with pytest.raises(urllib.error.HTTPError):
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10)
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)
    assert statuses == [422] * 3 + [429] * 5  # three wrong passwords, then refused, whichever worker
    lines = access_log.read_text().splitlines()
    assert len({line.split()[0] for line in lines if "POST /login" in line}) == 2, lines  # both workers served
    assert any("GET /api/v1/groups" in line for line in lines)
    assert not [line for line in lines if "/help" in line]  # gunicorn.conf.py keeps the help center out
