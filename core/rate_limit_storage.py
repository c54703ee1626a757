"""Refuse to serve with several worker processes when rate limits are counted per process.

``memory://`` (the default, right for ``make run``) keeps each worker's counters to itself:
with four gunicorn workers a visitor gets four log-in allowances, and the help form's limits
barely hold. A site that runs several workers must count in a shared store (Redis), or say
explicitly that per-process limits are acceptable (``RATELIMIT_ALLOW_PER_PROCESS``).

How the app knows the number of workers: the ``WEB_WORKERS`` setting, which the shipped
``gunicorn.conf.py`` fills from gunicorn's own ``workers`` (as ``COMMONGROUND_WEB_WORKERS``);
otherwise the ``WEB_CONCURRENCY`` environment variable that gunicorn, uvicorn and most
platforms read. gunicorn's master also runs the check before any worker starts, so a bad
configuration stops the server with one clear message instead of workers failing to boot.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

PER_PROCESS_SCHEMES = frozenset({"memory"})


class PerProcessRateLimits(RuntimeError):
    """Several workers, each counting rate limits alone, and nobody said that is fine."""


def web_workers(config: Mapping[str, Any], environ: Mapping[str, str] = os.environ) -> int | None:
    """How many processes serve the site, if anyone said: ``WEB_WORKERS``, else ``WEB_CONCURRENCY``."""
    for value in (config.get("WEB_WORKERS"), environ.get("WEB_CONCURRENCY")):
        if value in (None, ""):
            continue
        try:
            return int(value)
        except (TypeError, ValueError):
            continue
    return None


def counts_per_process(config: Mapping[str, Any]) -> bool:
    uri = str(config.get("RATELIMIT_STORAGE_URI") or "memory://")
    return bool(config.get("RATELIMIT_ENABLED", True)) and uri.split(":", 1)[0] in PER_PROCESS_SCHEMES


def check(config: Mapping[str, Any], workers: int | None) -> None:
    """Raise ``PerProcessRateLimits`` for more than one worker with per-process counters."""
    if not workers or workers <= 1 or not counts_per_process(config) or config.get("RATELIMIT_ALLOW_PER_PROCESS"):
        return
    raise PerProcessRateLimits(
        f"{workers} web workers would each count rate limits on their own "
        f"(RATELIMIT_STORAGE_URI={config.get('RATELIMIT_STORAGE_URI') or 'memory://'}), so the limits on "
        "log-in, sign-up, password reset and the help form would not hold. Count them in Redis: "
        "COMMONGROUND_RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0 (see docs/deploy.md), run one worker, "
        "or accept per-process limits with COMMONGROUND_RATELIMIT_ALLOW_PER_PROCESS=true."
    )


def check_before_serving(workers: int) -> None:
    """For a server's master process: the same check on the configuration the app will load."""
    from flask import Flask

    from core.config import load_config

    probe = Flask("core", instance_relative_config=True)
    load_config(probe, {"WEB_WORKERS": workers})
    check(probe.config, workers)
