"""Rendered pages for logged-in members, kept per worker and keyed by the shared versions.

A page is stored with the versions of the scopes it shows (the site, its group, the viewer) in
its key, so a write anywhere retires it everywhere without telling any worker: the next request
reads the new versions (one round trip) and misses. The key also holds what else the HTML
depends on: the path with its query, the viewer, their language and time zone, their unread
count, the plugin state. The viewer's CSRF token is the one per-request part: it is cut out
before storing and the current request's put back on the way out.

Never cached: visitors, responses that are not 200, a request with a message waiting to be
flashed (or one that flashed), a page while templates auto-reload. Hits and misses answer with
the same headers: ``Cache-Control: private, no-store`` and ``Vary: Cookie``.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from cachetools import TTLCache
from flask import current_app, g, make_response, request, session
from flask_babel import get_timezone
from flask_login import current_user

from core.auth.csrf_tokens import csrf_token
from core.page_cache.scopes import EXTENSION
from core.page_cache.versions import SITE, DatabaseVersions, VersionStore, group_key, user_key

#: Stands for the viewer's CSRF token in stored pages.
CSRF_HOLE = "\x1ecg-csrf\x1e"
DEFAULT_BYTES = 32 * 1024 * 1024
DEFAULT_SECONDS = 300
HEADERS = {"Cache-Control": "private, no-store", "Vary": "Cookie"}


class Entry(NamedTuple):
    body: str
    content_type: str


class PageCache:
    """One app's pages (a byte-bounded LRU with a time limit) and its version store."""

    def __init__(self, versions: VersionStore, max_bytes: int, seconds: int) -> None:
        self.versions = versions
        self.enabled = max_bytes > 0
        self.entries: TTLCache = TTLCache(maxsize=max(max_bytes, 1), ttl=max(seconds, 1),
                                          getsizeof=lambda entry: len(entry.body))
        self.groups: dict[str, int] = {}  # slug -> group id, learned when a page is rendered
        self.lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple) -> Entry | None:
        with self.lock:
            return self.entries.get(key)

    def put(self, key: tuple, entry: Entry) -> None:
        if len(entry.body) > self.entries.maxsize:
            return
        with self.lock:
            self.entries[key] = entry

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.groups.clear()


def cache() -> PageCache:
    return current_app.extensions[EXTENSION]


def note_group(group: Any) -> None:
    """Tell the cache which group the page being rendered shows (its slug's id)."""
    g.cg_page_group = (group.slug, group.id)


#: The pages whose versions ride along in the logged-in user's query (``user_query_columns``).
CACHED_ENDPOINTS = frozenset({"groups.group", "groups.post"})


def user_query_columns() -> tuple:
    """Columns the user's query adds so a group page needs no query of its own for its versions:
    the site's, the person's and the group's (by the slug in the URL, when this worker has seen
    it). Nothing when the versions are not in the database (Redis: one ``MGET`` instead)."""
    if not isinstance(cache().versions, DatabaseVersions):
        return ()
    return tuple(DatabaseVersions.column(name) for name in ("cg_pv_site", "cg_pv_user", "cg_pv_group"))


def user_query_parameters(user_id: int) -> dict[str, str | None]:
    pages = cache()
    if not isinstance(pages.versions, DatabaseVersions):
        return {}
    group_id = None
    if request.endpoint in CACHED_ENDPOINTS and pages.enabled:
        group_id = pages.groups.get((request.view_args or {}).get("slug"))
    g.cg_page_group_id = group_id
    return {"cg_pv_site": SITE, "cg_pv_user": user_key(user_id),
            "cg_pv_group": group_key(group_id) if group_id is not None else None}


def remember_versions(user_id: int, values: Sequence[Any]) -> None:
    """Keep what the user's query read for ``group_page`` (site, group, person, as it reads them)."""
    site, person, group = values
    group_id = g.pop("cg_page_group_id", None)
    if group_id is not None:
        g.cg_page_versions = (group_id, user_id, (site, group, person))


def _versions(pages: PageCache, group_id: int, user_id: int) -> tuple | None:
    carried = g.pop("cg_page_versions", None)
    if carried is not None and carried[0] == group_id and carried[1] == user_id:
        return tuple(version or 0 for version in carried[2])  # no row yet: 0, as DatabaseVersions.read
    return pages.versions.read((SITE, group_key(group_id), user_key(user_id)))


def _viewer_key(login: Any) -> tuple:
    from core.i18n import locale_for
    from core.plugins import get_plugins

    return (login.user_id, login.unread, locale_for(login.locale), str(get_timezone()), get_plugins().state.version)


def group_page(slug: str, render: Callable[[], Any]) -> Any:
    """The response of ``render()`` for a page of group ``slug``, from the cache when the viewer saw
    it before and nothing it shows has changed since.

    The viewer is checked from one Core row (``core.auth.session.session_login``: open login
    session, idle limit, suspension, unread count, versions), not through Flask-Login's ``User``
    object: a hit builds none. A miss renders with the same row (no second query)."""
    from core.auth.session import session_login

    pages = cache()
    if (not pages.enabled or request.method != "GET" or "_flashes" in session
            or current_app.jinja_env.auto_reload):
        return render()
    login = session_login()
    if login is None:  # a visitor, a login not (yet) in the session cookie, a suspended member
        return render()
    group_id = pages.groups.get(slug)
    key = None
    if group_id is not None:
        versions = _versions(pages, group_id, login.user_id)
        if versions is not None:
            key = (request.script_root, request.full_path, group_id, versions, _viewer_key(login))
            entry = pages.get(key)
            if entry is not None:
                pages.hits += 1
                return _respond(entry)
    pages.misses += 1
    response = make_response(render())
    shown = g.pop("cg_page_group", None)
    if shown is not None and shown[0] == slug:
        pages.groups[slug] = shown[1]
        if shown[1] != group_id:
            key = None  # the slug now names another group: the versions read were not its
    if key is not None and (not current_user.is_authenticated or current_user.id != login.user_id):
        key = None  # rendered for someone else after all (the session changed while rendering)
    if key is not None and response.status_code == 200 and not response.direct_passthrough \
            and "_flashes" not in session and response.mimetype == "text/html":
        body = response.get_data(as_text=True)
        token = g.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
        pages.put(key, Entry(body.replace(token, CSRF_HOLE) if token else body, response.content_type))
    if response.status_code == 200:
        response.headers.update(HEADERS)
    return response


def _respond(entry: Entry) -> Any:
    body = entry.body
    if CSRF_HOLE in body:
        body = body.replace(CSRF_HOLE, csrf_token())
    response = current_app.response_class(body, status=200, content_type=entry.content_type)
    response.headers.update(HEADERS)
    return response
