"""Links this plugin adds to core pages: message someone, message a group's team, take a post private."""
from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup

from core.plugin_api import can_moderate, is_authenticated, page_constant, request_memo, viewer
from plugins.conversations.rules import messageable


def _viewer() -> Any:
    found = viewer()
    return found if is_authenticated(found) else None


def profile_actions(context: dict) -> Markup | None:
    """"Send a message", only where the message would not be refused (blocks, "nobody", cool-down)."""
    viewer, user = _viewer(), context.get("user")
    if viewer is None or user is None or user.id not in messageable(viewer, [user]):
        return None
    return Markup('<a class="button conversations-message" href="{}">{}</a>').format(
        url_for("conversations.new", to=user.username), _("Send a message"))


def _messageable_on_page(viewer, members: list) -> set[int]:
    """Who on this page of members may be messaged: one query for the page, remembered for the request."""
    key = (viewer.id, tuple(m.user_id for m in members))
    memo = request_memo("conversations.messageable")
    if key not in memo:
        memo[key] = messageable(viewer, [m.user for m in members])
    return memo[key]


def member_actions(context: dict) -> Markup | None:
    """"Message" beside each member of a group's member list the viewer may write to."""
    viewer, membership = _viewer(), context.get("membership")
    if viewer is None or membership is None:
        return None
    if membership.user_id not in _messageable_on_page(viewer, context.get("members") or [membership]):
        return None
    return Markup('<a class="conversations-message" href="{}">{}<span class="visually-hidden">: {}</span></a>').format(
        url_for("conversations.new", to=membership.user.username), _("Send a message"), membership.user.display_name)


def group_sidebar(context: dict) -> Markup | None:
    viewer, group = _viewer(), context.get("group")
    if viewer is None or group is None:
        return None
    return page_constant(("conversations.team_link", group.slug), lambda: Markup(
        '<p><a class="button conversations-team" href="{}">{}</a></p>').format(
        url_for("conversations_team.write", slug=group.slug), _("Message the team")))


# A number no id reaches (ids are 32-bit): the link is built once per request and group around it.
_ID = "98765432109"


def _take_private_pattern(group: Any) -> tuple[int, tuple[str, str]] | None:
    """(viewer id, the link split around the post's id) if the viewer moderates ``group``, else None;
    asked once per request and group, as a feed shows the slot on every post."""
    memo = request_memo("conversations.take_private")
    if group.id not in memo:
        viewer = _viewer()
        memo[group.id] = None if viewer is None or not can_moderate(viewer, group) else (viewer.id, page_constant(
            ("conversations.take_private", group.slug), lambda: tuple(str(
                Markup('<a class="conversations-take-private" href="{}" rel="nofollow">{}</a>').format(
                    url_for("conversations_team.take_private", slug=group.slug, post_id=int(_ID)),
                    _("Take this to a private message"))).split(_ID))))
    return memo[group.id]


_markup = partial(str.__new__, Markup)
"""``Markup(text)`` for a ``str`` ``text`` – what ``Markup.__new__`` makes of one – without its
Python-level constructor: one per post of a feed."""


def post_actions_list(items: list[dict], group: Any) -> list[Markup | None] | None:
    """Moderators move a heated public post into a private conversation with its author: the link
    is built once for the list (``_take_private_pattern``), each post gets its own id."""
    if group is None:
        return None
    found = _take_private_pattern(group)
    if found is None:
        return None
    viewer_id, (before, after) = found
    out: list[Markup | None] = []
    append = out.append
    for context in items:
        post = context.get("post")
        author_id = None if post is None else post.author_id
        if author_id is None or author_id == viewer_id:
            append(None)
        else:
            append(_markup(f"{before}{post.id:d}{after}"))  # :d – an integer id, or it raises
    return out


RENDERERS: dict[str, Callable[[dict], Markup | None]] = {
    "profile_actions": profile_actions,
    "member_actions": member_actions,
    "group_sidebar": group_sidebar,
}
