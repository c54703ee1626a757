"""Rendered pages for logged-in members, kept per worker and keyed by the shared versions.

Two kinds of page: a group's (``group_page``: its feed, a post) is keyed by the site's, the
group's and the viewer's versions; the member's home page (``home_page``) shows all their
groups, so it is keyed by the site's and the viewer's versions and the versions of every group
the member belongs to, asked to join or is invited to (see ``home_page``).

A page is stored with the versions of the scopes it shows (the site, its group, the viewer) in
its key, so a write anywhere retires it everywhere without telling any worker: the next request
reads the new versions (one round trip) and misses. The key also holds what else the HTML
depends on: the path with its query, the viewer, their language and time zone, their unread
count, the plugin state. The viewer's CSRF token is the one per-request part: it is cut out
before storing and the current request's put back on the way out.

Never cached: visitors, responses that are not 200, a request with a message waiting to be
flashed (or one that flashed), a page while templates auto-reload. Hits and misses answer with
the same headers: ``Cache-Control: private, no-store`` and ``Vary: Cookie``.

Most hits never get here: the front door (``front.py``) answers them in front of Flask with the
same key, entry and headers. What reaches these functions is what it leaves to Flask.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from cachetools import LRUCache, TTLCache
from flask import current_app, g, has_app_context, make_response, request, session
from flask_babel import get_locale, get_timezone
from flask_login import current_user

from core.auth.csrf_tokens import csrf_token
from core.page_cache.scopes import EXTENSION
from core.page_cache.versions import SITE, DatabaseVersions, VersionStore, group_key, user_key

#: Stands for the viewer's CSRF token in stored pages.
CSRF_HOLE = "\x1ecg-csrf\x1e"
DEFAULT_BYTES = 32 * 1024 * 1024
DEFAULT_SECONDS = 300
HEADERS = {"Cache-Control": "private, no-store", "Vary": "Cookie"}
#: Members whose home page's groups a worker remembers (an entry is a few hundred bytes).
HOME_MEMBERS = 10_000
#: A member in more groups than this gets their home page rendered each time: reading that many
#: versions per request would cost more than it saves.
HOME_GROUPS_MAX = 200


#: Set in the WSGI environ of a request ``_respond`` answered from the cache (the front door,
#: ``core.page_cache.front``, learns a hit's headers from such a response).
HIT_MARK = "commonground.page_cache.hit"


class Entry(NamedTuple):
    """A stored page: its UTF-8 body cut at the CSRF token's places, and its content type."""

    parts: tuple[bytes, ...]
    content_type: str

    @classmethod
    def of(cls, body: str, content_type: str) -> Entry:
        return cls(tuple(part.encode() for part in body.split(CSRF_HOLE)), content_type)

    def body(self, token: str) -> bytes:
        """The page with ``token`` in the CSRF holes (one join, no search through the page)."""
        return token.encode().join(self.parts) if len(self.parts) > 1 else self.parts[0]


class PageCache:
    """One app's pages (a byte-bounded LRU with a time limit) and its version store."""

    def __init__(self, versions: VersionStore, max_bytes: int, seconds: int) -> None:
        self.versions = versions
        self.enabled = max_bytes > 0
        self.entries: TTLCache = TTLCache(maxsize=max(max_bytes, 1), ttl=max(seconds, 1),
                                          getsizeof=lambda entry: sum(map(len, entry.parts)))
        self.groups: dict[str, int] = {}  # slug -> group id, learned when a page is rendered
        # user id -> ((site version, person version), the ids of the groups their home page shows)
        self.home_groups: LRUCache = LRUCache(maxsize=HOME_MEMBERS)
        self.lock = threading.Lock()
        self.hits = 0
        self.misses = 0
        self.front_hits = 0  # of ``hits``: answered by the front door, in front of Flask
        self.front: Any = None  # the front door (``core.page_cache.front.FrontDoor``)
        # (page kind, content type) -> a hit's response headers as Flask sent them, and where
        # Content-Length is among them (``front``)
        self.headers: dict[tuple[str, str], tuple[list[tuple[str, str]], int]] = {}

    def get(self, key: tuple) -> Entry | None:
        with self.lock:
            return self.entries.get(key)

    def put(self, key: tuple, entry: Entry) -> None:
        if sum(map(len, entry.parts)) > self.entries.maxsize:
            return
        with self.lock:
            self.entries[key] = entry

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.groups.clear()
            self.home_groups.clear()
            self.headers.clear()


def cache() -> PageCache:
    return current_app.extensions[EXTENSION]


def note_group(group: Any) -> None:
    """Tell the cache which group the page being rendered shows (its slug's id)."""
    g.cg_page_group = (group.slug, group.id)


#: The pages whose versions ride along in the logged-in user's query (``user_query_columns``).
CACHED_ENDPOINTS = frozenset({"groups.group", "groups.post"})
#: The cached pages, none of which has a rate limit of its own (``_skip_limiter_on_pages``).
LIMIT_FREE_ENDPOINTS = CACHED_ENDPOINTS | {"web.index"}


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
    """Keep what the user's query read for ``group_page`` and ``home_page`` (site, person, group)."""
    site, person, group = values
    g.cg_user_versions = (user_id, (site or 0, person or 0))  # no row yet: 0, as DatabaseVersions.read
    group_id = g.pop("cg_page_group_id", None)
    if group_id is not None:
        g.cg_page_versions = (group_id, user_id, (site, group, person))


def _versions(pages: PageCache, group_id: int, user_id: int) -> tuple | None:
    carried = g.pop("cg_page_versions", None)
    if carried is not None and carried[0] == group_id and carried[1] == user_id:
        return tuple(version or 0 for version in carried[2])  # no row yet: 0, as DatabaseVersions.read
    return pages.versions.read((SITE, group_key(group_id), user_key(user_id)))


def _login_key(login: Any) -> tuple:
    from core.i18n import locale_for
    from core.plugins import get_plugins

    return (login.user_id, login.unread, locale_for(login.locale), str(get_timezone()), get_plugins().state.version)


def _viewer_key(user: Any) -> tuple:
    from core.plugins import get_plugins
    from core.ui import unread_notifications

    return (user.id, unread_notifications(), str(get_locale()), str(get_timezone()), get_plugins().state.version)


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
            key = (request.script_root, request.full_path, group_id, versions, _login_key(login))
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
    return _keep(pages, key, response)


def _cacheable(pages: PageCache) -> bool:
    return (pages.enabled and request.method == "GET" and current_user.is_authenticated
            and "_flashes" not in session and not current_app.jinja_env.auto_reload)


def _keep(pages: PageCache, key: tuple | None, response: Any) -> Any:
    """Store ``response`` under ``key`` (None: do not) if it may be kept; the cache's headers."""
    if key is not None and response.status_code == 200 and not response.direct_passthrough \
            and "_flashes" not in session and response.mimetype == "text/html":
        body = response.get_data(as_text=True)
        token = g.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
        pages.put(key, Entry.of(body.replace(token, CSRF_HOLE) if token else body, response.content_type))
    if response.status_code == 200:
        response.headers.update(HEADERS)
    return response


def home_page(render: Callable[[], Any]) -> Any:
    """The response of ``render()`` for the logged-in member's home page, from the cache when
    nothing it shows has changed since.

    What it shows comes from the member's groups — the groups with their unread counts and
    waiting requests, a feed across them, invitations and requests to join — and their own
    rows, so its key holds the site's and the person's versions and the version of each group
    they belong to, asked to join or are invited to (a write in any of them retires it; a write
    in a group they are not in does not). Which groups those are is itself known by the
    person's version: every membership, join request and invitation replaces it. A worker keeps
    that list per member under the two versions it was read at, so a hit costs the same round
    trips as a group page, plus one read of the groups' versions.

    A render that shows a group outside that list (a plugin's home slot naming another group)
    is not kept; the group joins the list, and the next render is kept under its version too.
    """
    pages = cache()
    if not _cacheable(pages):
        return render()
    user = current_user._get_current_object()
    found = _home_versions(pages, user.id)
    key = None
    if found is not None:
        base, groups, versions = found
        key = (request.script_root, request.full_path, "home", base, groups, versions, _viewer_key(user))
        entry = pages.get(key)
        if entry is not None:
            pages.hits += 1
            return _respond(entry)
    pages.misses += 1
    g.cg_home_groups = set()
    try:
        response = make_response(render())
    finally:
        shown = g.pop("cg_home_groups", set())
    if found is not None and not shown <= set(found[1]):
        with pages.lock:
            pages.home_groups[user.id] = (found[0], tuple(sorted(shown | set(found[1]))))
        key = None
    return _keep(pages, key, response)


def _home_versions(pages: PageCache, user_id: int) -> tuple[tuple, tuple, tuple] | None:
    """((site, person) versions, the member's group ids, those groups' versions), or None when
    the versions cannot be read or the member is in too many groups. One round trip when this
    worker knows the member's groups at the person's current version (in the database the site's
    and person's versions come with the user's query), two when it does not (plus a query for
    the groups)."""
    with pages.lock:
        memo = pages.home_groups.get(user_id)
    carried = g.pop("cg_user_versions", None)
    if carried is not None and carried[0] == user_id:
        base = carried[1]
    else:
        known = memo[1] if memo is not None else ()
        values = pages.versions.read((SITE, user_key(user_id), *(group_key(i) for i in known)))
        if values is None:
            return None
        base = tuple(values[:2])
        if memo is not None and memo[0] == base:
            return base, known, tuple(values[2:])
    if memo is not None and memo[0] == base:
        groups = memo[1]
    else:
        groups = _home_group_ids(user_id)
        with pages.lock:
            pages.home_groups[user_id] = (base, groups)
    if len(groups) > HOME_GROUPS_MAX:
        return None
    if not groups:
        return base, groups, ()
    versions = pages.versions.read(tuple(group_key(i) for i in groups))
    return None if versions is None else (base, groups, tuple(versions))


def _home_group_ids(user_id: int) -> tuple[int, ...]:
    """The groups a member's home page shows: theirs, those they asked to join, those inviting them."""
    from sqlalchemy import select, union

    from core.extensions import db
    from core.models import Invitation, JoinRequest, Membership

    statement = union(
        select(Membership.group_id).where(Membership.user_id == user_id),
        select(JoinRequest.group_id).where(JoinRequest.user_id == user_id, JoinRequest.status == "pending"),
        select(Invitation.group_id).where(Invitation.user_id == user_id, Invitation.status == "pending"))
    return tuple(sorted(db.session.connection().execute(statement).scalars()))


_recording = False


def record_shown_groups() -> None:
    """Note each group loaded while a home page renders (``Group``'s ``load`` event), once per process."""
    global _recording
    if _recording:
        return
    _recording = True
    from sqlalchemy import event

    from core.models import Group

    event.listen(Group, "load", _group_loaded)


def _group_loaded(group: Any, _context: Any) -> None:
    if has_app_context():
        shown = g.get("cg_home_groups")
        if shown is not None:
            shown.add(group.id)


def _respond(entry: Entry) -> Any:
    body = entry.body(csrf_token() if len(entry.parts) > 1 else "")
    response = current_app.response_class(body, status=200, content_type=entry.content_type)
    response.headers.update(HEADERS)
    request.environ[HIT_MARK] = True
    return response
