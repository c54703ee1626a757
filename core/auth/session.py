"""Who is asking: session cookie (pages and API) or personal API token (API only).

CSRF is checked for every state-changing request except those authenticated by an
API token, which a browser cannot send on its own. An anonymous API write to an operation
that needs authentication is answered 401 first: there is no session to forge.
"""
from __future__ import annotations

from flask import Flask, g, request
from flask_login import AnonymousUserMixin, current_user
from flask_smorest import abort
from sqlalchemy import Integer, String, bindparam

from core import page_cache
from core.api.access import AUTHENTICATION_REQUIRED, requires_authentication
from core.auth import login_sessions
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
    """The user, their unread count and their login session, in one query; the values are bound
    parameters. Built once per plugin-state version, which decides which kinds of notification count."""
    from core.models import LoginSession
    from core.notifications.inbox import unread_count_select
    from core.notifications.kinds import registry

    user_id = bindparam("cg_user_id", type_=Integer)
    return registry().per_state("user_statement", lambda: (
        db.select(User, unread_count_select(user_id), LoginSession.id, LoginSession.last_seen_at,
                  LoginSession.remembered, *page_cache.user_query_columns())
        .join(LoginSession, LoginSession.user_id == User.id)
        .where(User.id == user_id,
               LoginSession.token_hash == bindparam("cg_token_hash", type_=String))
    ))


def load_user(cookie_id: str) -> User | None:
    """The user of an open login session (the header also needs the unread count: same query)."""
    if request.path.startswith("/api/") and _bearer_secret():
        return None  # a Bearer header means token authentication only, never the cookie
    parsed = login_sessions.parse_cookie_id(cookie_id)
    if parsed is None:
        login_sessions.forget_dead_cookies()
        return None
    user_id, secret = parsed
    row = db.session.execute(_user_statement(),
                             {"cg_user_id": user_id, "cg_token_hash": login_sessions.hash_secret(secret),
                              **page_cache.user_query_parameters(user_id)}).first()
    if row is None:
        login_sessions.forget_dead_cookies()
        return None
    user, unread, session_id, last_seen_at, remembered, *versions = row
    if versions:
        page_cache.remember_versions(user_id, versions)
    if not login_sessions.still_open(last_seen_at, remembered):
        login_sessions.forget_dead_cookies()
        return None
    g._unread = unread or 0
    g.login_session = login_sessions.Current(session_id, last_seen_at)
    login_sessions.touch_if_due(g.login_session)
    return user


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
        if request.method in ("GET", "HEAD", "OPTIONS", "TRACE") or request.routing_exception is not None:
            return  # an unknown URL or method is a 404 or 405 (with Allow), not a CSRF failure
        if request.path.startswith("/api/"):
            if _bearer_secret():
                return
            if not current_user.is_authenticated and requires_authentication():
                # Nobody to act for: the answer is 401, whatever a CSRF token would have said.
                abort(401, message=AUTHENTICATION_REQUIRED)
        if app.config.get("WTF_CSRF_ENABLED", True):
            csrf.protect()
