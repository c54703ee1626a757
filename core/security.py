"""Security headers on every response and cookie settings.

- A Content-Security-Policy without ``'unsafe-inline'``: no inline scripts, no inline styles
  (templates load ``/static`` files only; a test scans them).
- No framing, no MIME sniffing, a same-origin referrer, HSTS when cookies are marked Secure.
- Session and remember-me cookies are HttpOnly and SameSite=Lax; ``SESSION_COOKIE_SECURE``
  (set it behind HTTPS) also makes the remember-me cookie Secure unless that is set on its own.
"""
from __future__ import annotations

from flask import Flask, Response

# For responses with secrets or a person's data (a new API token, the data export): no browser,
# proxy or back button keeps a copy.
NO_STORE = {"Cache-Control": "no-store"}

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def init_app(app: Flask) -> None:
    if app.config.get("REMEMBER_COOKIE_SECURE") is None:
        app.config["REMEMBER_COOKIE_SECURE"] = bool(app.config.get("SESSION_COOKIE_SECURE"))

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response
