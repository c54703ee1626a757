"""Signed, expiring tokens for email links; nothing is stored server-side.

A confirmation token is bound to the address it was sent to; a reset token is bound to
the current password hash, so it stops working once it has been used (or the password
changed some other way); an email-change token is bound to the address it changes away from.
"""
from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from core.extensions import db
from core.models import User

CONFIRM_MAX_AGE = 2 * 24 * 60 * 60
RESET_MAX_AGE = 60 * 60
EMAIL_CHANGE_MAX_AGE = 2 * 24 * 60 * 60


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"commonground.{purpose}")


def _fingerprint(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:16]


def confirmation_token(user: User) -> str:
    return _serializer("confirm-email").dumps({"uid": user.id, "em": _fingerprint(user.email)})


def user_for_confirmation(token: str) -> User | None:
    """The user a valid, unexpired confirmation token belongs to, else None."""
    data = _load("confirm-email", token, CONFIRM_MAX_AGE)
    user = _user(data)
    if user is None or data.get("em") != _fingerprint(user.email):
        return None
    return user


def reset_token(user: User) -> str:
    return _serializer("password-reset").dumps({"uid": user.id, "pw": _fingerprint(user.password_hash)})


def user_for_reset(token: str) -> User | None:
    """The user of a valid, unexpired, unused reset token, else None."""
    data = _load("password-reset", token, RESET_MAX_AGE)
    user = _user(data)
    if user is None or data.get("pw") != _fingerprint(user.password_hash):
        return None
    return user


def email_change_token(user: User, new_email: str) -> str:
    """A link for moving ``user`` to ``new_email``, bound to their current address (used once)."""
    return _serializer("email-change").dumps({"uid": user.id, "new": new_email, "em": _fingerprint(user.email)})


def email_change_for(token: str) -> tuple[User, str] | None:
    """The account and new address of a valid, unexpired, unused email-change link; else None."""
    data = _load("email-change", token, EMAIL_CHANGE_MAX_AGE)
    user = _user(data)
    new_email = data.get("new")
    if user is None or not isinstance(new_email, str) or data.get("em") != _fingerprint(user.email):
        return None
    return user, new_email


def _load(purpose: str, token: str, max_age: int) -> dict:
    try:
        data = _serializer(purpose).loads(token, max_age=max_age)
    except BadSignature:  # also SignatureExpired
        return {}
    return data if isinstance(data, dict) else {}


def _user(data: dict) -> User | None:
    uid = data.get("uid")
    if not isinstance(uid, int):
        return None
    return db.session.get(User, uid)
