"""This request's signed CSRF token, signed once per session token and worker.

Flask-WTF signs the session's raw token (itsdangerous: a timestamp and an HMAC) for every
request that shows a form, a cached page included. The signature binds the token to this
session's raw token and the secret key; with ``WTF_CSRF_TIME_LIMIT`` unset (the default) it never
expires, so the one made for this raw token before is exactly as valid as a new one. With a time
limit, a signature is reused for at most a tenth of it. ``validate_csrf`` is unchanged.
"""
from __future__ import annotations

import time

from flask import Flask, current_app, g, session
from flask_wtf.csrf import generate_csrf

#: Signed tokens kept per worker; cleared when full.
MAX_TOKENS = 4096
_signed: dict[tuple, tuple[str, float]] = {}


def csrf_token() -> str:
    """What ``flask_wtf.csrf.generate_csrf`` returns (and it keeps in ``g``), signed at most once
    per raw session token and secret key in this worker."""
    config = current_app.config
    field = config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    if field in g:
        return g.get(field)
    secret = config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key
    limit = config.get("WTF_CSRF_TIME_LIMIT", 3600)
    now = time.monotonic()
    raw = session.get(field)
    if isinstance(raw, str):
        known = _signed.get((secret, field, raw))
        if known is not None and (limit is None or now - known[1] < limit / 10):
            setattr(g, field, known[0])
            return known[0]
    token = generate_csrf()
    raw = session.get(field)
    if isinstance(raw, str):
        if len(_signed) >= MAX_TOKENS:
            _signed.clear()
        _signed[(secret, field, raw)] = (token, now)
    return token


def init_app(app: Flask) -> None:
    """Templates' ``csrf_token()`` is this one (after ``CSRFProtect.init_app`` set Flask-WTF's)."""
    app.jinja_env.globals["csrf_token"] = csrf_token
