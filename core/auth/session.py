"""Who is asking: session cookie (pages and API) or personal API token (API only).

CSRF is checked for every state-changing request except those authenticated by an
API token, which a browser cannot send on its own. An anonymous API write to an operation
that needs authentication is answered 401 first: there is no session to forge.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, g, request, session
from flask_login import AnonymousUserMixin, current_user
from flask_smorest import abort
from sqlalchemy import Integer, String, bindparam, inspect
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import make_transient_to_detached

from core import page_cache
from core.api.access import AUTHENTICATION_REQUIRED, requires_authentication
from core.auth import login_columns, login_sessions
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


#: Where ``session_login`` leaves what it read for ``load_user`` (this request's environ: never another's).
LOGIN_READ = "commonground.login"


@functools.cache
def user_keys() -> tuple[str, ...]:
    """The user's mapped column attributes, in the order the login statement reads them."""
    return tuple(prop.key for prop in User.__mapper__.column_attrs)


def _login_statement():
    """The user's columns, their unread count and their login session, in one Core query (no ORM
    object is built to run it); the values are bound parameters. Built once per plugin-state
    version, which decides which kinds of notification count. Plugins' ``login_columns`` are
    added to it per request (``core.auth.login_columns``)."""
    from core.models import LoginSession
    from core.notifications.inbox import unread_count_select
    from core.notifications.kinds import registry

    def build():
        users, sessions = User.__table__, LoginSession.__table__
        user_id = bindparam("cg_user_id", type_=Integer)
        columns = [User.__mapper__.get_property(key).columns[0].label(f"cg_u_{key}") for key in user_keys()]
        return (db.select(*columns, unread_count_select(user_id).label("cg_unread"), sessions.c.id,
                          sessions.c.last_seen_at, sessions.c.remembered, *page_cache.user_query_columns())
                .select_from(users.join(sessions, sessions.c.user_id == users.c.id))
                .where(users.c.id == user_id, sessions.c.token_hash == bindparam("cg_token_hash", type_=String)))

    return registry().per_state("login_statement", build)


@dataclass
class Login:
    """An open login session and its user's row, as one query read them."""

    cookie_id: str
    columns: dict[str, Any]  # the user's mapped attributes
    unread: int

    @property
    def user_id(self) -> int:
        return self.columns["id"]

    @property
    def locale(self) -> str | None:
        return self.columns["locale"]

    @property
    def suspended(self) -> bool:
        return User.suspension_in_force(self.columns["suspended_at"], self.columns["suspended_until"])


def open_login(cookie_id: str, *, plugin_columns: bool = True) -> Login | None:
    """The login session the cookies' id names, if it is open now (it exists and has not been idle
    too long), with its user's row: one query. Notes the session for this request (last seen).
    ``plugin_columns``: with the plugins' ``login_columns`` (pages; the JSON API shows no header)."""
    parsed = login_sessions.parse_cookie_id(cookie_id)
    if parsed is None:
        return None
    user_id, secret = parsed
    base = _login_statement()
    statement, layout = login_columns.with_plugin_columns(base, user_id) if plugin_columns else (base, ())
    parameters = {"cg_user_id": user_id, "cg_token_hash": login_sessions.hash_secret(secret),
                  **page_cache.user_query_parameters(user_id)}
    try:
        row = db.session.connection().execute(statement, parameters).first()
    except SQLAlchemyError:
        if not layout:
            raise
        login_columns.failed(layout)  # a plugin's columns must not cost the log-in: without them
        db.session.rollback()
        layout = ()
        row = db.session.connection().execute(base, parameters).first()
    if row is None:
        return None
    names = user_keys()
    if layout:
        plugin_values, row = row[len(row) - len(layout):], row[:len(row) - len(layout)]
    user_values, (unread, session_id, last_seen_at, remembered, *versions) = row[:len(names)], row[len(names):]
    if versions:
        page_cache.remember_versions(user_id, versions)
    if not login_sessions.still_open(last_seen_at, remembered):
        return None
    g._unread = unread or 0
    if layout:
        login_columns.keep(user_id, layout, plugin_values)
    g.login_session = login_sessions.Current(session_id, last_seen_at)
    login_sessions.touch_if_due(g.login_session)
    return Login(cookie_id, dict(zip(names, user_values, strict=True)), g._unread)


def session_login() -> Login | None:
    """This request's login from the Flask session cookie, checked as ``load_user`` checks it, as a
    plain row: for a page served from the page cache, which needs no ``User`` object. None for
    visitors, a login only a remember-me cookie carries, an ended or idle session and a suspended
    member (their page is rendered, where Flask-Login decides as always). ``load_user`` then uses
    what this read instead of asking again."""
    if "_login_user" in g:
        return None  # already loaded the ordinary way
    cookie_id = session.get("_user_id")
    if not isinstance(cookie_id, str) or current_app.login_manager._session_protection_failed():
        return None
    login = open_login(cookie_id)
    request.environ[LOGIN_READ] = (cookie_id, login)
    if login is None or login.suspended:
        return None
    return login


def _user_from(login: Login) -> User:
    """The ``User`` of ``login``'s row, in the session without another query (``merge(load=False)``,
    SQLAlchemy's way in for rows read elsewhere); an instance already in the session with changes
    of its own keeps them, as a query would."""
    key = db.session.identity_key(User, login.user_id)
    present = db.session.identity_map.get(key)
    if present is not None and inspect(present).modified:
        return present
    user = User(**login.columns)
    make_transient_to_detached(user)
    return db.session.merge(user, load=False)


def load_user(cookie_id: str) -> User | None:
    """The user of an open login session (the header also needs the unread count: same query)."""
    api = request.path.startswith("/api/")
    if api and _bearer_secret():
        return None  # a Bearer header means token authentication only, never the cookie
    read = request.environ.pop(LOGIN_READ, None)
    login = read[1] if read is not None and read[0] == cookie_id else open_login(cookie_id, plugin_columns=not api)
    if login is None:
        login_sessions.forget_dead_cookies()
        return None
    return _user_from(login)


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
    login_columns.init_app()
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
