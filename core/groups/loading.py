"""What every group page starts with: the group (or post) for this viewer, else 404; its tabs.

A refused action (``core.groups.errors.ActionError``) needs no handling here: one handler in
``core.errors`` answers it for pages and the API alike.
"""
from __future__ import annotations

import logging
from typing import Any, NamedTuple

from flask import abort, request
from flask_babel import gettext as _
from werkzeug.routing import BuildError

from core.groups import keyset, queries
from core.groups.queries import GroupContext
from core.i18n import text
from core.models import Comment, Post
from core.permissions import can_admin_group, can_review_join_requests, can_view_group_content
from core.plugins import get_plugins
from core.ui import by_role, link, role_key, viewer

log = logging.getLogger("commonground.groups")


def group_or_404(slug: str) -> GroupContext:
    """The group as the current viewer meets it (``GroupContext``), or a 404 page."""
    context = queries.load_group(slug, viewer())
    if context is None:
        abort(404)
    return context


def content_or_404(slug: str) -> GroupContext:
    """The group, only if the viewer may see its posts, comments and members."""
    context = group_or_404(slug)
    if not can_view_group_content(viewer(), context.group):
        abort(404)
    return context


def post_or_404(slug: str, post_id: int) -> tuple[GroupContext, Post]:
    found = queries.load_post(slug, post_id, viewer())
    if found is None:
        abort(404)
    return found


def comment_or_404(slug: str, comment_id: int) -> tuple[GroupContext, Comment]:
    found = queries.load_comment(slug, comment_id, viewer())
    if found is None:
        abort(404)
    return found


def page_or_400(load, *args: Any) -> queries.Page:
    """Run a paginated query; a cursor that was tampered with is a bad request, not a crash."""
    try:
        return load(*args)
    except keyset.BadCursor:
        abort(400)


class Tab(NamedTuple):
    """A tab of a group's pages (a tuple: a page makes one for each plugin's tab)."""

    label: str
    url: str
    current: bool
    badge: int | None = None
    endpoint: str | None = None


def group_tabs(context: GroupContext) -> list[Tab]:
    """Feed and Members, Requests and Settings for staff, then the tabs of plugins enabled for the group.

    Their links are built once per group (``core.ui.link``); who sees which core tab is decided anew,
    plugins' tabs from implementations marked ``answers_by_role`` are remembered per kind of viewer
    and group (``core.ui.by_role``), the others asked anew."""
    group, user = context.group, viewer()
    if not can_view_group_content(user, group):
        return []
    here = request.endpoint
    slug = {"slug": group.slug}
    tabs = [
        Tab(_("Feed"), link("groups.group", slug), here in ("groups.group", "groups.post")),
        Tab(_("Members"), link("groups.members", slug), here == "groups.members"),
    ]
    if can_review_join_requests(user, group) and (group.join_mode == "request" or context.open_requests):
        tabs.append(Tab(_("Requests"), link("groups.requests", slug), here == "groups.requests",
                        badge=context.open_requests or None))
    runner = get_plugins().runner
    # Tabs of implementations marked ``answers_by_role``: remembered per kind of viewer and group.
    plugin_tabs = by_role(("group_tabs", group.id, group.slug, role_key(user, group)), lambda: tuple(
        sorted(_tab_entries(runner.call_each("group_tabs", by_role=True, group=group, user=user)), key=_sort_key))
    ) if runner.reaches_by_role("group_tabs", group) else ()
    others = _tab_entries(runner.call_each("group_tabs", by_role=False, group=group, user=user))
    if others:
        plugin_tabs = sorted((*plugin_tabs, *others), key=_sort_key)
    for _order, label, _position, _index, url, endpoint in plugin_tabs:
        tabs.append(Tab(label, url, here == endpoint, endpoint=endpoint))
    if can_admin_group(user, group):
        tabs.append(Tab(_("Settings"), link("groups.settings", slug), here == "groups.settings"))
    return _mark_plugin_page(tabs, request.blueprint)


def _sort_key(entry: tuple[Any, ...]) -> tuple[Any, ...]:
    return entry[:4]


def _tab_entries(answers: list[tuple[tuple[int, int], Any]]) -> list[tuple[Any, ...]]:
    """(order, label, position, index, url, endpoint) of each plugin's tabs: sorted by ``order``, label
    and then call order, as one call gave them. Each label is translated once (sorting, showing);
    a tab whose endpoint does not exist is logged and dropped."""
    found = []
    for position, answer in answers:
        for index, tab in enumerate(answer):
            label = text(tab.label)
            try:
                url = link(tab.endpoint, tab.values)
            except BuildError:
                log.exception("group tab %r points at an unknown endpoint; dropped", label)
                continue
            found.append((tab.order, label, position, index, url, tab.endpoint))
    return found


def _mark_plugin_page(tabs: list[Tab], blueprint: str | None) -> list[Tab]:
    """On a plugin's other pages (an event of the Events tab) its tab stays the current one."""
    if blueprint is None or any(tab.current for tab in tabs):
        return tabs
    for index, tab in enumerate(tabs):
        if tab.endpoint and tab.endpoint.split(".")[0] == blueprint:
            tabs[index] = tab._replace(current=True)
            break
    return tabs
