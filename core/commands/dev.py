"""`flask dev`: the development server and a job worker, started and stopped together.

``make run`` calls it, so trying Common Ground is one command with no extra service: the web
server in this process, ``flask jobs worker`` as a child process on the same SQLite job queue.
Ctrl+C (or SIGTERM) stops both.

Links in mail follow the address served: unless ``SITE_URL`` was configured, it becomes
``http://HOST:PORT`` for the web server and the worker alike, so ``make run PORT=5101`` mails
links to port 5101.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from typing import Any

import click
from flask import current_app
from flask.cli import ScriptInfo
from werkzeug.serving import run_simple

from core.config import DEFAULT_SITE_URL, ENV_PREFIX

# Seconds the worker gets to finish its running jobs after the server stopped.
WORKER_STOP_SECONDS = 10
WILDCARD_HOSTS = {"0.0.0.0", "::", ""}


def served_url(host: str, port: int) -> str:
    """The address a browser on this machine opens for a server bound to ``host:port``."""
    if host in WILDCARD_HOSTS:
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


@click.command("dev")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--threads", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Jobs the worker runs at the same time.")
def cli(host: str, port: int, threads: int) -> None:
    """Serve the site with a job worker beside it, until Ctrl+C (development only)."""
    app = current_app._get_current_object()
    env = dict(os.environ)
    url = served_url(host, port)
    if app.config["SITE_URL"] == DEFAULT_SITE_URL:
        app.config["SITE_URL"] = url
        env[f"{ENV_PREFIX}SITE_URL"] = url
    command = [sys.executable, "-m", "flask"]
    info = click.get_current_context().find_object(ScriptInfo)
    if info is not None and info.app_import_path:
        command += ["--app", info.app_import_path]
    command += ["jobs", "worker", "--threads", str(threads)]
    # Ctrl+C stops us even when we were started with SIGINT ignored, as a shell without job control
    # starts a background command (`make run &` in a script, or a test runner's background run).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    # Its own session: Ctrl+C reaches only this process, which then stops the worker once, gracefully.
    worker = subprocess.Popen(command, env=env, start_new_session=True)
    stopping = threading.Event()
    threading.Thread(target=_report_exit, args=(worker, stopping), daemon=True).start()
    previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
    click.echo(f" * Serving {url}/ with a job worker (pid {worker.pid}); Ctrl+C stops both")
    try:
        run_simple(host, port, app, threaded=True)
    finally:
        stopping.set()
        signal.signal(signal.SIGTERM, previous)
        _stop(worker)


def _exit_on_sigterm(signum: int, frame: Any) -> None:
    raise SystemExit(0)


def _report_exit(worker: subprocess.Popen, stopping: threading.Event) -> None:
    code = worker.wait()
    if not stopping.is_set():
        click.echo(f" * The job worker stopped (exit code {code}); mail and jobs wait until it runs again",
                   err=True)


def _stop(worker: subprocess.Popen) -> None:
    """Ask the worker to finish (SIGINT: huey's graceful stop), then insist."""
    if worker.poll() is None:
        worker.send_signal(signal.SIGINT)
    try:
        worker.wait(WORKER_STOP_SECONDS)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()
