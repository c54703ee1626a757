"""The app's jobs: declared by core and plugins through ``register_jobs``, run by the queue.

One ``JobRegistry`` per app lives at ``app.extensions["commonground.jobs"]``. It is filled once
while the app is built, from every installed plugin (a disabled plugin's jobs stay known so
its queued jobs can be read, but they do not run while it is disabled). A job name declared
twice, a name outside the plugin's namespace or something that is not a ``Job`` stops start-up
with the plugin's id.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, current_app

from core.extensions import db
from core.jobs import claims, dispatch
from core.jobs.job import Job, JobError
from core.jobs.queue import JobQueue, build_queue
from core.plugins import get_plugins

log = logging.getLogger("commonground.jobs")

EXTENSION = "commonground.jobs"
CORE_OWNER = "core"
# How long claims are kept: far longer than two schedulers' clocks or a duplicate delivery can differ.
TICK_CLAIM_TTL = timedelta(days=1)
RUN_CLAIM_TTL = timedelta(days=7)


@dataclass(frozen=True)
class DeclaredJob:
    job: Job
    owner: str  # the plugin id that declared it, or "core"
    task: Any  # huey's TaskWrapper


class JobRegistry:
    """Jobs by name for one app, and the queue they run on."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.jobs: dict[str, DeclaredJob] = {}
        self.queue: JobQueue = build_queue(app.config.get("JOBS_URL"), app.config["JOBS_NAME"],
                                           app.instance_path, claim_tick=self._claim_tick)

    def __iter__(self) -> Iterator[DeclaredJob]:
        return iter(sorted(self.jobs.values(), key=lambda declared: declared.job.name))

    def __contains__(self, name: str) -> bool:
        return name in self.jobs

    def get(self, name: str) -> DeclaredJob:
        try:
            return self.jobs[name]
        except KeyError:
            known = ", ".join(sorted(self.jobs)) or "none"
            raise JobError(f"no job named {name!r} is declared (declared: {known})") from None

    def add(self, job: Any, owner: str) -> None:
        """Declare ``job`` for plugin ``owner``; a clash or a stranger's namespace fails loudly."""
        if not isinstance(job, Job):
            raise JobError(f"plugin {owner!r}: register_jobs must return Job objects, got {job!r}")
        if not job.name.startswith(owner + "."):
            raise JobError(f"plugin {owner!r} declares job {job.name!r}: its job names must start "
                           f"with {owner + '.'!r}")
        if job.name in self.jobs:
            raise JobError(f"plugin {owner!r} declares job {job.name!r} twice")
        options = {"context": True, "name": job.name, "retries": job.retries, "retry_delay": job.retry_delay,
                   "retry_backoff": job.retry_backoff if job.retries else 0}
        runner = self._runner(job, owner)
        if job.schedule is not None:
            task = self.queue.periodic_task(job.schedule, **options)(runner)
        else:
            task = self.queue.task(**options)(runner)
        self.jobs[job.name] = DeclaredJob(job, owner, task)

    def enqueue(self, name: str, args: tuple, kwargs: dict, *, at: datetime | None = None,
                delay: timedelta | float | None = None) -> str:
        """Build the queued job and hand it over (on commit); returns its id."""
        declared = self.get(name)
        try:
            json.dumps([args, kwargs])
        except (TypeError, ValueError) as err:
            raise JobError(f"job {name!r}: arguments must be plain values (ids, strings, numbers, "
                           f"lists, dicts), not {err}") from None
        if at is not None and delay is not None:
            raise JobError(f"job {name!r}: give at= or delay=, not both")
        if isinstance(delay, timedelta):
            delay = delay.total_seconds()
        task = declared.task.s(*args, eta=at, delay=delay, **kwargs)
        dispatch.submit(self.queue, task)
        return task.id

    # --- running ----------------------------------------------------------------------------

    def _runner(self, job: Job, owner: str) -> Any:
        """The function huey calls: app and request context, plugin switch, run-once claim."""
        app = self.app

        def run(*args: Any, task: Any = None, **kwargs: Any) -> Any:
            # A fresh app context (its own database session), and a request for SITE_URL.
            with app.app_context(), app.test_request_context("/", base_url=app.config["SITE_URL"]):
                if owner != CORE_OWNER:
                    plugins = get_plugins(app)
                    plugins.refresh()
                    if not plugins.is_enabled(owner):
                        log.info("jobs: %s skipped: plugin %s is disabled", job.name, owner)
                        return None
                key = f"run:{task.id}" if task is not None else None
                if key is not None and not claims.claim(key, RUN_CLAIM_TTL):
                    log.warning("jobs: %s (%s) already ran; not running it again", job.name, task.id)
                    return None
                try:
                    return job.func(*args, **kwargs)
                except BaseException:
                    db.session.rollback()
                    if key is not None:
                        claims.release(key)  # a retry runs under the same id
                    raise

        run.__name__ = job.func.__name__
        run.__module__ = job.func.__module__
        run.__doc__ = job.func.__doc__
        return run

    def _claim_tick(self, name: str, minute: datetime) -> bool:
        with self.app.app_context():
            return claims.claim(f"tick:{name}:{minute:%Y-%m-%dT%H:%M}", TICK_CLAIM_TTL)


def get_registry(app: Flask | None = None) -> JobRegistry:
    return (app or current_app).extensions[EXTENSION]


def init_app(app: Flask) -> JobRegistry:
    """Collect every installed plugin's jobs (core's first); called by ``create_app``."""
    registry = JobRegistry(app)
    app.extensions[EXTENSION] = registry
    plugins = get_plugins(app)
    # Through the hook runner (it logs a failing plugin with its id); core's jobs first.
    outcomes = sorted(plugins.outcomes("register_jobs", app=app), key=lambda o: o.plugin_id != CORE_OWNER)
    for outcome in outcomes:
        if outcome.error is not None:
            if app.config.get("PLUGINS_RAISE_ERRORS"):
                raise outcome.error
            continue
        for job in outcome.result or []:
            registry.add(job, outcome.plugin_id)
    return registry
