"""This request's signed CSRF token, signed once per session token and worker.

Flask-WTF signs the session's raw token (itsdangerous: a timestamp and an HMAC) for every
request that shows a form, a cached page included. The signature binds the token to this
session's raw token and the secret key; with ``WTF_CSRF_TIME_LIMIT`` unset (the default) it never
expires, so the one made for this raw token before is exactly as valid as a new one. With a time
limit, a signature is reused for at most a tenth of it. ``validate_csrf`` is unchanged.
"""
from __future__ import annotations

import contextlib
import time
from collections.abc import Mapping
from typing import Any

from flask import Flask, current_app, g, session
from flask_wtf.csrf import generate_csrf

#: Signed tokens kept per worker; the oldest goes when full (clearing them all re-signed every
#: session's token at once, and a page's token differed from the one before for no reason).
MAX_TOKENS = 4096
_signed: dict[tuple, tuple[str, float]] = {}


def csrf_token() -> str:
    """What ``flask_wtf.csrf.generate_csrf`` returns (and it keeps in ``g``), signed at most once
    per raw session token and secret key in this worker."""
    app = current_app._get_current_object()
    field = app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    if field in g:
        return g.get(field)
    known = signed_before(app, session)
    if known is not None:
        setattr(g, field, known)
        return known
    config = app.config
    secret = config.get("WTF_CSRF_SECRET_KEY") or app.secret_key
    now = time.monotonic()
    token = generate_csrf()
    raw = session.get(field)
    if isinstance(raw, str):
        if len(_signed) >= MAX_TOKENS:
            with contextlib.suppress(RuntimeError, StopIteration, KeyError):  # another thread got there
                del _signed[next(iter(_signed))]  # the oldest: a token just signed stays
        _signed[(secret, field, raw)] = (token, now)
    return token


def signed_before(app: Flask, data: Mapping[str, Any]) -> str | None:
    """The signed token this worker made before for the raw token in session ``data``, if it may
    be reused now; None when a new one must be signed (which may also put a raw token into the
    session). Reads nothing but its arguments: the page cache's front door asks it too."""
    config = app.config
    field = config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    raw = data.get(field)
    if not isinstance(raw, str):
        return None
    known = _signed.get((config.get("WTF_CSRF_SECRET_KEY") or app.secret_key, field, raw))
    limit = config.get("WTF_CSRF_TIME_LIMIT", 3600)
    if known is None or (limit is not None and time.monotonic() - known[1] >= limit / 10):
        return None
    return known[0]


def init_app(app: Flask) -> None:
    """Templates' ``csrf_token()`` is this one (after ``CSRFProtect.init_app`` set Flask-WTF's):
    as a global for imported macros, and through a context processor registered after
    Flask-WTF's, which hands every rendered page its own ``generate_csrf`` (signed anew each
    request: a page's token changed with every second)."""
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.context_processor(lambda: {"csrf_token": csrf_token})
