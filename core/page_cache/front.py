"""The page cache's front door: a hit answered in front of Flask.

A page-cache hit through Flask still pays for Flask's and Werkzeug's request machinery —
request and response objects, the app and request contexts, seven before-request and three
after-request functions, Flask-Login, the session — about four fifths of what a hit costs. This
WSGI layer, wrapped directly around Flask's ``wsgi_app``, answers a GET of a cached page (a group's
feed ``/g/<slug>``, a post ``/g/<slug>/p/<id>``, the member's home ``/``, with a plain query
string such as a feed's ``?before=`` cursor) when everything the ordinary path would decide is
already known, and hands every other request to Flask unchanged:

- the session cookie is one this worker verified before (``CookieSessions.known``), holds a
  login (``_user_id``), no flashed message, no remember-me cookie to set or clear, is not a
  permanent session Flask would re-send, and passes Flask-Login's session protection without
  being changed;
- the CSRF token for its raw token was signed before in this worker (``csrf_tokens.signed_before``);
- **one prebuilt query** on a pooled DBAPI connection reads what ``session_login`` checks — the
  login session exists, is not idle past its limit and needs no "last seen" write, the member is
  not suspended, their language and unread count — plus the plugin-state version and, with the
  versions in the database, the page versions (the home page's group versions too). With Redis
  versions: the query and one ``MGET``;
- the key built from these is exactly the one ``pages.group_page`` / ``pages.home_page`` build,
  so the entry found is the one Flask would serve; a miss anywhere falls through and Flask renders
  and stores as before;
- the response headers are a hit's as Flask sent them, learned from the last such response of
  this worker (only the length differs); until one was seen, hits go through Flask.

Everything else falls through: HEAD, a query string with escapes, a body, an unknown cookie, a
plugin-state version this worker has not loaded, templates auto-reloading, configured default or
application-wide rate limits, trusted-host checks, a time-zone selector, a member's language
the site does not offer, and any error. The layer also stands aside for good when the app has
request hooks it does not know (a plugin's ``before_request`` might refuse the request): only
core's own, whose outcome for such a GET it reproduces, are skipped.
"""
from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import Flask

from core.page_cache.pages import HIT_MARK, HOME_GROUPS_MAX, PageCache
from core.page_cache.scopes import EXTENSION
from core.page_cache.versions import SITE, DatabaseVersions, group_key, user_key

log = logging.getLogger("commonground.page_cache")

#: ``/g/<slug>`` and ``/g/<slug>/p/<id>``, plain ASCII only (anything else goes through Flask).
GROUP_PAGE = re.compile(r"/g/([a-z0-9][a-z0-9_-]*)(?:/p/[0-9]+)?")
#: Query strings read as they are written (no escapes, no ``+``): ``request.full_path`` is then
#: this text, and no value can hold what input hygiene refuses. A feed's ``?before=`` cursor is one.
PLAIN_QUERY = re.compile(r"[A-Za-z0-9._~=&-]*")
#: Memo sizes (cleared when full): cookie headers, session-protection identifiers.
MEMO_MAX = 4096

#: The request hooks a hit may skip: for a GET of a cached page without body or escapes,
#: with the checks above, none of them changes the answer (the plugin gate refreshes state —
#: the front door requires the state loaded; the limiter exempts these pages; CSRF and input
#: checks pass a bodiless GET; the site profile is cached per state; the remember-me cookie is
#: touched only with ``_remember`` in the session; security headers are in the learned headers).
KNOWN_HOOKS = frozenset({
    "core.plugins.web.install_gate.<locals>.plugin_gate",
    "core.storage._upload_limit",
    "flask_wtf.csrf.CSRFProtect.init_app.<locals>.csrf_protect",
    "flask_limiter._extension.Limiter._check_request_limit",
    "core.auth.session.init_login.<locals>._csrf_unless_token",
    "core.input_hygiene.init_app.<locals>._refuse_unstorable_input",
    "core.site_profile.init_app.<locals>._load_site",
    "flask_limiter._extension.Limiter.__inject_headers",
    "flask_login.login_manager.LoginManager._update_remember_cookie",
    "core.security.init_app.<locals>._headers",
    "flask_limiter._extension.Limiter.__release_context",
    "flask_sqlalchemy.extension.SQLAlchemy._teardown_session",
    "core.testing._fresh_request_globals",  # the test suite's: empties ``g``, which a hit never uses
})


def _name(function: Any) -> str:
    function = getattr(function, "func", function)  # functools.partial
    return f"{getattr(function, '__module__', '?')}.{getattr(function, '__qualname__', '?')}"


@dataclass
class Prepared:
    """A statement compiled once for the engine's dialect, run on a raw DBAPI cursor.

    Executing a Core statement costs several times the query itself (cache key, execution
    context, result object); this keeps only the SQL string, the static parameter values and
    the columns' result processors (SQLite's dates arrive as text)."""

    sql: str
    parameters: list[Any] | dict[str, Any]  # the static values; list: a positional paramstyle
    slots: tuple[tuple[Any, str], ...]  # (index or name, dynamic parameter) to fill in per run
    processors: tuple[Callable[[Any], Any] | None, ...]

    @classmethod
    def build(cls, statement: Any, dialect: Any, dynamic: dict[str, Any]) -> Prepared:
        compiled = statement.compile(dialect=dialect)
        expanded = compiled.construct_expanded_state(dynamic)  # IN lists of the filters rendered
        static = dict(expanded.parameters)
        for name, process in expanded.processors.items():
            if name in static and name not in dynamic and static[name] is not None:
                static[name] = process(static[name])
        processors = tuple(column.type._cached_result_processor(dialect, None)
                           for column in statement.selected_columns)
        if expanded.positiontup is None:
            return cls(expanded.statement, static, tuple((name, name) for name in dynamic), processors)
        order = expanded.positiontup
        return cls(expanded.statement, [static[name] for name in order],
                   tuple((index, name) for index, name in enumerate(order) if name in dynamic), processors)

    def run(self, engine: Any, values: dict[str, Any]) -> tuple | None:
        """The first row with ``values`` for the dynamic parameters (None: no row)."""
        parameters = self.parameters.copy()
        for slot, name in self.slots:
            parameters[slot] = values[name]  # type: ignore[index]
        connection = engine.raw_connection()
        try:
            cursor = connection.cursor()
            try:
                cursor.execute(self.sql, parameters)
                row = cursor.fetchone()
            finally:
                cursor.close()
        except Exception:
            connection.invalidate()  # a broken connection must not go back to the pool
            raise
        finally:
            connection.close()
        if row is None:
            return None
        return tuple(value if process is None else process(value)
                     for value, process in zip(row, self.processors, strict=True))


class FrontDoor:
    """WSGI middleware around Flask's ``wsgi_app`` (see the module docstring)."""

    def __init__(self, app: Flask, wsgi_app: Callable) -> None:
        self.app = app
        self.wsgi_app = wsgi_app
        self.allowed: bool | None = None  # decided once Flask has handled a request
        self.lock = threading.Lock()
        self.statements: dict[tuple, Prepared] = {}
        self.statements_for: Any = None  # the plugin state the statements were built for
        self.engine: Any = None
        self.cookies: dict[str, str | None] = {}
        self.identifiers: dict[tuple, str] = {}
        self.timezones: dict[str, str] = {}
        self.locales: dict[str, str] = {}
        self.queries = 0  # statements run here (they bypass SQLAlchemy's events; tests count them)

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        kind = _kind(environ)
        if kind is None:
            return self.wsgi_app(environ, start_response)
        try:
            answer = self.answer(environ, kind)
        except Exception:
            log.warning("page cache front door: handing %s to Flask after an error", environ.get("PATH_INFO"),
                        exc_info=True)
            answer = None
        if answer is None:
            return self.wsgi_app(environ, self._learning(environ, kind[0], start_response))
        headers, body = answer
        start_response("200 OK", headers)
        return [body]

    # --- when a hit may skip Flask ------------------------------------------------------------

    def _allowed(self) -> bool:
        if self.allowed is None:
            if not self.app._got_first_request:
                return False
            self.allowed = self._hooks_known()
            if not self.allowed:
                log.info("page cache front door off: the app has request hooks it does not know")
        return self.allowed

    def _hooks_known(self) -> bool:
        from flask import request_finished, request_started

        app = self.app
        functions: list[Any] = list(app.teardown_appcontext_funcs)
        for table in (app.before_request_funcs, app.after_request_funcs, app.teardown_request_funcs,
                      app.url_value_preprocessors):
            for blueprint in (None, "groups", "web"):
                functions.extend(table.get(blueprint, ()))
        for signal in (request_started, request_finished):
            functions.extend(signal.receivers_for(app))
        return all(_name(function) in KNOWN_HOOKS for function in functions)

    def _config_allows(self, pages: PageCache) -> bool:
        app = self.app
        config = app.config
        return (pages.enabled and config.get("PAGE_CACHE_FRONT_DOOR", True) and self._allowed()
                and not config.get("RATELIMIT_DEFAULT")
                and not config.get("RATELIMIT_APPLICATION") and config.get("TRUSTED_HOSTS") is None
                and not app.jinja_env.auto_reload)

    # --- the answer ---------------------------------------------------------------------------

    def answer(self, environ: dict, kind: tuple[str, str | None]) -> tuple[list, bytes] | None:
        """(headers, body) of the cached page this request would get through Flask, or None."""
        app = self.app
        pages: PageCache = app.extensions[EXTENSION]
        if not self._config_allows(pages):
            return None
        data = self._session(environ)
        if data is None:
            return None
        from core.auth import csrf_tokens, login_sessions

        token = csrf_tokens.signed_before(app, data)
        parsed = login_sessions.parse_cookie_id(data["_user_id"])
        if token is None or parsed is None:
            return None
        user_id, secret = parsed
        group_id = None
        if kind[0] == "group":
            group_id = pages.groups.get(kind[1])
            if group_id is None:
                return None
        from core.plugins import get_plugins

        state = get_plugins(app).state
        if state.version is None:
            return None
        database = isinstance(pages.versions, DatabaseVersions)
        home_groups: tuple[int, ...] = ()
        if kind[0] == "home":
            with pages.lock:
                memo = pages.home_groups.get(user_id)
            if memo is None or len(memo[1]) > HOME_GROUPS_MAX:
                return None
            home_groups = memo[1]
        values = {"cg_user_id": user_id, "cg_token_hash": login_sessions.hash_secret(secret)}
        if database:
            values.update(cg_pv_site=SITE, cg_pv_user=user_key(user_id))
            if group_id is not None:
                values["cg_pv_group"] = group_key(group_id)
            values.update((f"cg_pv_g{n}", group_key(i)) for n, i in enumerate(home_groups))
        prepared = self._prepared(state, kind[0], database, len(home_groups))
        self.queries += 1
        row = prepared.run(self.engine, values)
        if row is None:
            return None
        last_seen_at, remembered, locale, suspended_at, suspended_until, unread, state_version, *versions = row
        if (state_version or 0) != state.version or not self._login_open(last_seen_at, remembered) \
                or suspended_at is not None and _suspended(suspended_at, suspended_until) \
                or locale not in app.config["LANGUAGES"]:
            return None
        timezone = self._timezone()
        if timezone is None:
            return None
        root = environ.get("SCRIPT_NAME", "").rstrip("/")
        full_path = environ["PATH_INFO"] + "?" + environ.get("QUERY_STRING", "")
        if kind[0] == "group":
            if not database:
                versions = pages.versions.read((SITE, group_key(group_id), user_key(user_id)))
                if versions is None:
                    return None
            else:
                site, person, group = versions
                versions = (site or 0, group or 0, person or 0)
            key = (root, full_path, group_id, tuple(versions), (user_id, unread or 0, locale, timezone, state.version))
        else:
            if database:
                base = (versions[0] or 0, versions[1] or 0)
                group_versions = tuple(version or 0 for version in versions[2:])
            else:
                read = pages.versions.read((SITE, user_key(user_id), *(group_key(i) for i in home_groups)))
                if read is None:
                    return None
                base, group_versions = tuple(read[:2]), tuple(read[2:])
            if memo[0] != base:
                return None
            key = (root, full_path, "home", base, home_groups, group_versions,
                   (user_id, unread or 0, self._locale(locale), timezone, state.version))
        entry = pages.get(key)
        if entry is None:
            return None
        learned = pages.headers.get((kind[0], entry.content_type))
        if learned is None:
            return None
        body = entry.body(token)
        headers, length_at = learned
        headers = headers.copy()
        headers[length_at] = (headers[length_at][0], str(len(body)))
        pages.hits += 1
        pages.front_hits += 1
        return headers, body

    def _session(self, environ: dict) -> dict | None:
        """The verified session data of the request's cookie, if a hit can leave it as it is."""
        from flask_login.utils import _create_identifier

        from core.auth.cookie_sessions import CookieSessions

        app = self.app
        interface = app.session_interface
        header = environ.get("HTTP_COOKIE")
        if not header or not isinstance(interface, CookieSessions) or not app.secret_key:
            return None
        value = self._cookie(header, app.config["SESSION_COOKIE_NAME"])
        data = interface.known(app, value) if value else None
        if data is None or not isinstance(data.get("_user_id"), str) or "_flashes" in data or "_remember" in data:
            return None
        permanent = bool(data.get("_permanent"))
        if permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]:
            return None  # Flask sends the cookie again on every response
        manager = app.login_manager
        mode = app.config.get("SESSION_PROTECTION", manager.session_protection)
        if mode in ("basic", "strong"):
            if manager._session_identifier_generator is not _create_identifier:
                return None  # an identifier of the site's own: only Flask-Login can compute it
            if data.get("_id") != self._identifier(environ):
                # Flask-Login lets it through unchanged only when the session is already marked
                # not fresh (basic mode, or a permanent session); otherwise it marks or ends it.
                from flask_login.signals import session_protected

                if (mode != "basic" and not permanent) or data.get("_fresh") is not False \
                        or session_protected.receivers:
                    return None
        return data

    def _cookie(self, header: str, name: str) -> str | None:
        value = self.cookies.get(header, False)
        if value is False:
            from werkzeug.http import parse_cookie

            value = parse_cookie(header).get(name)
            if len(self.cookies) >= MEMO_MAX:
                self.cookies.clear()
            self.cookies[header] = value
        return value  # type: ignore[return-value]

    def _identifier(self, environ: dict) -> str | None:
        """Flask-Login's session identifier (``_create_identifier``) for this request's address
        and browser, from the environ; None for values it would encode differently."""
        address = environ.get("HTTP_X_FORWARDED_FOR", environ.get("REMOTE_ADDR"))
        agent = environ.get("HTTP_USER_AGENT")
        memo = (address, agent)
        found = self.identifiers.get(memo)
        if found is None:
            if not (address is None or address.isascii()) or not (agent is None or agent.isascii()):
                return None
            remote = address.encode().split(b",")[0].strip() if address is not None else None
            browser = agent.encode() if agent is not None else None
            found = hashlib.sha512(f"{remote}|{browser}".encode()).hexdigest()
            if len(self.identifiers) >= MEMO_MAX:
                self.identifiers.clear()
            self.identifiers[memo] = found
        return found

    def _login_open(self, last_seen_at: Any, remembered: Any) -> bool:
        """Open (``login_sessions.still_open``) and not due for a "last seen" write, which Flask makes."""
        from core.models.base import utcnow

        config = self.app.config
        now = utcnow()
        idle = config["REMEMBER_COOKIE_DURATION" if remembered else "LOGIN_SESSION_IDLE_SECONDS"]
        touch = config["LOGIN_SESSION_TOUCH_SECONDS"]
        return last_seen_at > now - _delta(idle) and last_seen_at > now - _delta(touch)

    def _timezone(self) -> str | None:
        """``str(flask_babel.get_timezone())`` without a request: the default, or None with a selector."""
        babel = self.app.extensions["babel"]
        if babel.timezone_selector is not None:
            return None
        name = babel.default_timezone
        found = self.timezones.get(name)
        if found is None:
            from pytz import timezone

            found = self.timezones[name] = str(timezone(name))
        return found

    def _locale(self, locale: str) -> str:
        """``str(flask_babel.get_locale())`` for a member's language the site offers."""
        found = self.locales.get(locale)
        if found is None:
            from babel import Locale

            found = self.locales[locale] = str(Locale.parse(locale))
        return found

    # --- the statement ------------------------------------------------------------------------

    def _prepared(self, state: Any, kind: str, database: bool, groups: int) -> Prepared:
        """The login-and-versions statement for this page kind, built once per plugin state (the
        unread count depends on which notification kinds count)."""
        with self.lock:
            if self.statements_for is not state:
                self.statements, self.statements_for = {}, state
            found = self.statements.get((kind, database, groups))
        if found is None:
            with self.app.app_context():
                from core.extensions import db

                self.engine = db.engine
                statement, dynamic = _statement(kind, database, groups)
                found = Prepared.build(statement, self.engine.dialect, dynamic)
            with self.lock:
                if self.statements_for is state:
                    self.statements[(kind, database, groups)] = found
        return found

    def _learning(self, environ: dict, kind: str, start_response: Callable) -> Callable:
        """``start_response`` that keeps the headers of a hit Flask answered (no cookie set),
        for the front door to answer with from then on."""

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            if environ.get(HIT_MARK) and status == "200 OK" and exc_info is None:
                names = [name.lower() for name, _value in headers]
                if "set-cookie" not in names and "content-length" in names and "content-type" in names:
                    pages: PageCache = self.app.extensions[EXTENSION]
                    content_type = headers[names.index("content-type")][1]
                    pages.headers[(kind, content_type)] = (list(headers), names.index("content-length"))
            return start_response(status, headers, exc_info)

        return start


def _kind(environ: dict) -> tuple[str, str | None] | None:
    """("group", slug) or ("home", None) for a GET the front door may answer; None for the rest."""
    if environ.get("REQUEST_METHOD") != "GET" or environ.get("CONTENT_TYPE") \
            or not PLAIN_QUERY.fullmatch(environ.get("QUERY_STRING", "")) \
            or not environ.get("SCRIPT_NAME", "").isascii():
        return None
    path = environ.get("PATH_INFO", "")
    if path == "/":
        return "home", None
    match = GROUP_PAGE.fullmatch(path)
    return ("group", match.group(1)) if match is not None else None


def _delta(value: Any) -> timedelta:
    return value if isinstance(value, timedelta) else timedelta(seconds=float(value))


def _suspended(suspended_at: Any, suspended_until: Any) -> bool:
    from core.models import User

    return User.suspension_in_force(suspended_at, suspended_until)


def _statement(kind: str, database: bool, groups: int) -> tuple[Any, dict[str, Any]]:
    """(statement, dummy values of its dynamic parameters): the login session joined to its
    member (as ``core.auth.session``'s login statement), their unread count, the plugin-state
    version and, in the database, the page versions of this kind of page."""
    from sqlalchemy import Integer, String, bindparam, select

    from core.models import LoginSession, StateVersion, User
    from core.notifications.inbox import unread_count_select

    users, sessions, states = User.__table__, LoginSession.__table__, StateVersion.__table__
    user_id = bindparam("cg_user_id", type_=Integer)
    dynamic: dict[str, Any] = {"cg_user_id": 0, "cg_token_hash": ""}
    versions: list[Any] = []
    if database:
        names: Sequence[str] = ("cg_pv_site", "cg_pv_user", *(("cg_pv_group",) if kind == "group" else ()),
                                *(f"cg_pv_g{n}" for n in range(groups)))
        versions = [DatabaseVersions.column(name) for name in names]
        dynamic.update((name, "") for name in names)
    statement = (
        select(sessions.c.last_seen_at, sessions.c.remembered, users.c.locale, users.c.suspended_at,
               users.c.suspended_until, unread_count_select(user_id).label("cg_unread"),
               select(states.c.version).where(states.c.id == 1).scalar_subquery().label("cg_state"), *versions)
        .select_from(users.join(sessions, sessions.c.user_id == users.c.id))
        .where(users.c.id == user_id, sessions.c.token_hash == bindparam("cg_token_hash", type_=String)))
    return statement, dynamic


def install(app: Flask) -> None:
    """Put the front door directly around Flask's ``wsgi_app`` (inside any proxy fix-up, so it
    sees the client's address as Flask-Login does)."""
    door = FrontDoor(app, app.wsgi_app)
    app.extensions[EXTENSION].front = door
    app.wsgi_app = door  # type: ignore[method-assign]
