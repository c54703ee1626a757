"""gunicorn settings for Common Ground; gunicorn reads ``./gunicorn.conf.py`` when started here.

Command-line options (``--workers 4 --bind 127.0.0.1:8000``) still apply on top. This file adds:

- the worker count for the app (``COMMONGROUND_WEB_WORKERS``), and a check before any worker
  starts: several workers with rate limits counted per process (``memory://``) stop the server
  with a message, unless ``COMMONGROUND_RATELIMIT_ALLOW_PER_PROCESS=true`` (docs/deploy.md);
- an access log that leaves out the help center (``PRIVATE_PATHS``): who asked for help, from
  which address, is nobody's business — not even the server log's.
"""
from __future__ import annotations

import os

from gunicorn.glogging import Logger

# Requests to these paths (and below them) never reach the access log.
PRIVATE_PATHS = ("/help",)


def is_private(path: str) -> bool:
    return any(path == prefix or path.startswith(prefix + "/") for prefix in PRIVATE_PATHS)


class AccessLogWithoutPrivatePaths(Logger):
    """gunicorn's logger, minus the access-log lines of private paths."""

    def access(self, resp, req, environ, request_time):
        if is_private(environ.get("PATH_INFO") or ""):
            return
        super().access(resp, req, environ, request_time)


logger_class = AccessLogWithoutPrivatePaths


def on_starting(server):
    """In the master, before workers fork: tell them how many they are, refuse per-process limits."""
    os.environ["COMMONGROUND_WEB_WORKERS"] = str(server.cfg.workers)
    from core.rate_limit_storage import check_before_serving

    check_before_serving(server.cfg.workers)
