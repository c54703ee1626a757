"""Account emails (confirmation, password reset, password changed), written to the outbox.

Each is rendered by the one email renderer in the recipient's language and queued in the
caller's transaction, so the mail exists exactly when the action that caused it was committed.
"""
from __future__ import annotations

from core.auth.tokens import confirmation_token, reset_token
from core.mail_render import absolute, path_for, render_email
from core.models import User
from core.outbox import enqueue


def _send(user: User, kind: str, **context: object) -> None:
    mail = render_email(kind, user, **context)
    enqueue(user.email, mail.subject, mail.text, mail.html)


def send_confirmation(user: User) -> None:
    _send(user, "confirm", url=absolute(path_for("auth.confirm_email", token=confirmation_token(user))))


def send_password_reset(user: User) -> None:
    """The token travels in the link's fragment (never sent in a request) and as a code to paste."""
    token = reset_token(user)
    _send(user, "password_reset", url=absolute(path_for("auth.reset_password")) + "#token=" + token, code=token)


def send_password_changed(user: User) -> None:
    _send(user, "password_changed", url=absolute(path_for("auth.forgot_password")))
