"""Flask's signed-cookie sessions, with a cookie this worker has verified not verified again.

Every request with a session cookie pays for Flask's ``open_session``: a serializer built, the
HMAC checked, the JSON read. A browser sends the same cookie on every request until the session
changes, so the decoded data is kept per worker under the cookie's exact value (and the secret
key it was checked with): the same bytes were verified before, and the cookie's age is still
checked against the session lifetime on each use, as ``loads(max_age=…)`` does. Sessions holding
anything but plain values (a flashed message's list) are not kept, so no request can change
another's data. Whether the session is still logged in is decided by the server's login session
(``core.auth.login_sessions``), never by the cookie alone, with or without this.
"""
from __future__ import annotations

import contextlib
import time
from typing import Any

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature

#: Decoded cookies kept per worker; the oldest goes when full (its browser's next request verifies again).
MAX_COOKIES = 4096
_PLAIN = (str, int, float, bool, type(None))


class CookieSessions(SecureCookieSessionInterface):
    """``SecureCookieSessionInterface`` that remembers the cookies it verified."""

    def __init__(self) -> None:
        self.verified: dict[tuple[Any, str], tuple[dict, float]] = {}

    def known(self, app: Flask, value: str) -> dict | None:
        """The data of cookie ``value`` if this worker verified it before and it is not too old
        (the page cache's front door reads it without building a session; do not change it)."""
        known = self.verified.get((app.secret_key, value))
        if known is None or time.time() - known[1] > int(app.permanent_session_lifetime.total_seconds()):
            return None
        return known[0]

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if not app.secret_key:
            return None  # as Flask: no secret, no session
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        known = self.known(app, value)
        if known is not None:
            return self.session_class(known)
        max_age = int(app.permanent_session_lifetime.total_seconds())
        key = (app.secret_key, value)
        serializer = self.get_signing_serializer(app)
        try:
            data, signed_at = serializer.loads(value, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        if isinstance(data, dict) and all(isinstance(item, _PLAIN) for item in data.values()):
            if len(self.verified) >= MAX_COOKIES:
                with contextlib.suppress(RuntimeError, StopIteration, KeyError):  # another thread got there
                    del self.verified[next(iter(self.verified))]  # the oldest
            self.verified[key] = (dict(data), signed_at.timestamp())
        return self.session_class(data)


def init_app(app: Flask) -> None:
    app.session_interface = CookieSessions()
