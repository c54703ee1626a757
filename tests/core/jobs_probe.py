"""A test plugin whose jobs write down every run, so tests can count executions.

Each run of ``probe.record`` adds a row (key, process id): no unique constraint, so a job run
twice shows up twice. ``create_app()`` builds an app with this plugin from the environment, for
worker processes started by tests (``flask --app tests.core.jobs_probe jobs worker``).
"""
from __future__ import annotations

import os
import time

from flask import url_for
from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.jobs import Job, crontab
from core.plugins import PluginMeta
from core.plugins.specs import hookimpl

META = PluginMeta(id="probe", name="Job probe", version="1.0", default_enabled=True)


class ProbeRun(db.Model):
    __tablename__ = "probe_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), nullable=False)
    pid: Mapped[int] = mapped_column(Integer, nullable=False)


def record(key: str, pace: str = "") -> None:
    """Write down one run of ``key`` (``"slowly"``: after a moment's work, so work gets shared)."""
    if pace == "slowly":
        time.sleep(0.05)
    db.session.add(ProbeRun(key=key, pid=os.getpid()))
    db.session.commit()


def fail_first(key: str) -> None:
    """Fail the first time ``key`` is seen (the attempt is recorded), succeed the next time."""
    attempts = db.session.scalar(db.select(db.func.count()).where(ProbeRun.key == f"attempt:{key}"))
    record(f"attempt:{key}")
    if not attempts:
        raise RuntimeError("first attempt fails")
    record(key)


def link() -> None:
    """Write down the absolute address of the front page, as a job builds it."""
    record(url_for("web.index", _external=True))


def tick() -> None:
    """Write down a run every minute."""
    record("tick")


def chain(key: str) -> None:
    """Queue the next job from inside a job (no transaction open: it goes out at once)."""
    from core.jobs import enqueue

    enqueue("probe.record", key)


@hookimpl
def register_jobs(app):
    return [
        Job("probe.record", record),
        Job("probe.fail_first", fail_first, retries=2, retry_delay=30),
        Job("probe.link", link),
        Job("probe.chain", chain),
        Job("probe.tick", tick, schedule=crontab()),
    ]


def runs(key: str | None = None) -> list[tuple[str, int]]:
    """(key, pid) of every recorded run, optionally of one key only."""
    db.session.expire_all()
    query = db.select(ProbeRun.key, ProbeRun.pid).order_by(ProbeRun.id)
    if key is not None:
        query = query.where(ProbeRun.key == key)
    return [tuple(row) for row in db.session.execute(query)]


def create_app():
    """The app a worker process started by a test runs (settings from COMMONGROUND_* variables)."""
    from core import create_app as build

    return build(plugins=[__name__])
