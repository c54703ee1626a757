"""What a job is: a named function that core or a plugin declares through ``register_jobs``."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

JOB_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")


class JobError(RuntimeError):
    """A job declared wrongly or twice, or enqueued under an unknown name or with bad arguments."""


@dataclass(frozen=True)
class Job:
    """A unit of background work, declared once per app by core or a plugin.

    ``name`` starts with the declaring plugin's id (``"helpcenter.remind"``; core's start with
    ``"core."``) and is what ``enqueue`` takes and what the queue stores, so keep it stable.
    ``func`` runs in a worker inside an app context, with a request context for ``SITE_URL``
    (``url_for`` builds the site's links; nobody is signed in). Its arguments are stored in the
    queue until it runs: pass ids and plain values (JSON types), never model objects, and never
    more about a person than the job needs.

    ``schedule`` makes the job periodic: a function of a UTC ``datetime`` that says whether the
    job is due in that minute, usually ``crontab(minute="*/5")``. Each due minute runs once,
    however many workers there are.

    A job that raises is retried ``retries`` times, first after ``retry_delay`` seconds, each
    wait ``retry_backoff`` times the last. Jobs must be idempotent: running one twice (a retry
    after a partial run, an operator re-running it) must do no harm.
    """

    name: str
    func: Callable[..., Any]
    schedule: Callable[[datetime], bool] | None = None
    retries: int = 0
    retry_delay: float = 0
    retry_backoff: float = 1
    description: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not JOB_NAME.match(self.name):
            raise JobError(f"job name {self.name!r} must look like 'plugin_id.what_it_does' "
                           "(lowercase letters, digits and underscores, dot-separated)")
        if not callable(self.func):
            raise JobError(f"job {self.name!r}: func must be callable, not {self.func!r}")
        if self.retries < 0 or self.retry_delay < 0 or self.retry_backoff < 1:
            raise JobError(f"job {self.name!r}: retries and retry_delay must be >= 0, retry_backoff >= 1")

    @property
    def summary(self) -> str:
        """One line for ``flask jobs list``: the description, else the function's first docstring line."""
        text = self.description or (self.func.__doc__ or "").strip()
        return text.splitlines()[0] if text else ""
