"""Account emails (confirmation, password reset, password changed), written to the outbox.

Each is rendered in the recipient's language and queued in the caller's transaction, so
the mail exists exactly when the action that caused it was committed.
"""
from __future__ import annotations

from flask import current_app, render_template, url_for
from flask_babel import force_locale

from core.auth.tokens import confirmation_token, reset_token
from core.models import User
from core.outbox import enqueue


def absolute_url(endpoint: str, **values: str) -> str:
    """Links in mail point at the public site address, whatever host served the request."""
    return current_app.config["SITE_URL"].rstrip("/") + url_for(endpoint, **values)


def _send(user: User, template: str, **context: object) -> None:
    with force_locale(user.locale):
        context = {"user": user, "site_name": current_app.config["SITE_NAME"], **context}
        subject = render_template(f"email/{template}.subject.txt", **context).strip()
        text = render_template(f"email/{template}.txt", **context)
        html = render_template(f"email/{template}.html", **context)
    enqueue(user.email, subject, text, html)


def send_confirmation(user: User) -> None:
    _send(user, "confirm", url=absolute_url("auth.confirm_email", token=confirmation_token(user)))


def send_password_reset(user: User) -> None:
    """The token travels in the link's fragment (never sent in a request) and as a code to paste."""
    token = reset_token(user)
    _send(user, "password_reset", url=absolute_url("auth.reset_password") + "#token=" + token, code=token)


def send_password_changed(user: User) -> None:
    _send(user, "password_changed", url=absolute_url("auth.forgot_password"))
