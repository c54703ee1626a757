"""`make run` (`flask dev`): the web server and a job worker in one command; links follow the port.

The server runs as a real process on a free port, on the suite's database, with the embedded
SQLite job queue: a sign-up's confirmation mail is delivered by the worker, and its link opens
the site that sent it – on that port, not 5000. Ctrl+C stops the server and the worker.

Processes, ports and signals: the same on either database (``database_independent``), so
``make test`` runs these once, in the SQLite run.
"""
from __future__ import annotations

import email
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from email import policy
from pathlib import Path

import pytest

from core.jobs import enqueue
from tests.core.jobs_probe import runs

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.plugins("tests.core.jobs_probe"), pytest.mark.database_independent]


@pytest.fixture
def app_config(tmp_path):
    return {"JOBS_URL": f"sqlite:///{tmp_path / 'jobs.sqlite'}"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.1)


def answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=2).close()
        return True
    except (urllib.error.URLError, OSError):
        return False


# Seconds a stop may take: the worker's graceful stop is allowed 10 (``WORKER_STOP_SECONDS``), plus a
# process's exit on two cores busy with the rest of the suite. A stop that never comes fails with the output.
STOP_SECONDS = 60


def stopped(process: subprocess.Popen, tmp_path: Path) -> int:
    """The exit code of ``flask dev`` once it stopped; fails showing its output if it did not."""
    try:
        return process.wait(STOP_SECONDS)
    except subprocess.TimeoutExpired:
        output = "\n".join(log.read_text(errors="replace") for log in tmp_path.glob("dev*.log"))
        pytest.fail(f"flask dev did not stop within {STOP_SECONDS} s; its output:\n{output}")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def dev_server(app, tmp_path):
    """``dev_server(sigint_ignored=False)``: ``flask dev`` on a free port, in its own process group
    like a terminal's foreground job; returns (process, base URL, worker pid)."""
    started = []
    env = dict(os.environ, PYTHONPATH=str(ROOT),
               COMMONGROUND_SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
               COMMONGROUND_SECRET_KEY="test-secret", COMMONGROUND_JOBS_URL=app.config["JOBS_URL"],
               COMMONGROUND_MAIL_SPOOL_DIR=str(tmp_path / "spool"), COMMONGROUND_WTF_CSRF_ENABLED="false",
               COMMONGROUND_RATELIMIT_ENABLED="false", COMMONGROUND_PASSWORD_HASH_METHOD="pbkdf2:sha256:1")
    env.pop("COMMONGROUND_SITE_URL", None)

    def start(sigint_ignored: bool = False):
        port = free_port()
        log = tmp_path / f"dev{port}.log"
        # A child inherits an ignored SIGINT: as a shell without job control starts `make run &`.
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN if sigint_ignored else signal.default_int_handler)
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "flask", "--app", "tests.core.jobs_probe", "dev", "--port", str(port)],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        signal.signal(signal.SIGINT, previous)
        started.append((process, None))
        base = f"http://127.0.0.1:{port}"
        match = wait_until(lambda: re.search(r"with a job worker \(pid (\d+)\)", log.read_text()), 60, "flask dev")
        started[-1] = (process, int(match.group(1)))
        wait_until(lambda: answers(base + "/"), 60, "the web server")
        return process, base, int(match.group(1))

    yield start
    for process, worker_pid in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        if worker_pid and alive(worker_pid):  # the worker has a session of its own: not in that group
            os.kill(worker_pid, signal.SIGKILL)


def test_mail_links_point_at_the_port_served_and_ctrl_c_stops_server_and_worker(app, dev_server, tmp_path):
    process, base, worker_pid = dev_server()
    assert base != "http://127.0.0.1:5000"
    data = urllib.parse.urlencode({"email": "ada@example.org", "username": "ada", "display_name": "Ada",
                                   "password": "river lantern orbit 42", "locale": "en", "country": "AT",
                                   "adult": "on"}).encode()
    urllib.request.urlopen(base + "/signup", data=data, timeout=10).close()

    spooled = wait_until(lambda: list((tmp_path / "spool").glob("*.eml")), 30, "the worker to deliver the mail")
    message = email.message_from_bytes(spooled[0].read_bytes(), policy=policy.default)
    link = re.search(r"http://\S+/confirm/\S+", message.get_body(("plain",)).get_content()).group(0)
    assert link.startswith(base + "/confirm/")
    assert answers(link)  # it opens the site that sent it

    enqueue("probe.link")  # a link built in the worker, outside any request
    links = wait_until(lambda: [key for key, _ in runs() if key != "tick"], 30, "the worker to run the job")
    assert links == [base + "/"]

    os.killpg(process.pid, signal.SIGINT)  # Ctrl+C in the terminal
    assert stopped(process, tmp_path) == 0
    wait_until(lambda: not alive(worker_pid), 20, "the worker to stop")


def test_ctrl_c_stops_server_and_worker_started_with_sigint_ignored(dev_server, tmp_path):
    process, _base, worker_pid = dev_server(sigint_ignored=True)
    os.kill(process.pid, signal.SIGINT)
    assert stopped(process, tmp_path) == 0
    wait_until(lambda: not alive(worker_pid), 20, "the worker to stop")


def test_sigterm_stops_the_worker_too(dev_server, tmp_path):
    process, _base, worker_pid = dev_server()
    process.terminate()
    stopped(process, tmp_path)
    wait_until(lambda: not alive(worker_pid), 20, "the worker to stop")


def test_make_run_starts_the_server_with_its_worker_on_the_chosen_port():
    result = subprocess.run(["make", "--no-print-directory", "-n", "run", "PORT=5101"], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == ".venv/bin/flask dev --host 127.0.0.1 --port 5101"
