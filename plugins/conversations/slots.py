"""Links this plugin adds to core pages: message someone, message a group's team, take a post private."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from core.plugin_api import can_moderate, is_authenticated


def _viewer() -> Any:
    return current_user if is_authenticated(current_user) else None


def profile_actions(context: dict) -> Markup | None:
    viewer, user = _viewer(), context.get("user")
    if viewer is None or user is None or user.id == viewer.id:
        return None
    return Markup('<a class="button conversations-message" href="{}">{}</a>').format(
        url_for("conversations.new", to=user.username), _("Send a message"))


def group_sidebar(context: dict) -> Markup | None:
    viewer, group = _viewer(), context.get("group")
    if viewer is None or group is None:
        return None
    return Markup('<p><a class="button conversations-team" href="{}">{}</a></p>').format(
        url_for("conversations_team.write", slug=group.slug), _("Message the team"))


def post_actions(context: dict) -> Markup | None:
    """Moderators move a heated public post into a private conversation with its author."""
    viewer, post, group = _viewer(), context.get("post"), context.get("group")
    if viewer is None or post is None or group is None or post.author_id in (None, viewer.id):
        return None
    if not can_moderate(viewer, group):
        return None
    return Markup('<a class="conversations-take-private" href="{}" rel="nofollow">{}</a>').format(
        url_for("conversations_team.take_private", slug=group.slug, post_id=post.id),
        _("Take this to a private message"))


RENDERERS: dict[str, Callable[[dict], Markup | None]] = {
    "profile_actions": profile_actions,
    "group_sidebar": group_sidebar,
    "post_actions": post_actions,
}
