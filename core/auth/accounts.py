"""Account actions shared by the web pages, the API and the CLI.

Views validate input with the schemas, then call these; the caller commits. Keeping
the rules here means a page and its API twin cannot drift apart.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from core.auth import emails, login_sessions
from core.extensions import db
from core.models import User
from core.models.base import utcnow
from core.plugins import get_plugins

_dummy_hash: str | None = None


class SignupConflict(Exception):
    """Someone took the email or username between validation and commit."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


def conflict_message(field: str) -> str:
    if field == "email":
        return _("An account with this email address already exists. Log in, or reset your password if you forgot it.")
    return _("This username is taken. Please choose another.")


def register(data: dict[str, Any], *, confirmed: bool = False, site_admin: bool = False) -> User:
    """Create the account from validated ``SignupSchema`` data, tell plugins, queue the confirmation mail."""
    now = utcnow()
    user = User(
        email=data["email"], username=data["username"], display_name=data["display_name"],
        locale=data.get("locale") or "en", country=data.get("country"), adult_attested_at=now,
        email_confirmed_at=now if confirmed else None, is_site_admin=site_admin,
    )
    user.set_password(data["password"])
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError as exc:  # a concurrent sign-up won the race; nothing else is in this transaction
        db.session.rollback()
        taken = db.session.scalar(db.select(User.id).where(db.func.lower(User.email) == data["email"]))
        raise SignupConflict("email" if taken else "username") from exc
    get_plugins().call("user_registered", user=user)
    if not confirmed:
        emails.send_confirmation(user)
    return user


def find_by_login(login: str) -> User | None:
    """An email address or a username, case-insensitively."""
    login = login.strip().lower()
    column = User.email if "@" in login else User.username
    return db.session.scalar(db.select(User).where(db.func.lower(column) == login))


def authenticate(login: str, password: str) -> User | None:
    """The account if ``password`` is right; the same work is done for unknown accounts (no timing hint)."""
    global _dummy_hash
    user = find_by_login(login)
    if user is None:
        if _dummy_hash is None:
            method = current_app.config["PASSWORD_HASH_METHOD"]
            _dummy_hash = generate_password_hash("not a real password", method=method)
        check_password_hash(_dummy_hash, password)
        return None
    return user if user.check_password(password) else None


def suspension_message(user: User) -> str:
    if user.suspended_until:
        message = _("Your account is suspended until %(until)s.", until=format_datetime(user.suspended_until, "medium"))
    else:
        message = _("Your account is suspended.")
    if user.suspension_reason:
        message += " " + _("Reason: %(reason)s", reason=user.suspension_reason)
    return message


def confirm_email(user: User) -> None:
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()


def set_password(user: User, password: str, *, keep_session: bool = False) -> None:
    """New password: every other session ends (this one too without ``keep_session``); the owner hears by mail."""
    user.set_password(password)
    login_sessions.end_all(user, keep_current=keep_session)
    emails.send_password_changed(user)


def request_password_reset(email: str) -> None:
    """Queue a reset mail if the address belongs to an account; say nothing either way."""
    user = db.session.scalar(db.select(User).where(db.func.lower(User.email) == email.strip().lower()))
    if user is not None and not user.is_suspended:
        emails.send_password_reset(user)


def reset_password(user: User, password: str) -> None:
    """The reset mail proves the address too, so an unconfirmed account becomes confirmed."""
    confirm_email(user)
    set_password(user, password)


def suspend(user: User, reason: str, until: Any = None) -> None:
    """Suspend an account (until ``until``, or for good) for ``reason``, which they are shown; its sessions end."""
    user.suspended_at = utcnow()
    user.suspended_until = until
    user.suspension_reason = reason
    login_sessions.end_all(user)


def unsuspend(user: User) -> None:
    """Lift a suspension."""
    user.suspended_at = None
    user.suspended_until = None
    user.suspension_reason = None


def safe_next(target: str | None, default: str) -> str:
    """Only same-site paths are followed after log-in (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(ch) < 32 for ch in target):
        return default
    return target
