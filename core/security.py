"""Security headers on every response and cookie settings.

- A Content-Security-Policy without ``'unsafe-inline'``: no inline scripts, no inline styles
  (templates load ``/static`` files only; a test scans them), and images only from this site
  and the hosts in ``IMAGE_HOSTS_ALLOWED`` (``core.image_hosts``).
- No framing, no MIME sniffing, a same-origin referrer, HSTS when cookies are marked Secure.
- Session and remember-me cookies are HttpOnly and SameSite=Lax; ``SESSION_COOKIE_SECURE``
  (set it behind HTTPS) also makes the remember-me cookie Secure unless that is set on its own.
"""
from __future__ import annotations

from flask import Flask, Response

from core import image_hosts

# For responses with secrets or a person's data (a new API token, the data export): no browser,
# proxy or back button keeps a copy.
NO_STORE = {"Cache-Control": "no-store"}

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src {img_src}; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def content_security_policy(allowed_image_hosts: tuple[str, ...] = ()) -> str:
    """The policy: images from this site, ``data:`` (no request leaves the browser) and the allowed hosts.

    No other remote image loads, so a picture in a post cannot report its readers to a third party.
    """
    return CSP.format(img_src=" ".join(["'self'", "data:", *image_hosts.csp_sources(allowed_image_hosts)]))


def init_app(app: Flask) -> None:
    if app.config.get("REMEMBER_COOKIE_SECURE") is None:
        app.config["REMEMBER_COOKIE_SECURE"] = bool(app.config.get("SESSION_COOKIE_SECURE"))
    policy = content_security_policy(image_hosts.parse(app.config.get("IMAGE_HOSTS_ALLOWED")))

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response
