"""Template globals shared by every page: navigation from plugins, unread count, form error lists."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from flask import Flask, current_app, g, request, url_for
from flask_babel import format_decimal
from flask_login import current_user

from core.extensions import db
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


class NavLink(NamedTuple):
    """A plugin's navigation entry as the header shows it (``NavItem`` with its URL built)."""

    label: Any
    url: str
    badge: int | None


def nav_items() -> list[NavLink]:
    """Plugins' entries of the main navigation, in order, with their links (``link``)."""
    items = get_plugins().call_flat("nav_items", user=current_user)
    return [NavLink(item.label, link(item.endpoint, item.values), item.badge)
            for item in sorted(items, key=lambda item: (item.order, str(item.label)))]


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

    app.jinja_env.globals.update(nav_items=nav_items, unread_notifications=unread_notifications, avatar=avatar,
                                 file_url=file_url, image_srcset=image_srcset)
    app.jinja_env.filters["error_list"] = message_list
    app.jinja_env.filters["filesize"] = _size_text
    app.jinja_env.filters["format_number"] = format_decimal  # 10000 -> "10,000" / "10.000" by language
