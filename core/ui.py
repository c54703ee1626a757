"""Template globals shared by every page: navigation from plugins, unread count, form error lists."""
from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any, NamedTuple

from flask import Flask, current_app, g, request, url_for
from flask.globals import _cv_app, _cv_request
from flask_babel import format_decimal
from flask_login import current_user
from markupsafe import Markup

from core.extensions import db
from core.i18n import _translations, text
from core.identity_memo import IdentityMemo
from core.plugins import get_plugins

LINKS_SIZE = 4096


def link(endpoint: str, values: Mapping[str, Any] | None = None) -> str:
    """``url_for(endpoint, **values)``, built once per app, host and mount point and then remembered.

    The links of the navigation and of group tabs (a plugin's endpoint, a group's slug) are the
    same on every page, and building one costs more than the rest of its tab. A relative URL
    depends on nothing else here (no URL defaults or subdomains); values with an ``_`` option
    (``_external``, ``_anchor``) or that cannot be a key are built each time. Raises
    ``BuildError`` as ``url_for`` does (and remembers nothing then).
    """
    values = values or {}
    if any(name.startswith("_") for name in values):
        return url_for(endpoint, **values)
    environ = request.environ
    key = (environ.get("HTTP_HOST"), environ.get("SCRIPT_NAME", ""), endpoint, tuple(sorted(values.items())))
    try:
        memo = current_app.extensions["commonground.links"]
    except KeyError:
        memo = current_app.extensions["commonground.links"] = {}
    try:
        found = memo.get(key)
    except TypeError:  # a value that cannot be hashed
        return url_for(endpoint, **values)
    if found is None:
        if len(memo) >= LINKS_SIZE:
            memo.clear()
        found = memo[key] = url_for(endpoint, **values)
    return found


CONSTANTS_SIZE = 4096


def page_constant(key: Hashable, build: Callable[[], Any]) -> Any:
    """``build()``, built once per app, host, mount point, language and ``key`` and then remembered.

    For HTML that is the same on every page but for those: a link pattern a plugin fills with
    each post's id, a sidebar link of a group (``key`` then holds the group's slug). ``build``
    may call ``url_for`` (relative URLs) and ``gettext``; anything else it depends on (the
    viewer, a permission, a setting) must be in ``key`` or decided outside it. Outside a request
    it is simply called. Bounded (4,096 values, then cleared). Plugins ask it several times on
    every page, so the request's context is read without Flask's proxies.
    """
    context = _cv_request.get(None)
    if context is None:
        return build()
    translations = _translations()
    environ = context.request.environ
    full = (environ.get("HTTP_HOST"), environ.get("SCRIPT_NAME", ""), id(translations), key)
    extensions = context.app.extensions
    memo = extensions.get("commonground.page_constants")
    if memo is None:
        memo = extensions["commonground.page_constants"] = {}
    found = memo.get(full)
    if found is not None and found[0] is translations:  # the catalog the id was taken from
        return found[1]
    value = build()
    if len(memo) >= CONSTANTS_SIZE:
        memo.clear()
    memo[full] = (translations, value)
    return value


_REQUEST_MEMOS = "commonground.request_memos"


def request_memo(name: str) -> dict[Any, Any]:
    """A dict of its own for ``name`` that lives as long as the request: for what a plugin works
    out once per page and reads again for each list, slot or item – the viewer's link pattern,
    who may be messaged. Outside a request (a job, the shell) a fresh dict each time: nothing is
    remembered there. Cheaper than ``g.setdefault``: no Werkzeug proxy lookup per ask. Name it
    after your plugin (``"myplugin.links"``)."""
    context = _cv_request.get(None)
    if context is None:
        return {}
    environ = context.request.environ
    memos = environ.get(_REQUEST_MEMOS)
    if memos is None:
        memos = environ[_REQUEST_MEMOS] = {}
    found = memos.get(name)
    if found is None:
        found = memos[name] = {}
    return found


def forget_request_memos(*names: str) -> None:
    """Empty these ``request_memo`` dicts for the rest of the request (what they held is stale: the
    request wrote, or the login's values arrived)."""
    context = _cv_request.get(None)
    memos = None if context is None else context.request.environ.get(_REQUEST_MEMOS)
    if memos is not None:
        for name in names:
            memos.pop(name, None)


class NavLink(NamedTuple):
    """A plugin's navigation entry as the header shows it (``NavItem`` with its URL built)."""

    label: Any
    url: str
    badge: int | None


def viewer() -> Any:
    """The person viewing the page (or Flask-Login's anonymous user) as an object, not the
    ``current_user`` proxy: code that reads many attributes of it (hooks, per-item slots) then
    skips the proxy's lookup on each one. Once Flask-Login has loaded them, read from where it
    keeps them (``g._login_user``) without a proxy: an attribute read through one costs about
    twenty times a plain one (Python first fails the proxy's own lookup, raising an error)."""
    context = _cv_request.get(None)
    if context is not None:
        found = vars(_cv_app.get().g).get("_login_user")
        if found is not None:
            return found
    return current_user._get_current_object()  # type: ignore[attr-defined]


def role_key(user: Any, group: Any = None) -> Hashable:
    """The viewer's kind, all an ``answers_by_role`` implementation may depend on: None for a
    visitor; (suspended, site admin, email confirmed, role in ``group`` or None) for a member."""
    from core.permissions import is_authenticated, membership

    if not is_authenticated(user):
        return None
    role = None
    if group is not None:
        found = membership(user, group)
        role = None if found is None else found.role
    return bool(user.is_suspended), bool(user.is_site_admin), bool(user.email_confirmed), role


BY_ROLE_SIZE = 4096


def by_role(key: Hashable, build: Callable[[], Any]) -> Any:
    """``build()`` for the ``answers_by_role`` implementations of a hook, and for the
    ``answers_by_blueprint`` ones of a page slot: remembered per app, host, mount point, language,
    plugin state (its object: a reload is a new one) and ``key`` (the hook, ``role_key`` and the
    group; or the slot and the page's blueprint). Not remembered when a plugin failed while building it (it is asked
    again next time). Bounded (4,096 values, then cleared). Asked twice on every group page, so
    the request's context is read without Flask's proxies."""
    context = _cv_request.get(None)
    if context is None:
        return build()
    app = context.app
    plugins = app.extensions["commonground.plugins"]
    state = plugins.current_state()
    translations = _translations()
    environ = context.request.environ
    full = (environ.get("HTTP_HOST"), environ.get("SCRIPT_NAME", ""), id(translations), id(state), key)
    memo = app.extensions.get("commonground.by_role")
    if memo is None:
        memo = app.extensions["commonground.by_role"] = {}
    found = memo.get(full)
    if found is not None and found[0] is translations and found[1] is state:
        return found[2]
    runner = plugins.runner
    failures = runner.failures
    value = build()
    if runner.failures == failures:
        if len(memo) >= BY_ROLE_SIZE:
            memo.clear()
        memo[full] = (translations, state, value)
    return value


def _nav_entries(answers: list[tuple[tuple[int, int], Any]]) -> list[tuple[Any, ...]]:
    """(order, label, position, index, NavLink) of each plugin's items: the sort key, then the link."""
    found = []
    for position, items in answers:
        for index, item in enumerate(items):
            label = text(item.label)
            shown = Markup(label) if hasattr(item.label, "__html__") else label
            found.append((item.order, label, position, index, NavLink(shown, link(item.endpoint, item.values),
                                                                      item.badge)))
    return found


def _sort_key(entry: tuple[Any, ...]) -> tuple[Any, ...]:
    return entry[:4]


def nav_items() -> Sequence[NavLink]:
    """Plugins' entries of the main navigation, in order, with their links (``link``).

    Each label is translated once (``core.i18n.text``), for sorting and showing; one that renders
    itself as HTML (a lazy string, ``Markup``) is shown as such, as before. The entries of
    implementations marked ``answers_by_role`` are remembered per kind of viewer (``by_role``);
    the others are asked on every page, and laid out once for the tuples they hand back
    (``_merged``). The order is the one a single call gave: by ``order``, label, then call order."""
    user = viewer()
    runner = get_plugins().runner
    fixed = by_role(("nav_items", role_key(user)), lambda: tuple(
        sorted(_nav_entries(runner.call_each("nav_items", by_role=True, user=user)), key=_sort_key))
    ) if runner.reaches_by_role("nav_items") else ()
    answers = runner.call_each("nav_items", by_role=False, user=user)
    if not answers:
        return [entry[4] for entry in fixed]
    if all(items.__class__ is tuple for _position, items in answers):
        return _merged(fixed, answers)
    return _laid_out(fixed, answers)


def _laid_out(fixed: tuple[tuple[Any, ...], ...], answers: list[tuple[tuple[int, int], Any]]) -> list[NavLink]:
    found = _nav_entries(answers)
    found.extend(fixed)
    found.sort(key=_sort_key)
    return [entry[4] for entry in found]


_MERGED: IdentityMemo[tuple[NavLink, ...]] = IdentityMemo(1024)


def _merged(fixed: tuple[tuple[Any, ...], ...], answers: list[tuple[tuple[int, int], Any]]) -> tuple[NavLink, ...]:
    """``_laid_out`` for answers that are all tuples, remembered by their identity (kept with the
    result, so their ids stay theirs), the language's catalog, host and mount point: a plugin whose
    entries carry a count hands back the same tuple for the same counts (built once, e.g. with
    ``functools.lru_cache``), and the page then pays a dict lookup for the whole navigation."""
    context = _cv_request.get(None)
    if context is None:
        return tuple(_laid_out(fixed, answers))
    environ = context.request.environ
    parts = (fixed, _translations(), *(items for _position, items in answers))
    values = (environ.get("HTTP_HOST"), environ.get("SCRIPT_NAME", ""), *(position for position, _items in answers))
    return _MERGED.get(parts, values, lambda: tuple(_laid_out(fixed, answers)))


ENTRIES_SIZE = 1024
_ENTRIES: dict[Any, Markup] = {}
_NOTHING = Markup("")
_LINE = Markup("\n")


def _entries_html(kind: str, entries: Sequence[Any], build: Callable[[Any], Markup]) -> Markup:
    """``build(entry)`` for each entry, joined: remembered by the entries' values (a label's class
    too: ``Markup("<b>")`` equals ``"<b>"`` but is shown as it is). The navigation and a group's
    tabs are the same on most pages; Jinja escaped and joined each item's parts on every one."""
    if not entries:
        return _NOTHING
    try:
        key = (kind, *((entry, entry.label.__class__) for entry in entries))
        found = _ENTRIES.get(key)
    except TypeError:  # a value that cannot be hashed: built each time
        return _LINE.join(build(entry) for entry in entries)
    if found is None:
        if len(_ENTRIES) >= ENTRIES_SIZE:
            _ENTRIES.clear()
        found = _ENTRIES[key] = _LINE.join(build(entry) for entry in entries)
    return found


def _badge(count: int) -> str:
    return "99+" if count > 99 else str(count)


def _nav_entry(item: NavLink) -> Markup:
    badge = Markup(' <span class="badge">{}</span>').format(_badge(item.badge)) if item.badge else ""
    return Markup('<li><a href="{}">{}{}</a></li>').format(item.url, item.label, badge)


def nav_badges(items: Sequence[NavLink]) -> int:
    """The badges of the menu's items added up, for the count on the closed menu (Jinja's
    ``selectattr`` and ``sum(attribute=...)`` built an attribute getter for each on every page)."""
    return sum(item.badge for item in items if item.badge)


def nav_entries(items: Sequence[NavLink]) -> Markup:
    """The menu's ``<li>`` for each plugin's item (``nav_items``): its link, label and badge."""
    return _entries_html("nav", items, _nav_entry)


def _tab_entry(tab: Any) -> Markup:
    current = Markup(' aria-current="page"') if tab.current else ""
    badge = Markup(' <span class="badge">{}</span>').format(tab.badge) if tab.badge else ""
    return Markup('<li><a href="{}"{}>{}{}</a></li>').format(tab.url, current, tab.label, badge)


def tab_entries(tabs: Sequence[Any]) -> Markup:
    """The ``<li>`` for each tab of a group's pages (``core.groups.loading.Tab``): link, the current
    page's mark, label and badge."""
    return _entries_html("tabs", tabs, _tab_entry)


def unread_notifications() -> int:
    """Unread count for the header (visible kinds only); one COUNT query, memoised for the request."""
    from core.notifications.inbox import unread_count_select

    if not current_user.is_authenticated:
        return 0
    if "_unread" not in g:
        g._unread = db.session.scalar(db.select(unread_count_select(current_user.id))) or 0
    return g._unread


def init_app(app: Flask) -> None:
    from core.avatars import avatar
    from core.errors import _size_text
    from core.schemas.error_messages import message_list
    from core.storage import file_url, image_srcset

    app.jinja_env.globals.update(nav_items=nav_items, nav_badges=nav_badges, nav_entries=nav_entries,
                                 tab_entries=tab_entries, unread_notifications=unread_notifications, avatar=avatar,
                                 file_url=file_url, image_srcset=image_srcset)
    app.jinja_env.filters["error_list"] = message_list
    app.jinja_env.filters["filesize"] = _size_text
    app.jinja_env.filters["format_number"] = format_decimal  # 10000 -> "10,000" / "10.000" by language
