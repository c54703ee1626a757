"""Who is asking: session cookie (pages and API) or personal API token (API only).

CSRF is checked for every state-changing request except those authenticated by an
API token, which a browser cannot send on its own.
"""
from __future__ import annotations

from flask import Flask, g, request
from flask_login import AnonymousUserMixin
from sqlalchemy import Integer, bindparam

from core.extensions import csrf, db, login_manager
from core.models import ApiToken, User


class Anonymous(AnonymousUserMixin):
    id = None
    is_site_admin = False
    is_suspended = False
    email_confirmed = False
    locale = None
    country = None


def _bearer_secret() -> str | None:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return None


def _user_statement():
    """The user with their unread count; the id is a bound parameter. Built once per plugin-state
    version, which decides which kinds of notification count."""
    from core.notifications.inbox import unread_count_select
    from core.notifications.kinds import registry

    user_id = bindparam("cg_user_id", type_=Integer)
    return registry().per_state("user_statement", lambda: db.select(
        User, unread_count_select(user_id)).where(User.id == user_id))


def load_user(session_id: str) -> User | None:
    """Load the user and their unread-notification count in one query (the header needs both)."""
    if request.path.startswith("/api/") and _bearer_secret():
        return None  # a Bearer header means token authentication only, never the cookie
    try:
        user_id, version = (int(part) for part in session_id.split(":", 1))
    except ValueError:
        return None
    row = db.session.execute(_user_statement(), {"cg_user_id": user_id}).first()
    if row is None or row[0].session_version != version:
        return None
    g._unread = row[1] or 0
    return row[0]


def load_user_from_request(req) -> User | None:
    if not req.path.startswith("/api/"):
        return None
    secret = _bearer_secret()
    if not secret:
        return None
    token = db.session.scalar(db.select(ApiToken).where(ApiToken.token_hash == ApiToken.hash_secret(secret)))
    if token is None or not token.user.is_active:
        return None
    g.api_token = token
    return token.user


def init_login(app: Flask) -> None:
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.anonymous_user = Anonymous
    login_manager.user_loader(load_user)
    login_manager.request_loader(load_user_from_request)
    login_manager.session_protection = "basic"

    @app.before_request
    def _csrf_unless_token():
        if request.method in ("GET", "HEAD", "OPTIONS", "TRACE") or not app.config.get("WTF_CSRF_ENABLED", True):
            return
        if request.path.startswith("/api/") and _bearer_secret():
            return
        csrf.protect()
