"""A test plugin that records the group events and answers the hooks group pages call.

Tests set the module-level tables below (and ``reset()`` them) to steer its answers.
"""
from __future__ import annotations

from markupsafe import Markup, escape
from sqlalchemy import select

from core.models import User
from core.plugins import PluginMeta
from core.plugins.specs import GroupTab, hookimpl

META = PluginMeta(id="group_hooks", name="Group hooks recorder", version="1.0")

EVENTS: list[tuple] = []
PLACEHOLDERS: dict[tuple[str, int], str] = {}  # (content_type, id) -> placeholder HTML
HIDDEN: dict[str, set[str]] = {}  # viewer username -> usernames hidden from them
BLOCKED: set[tuple[str, str]] = set()  # (actor, target) usernames that may not interact
PLACEHOLDER_CALLS: list[tuple[str, tuple[int, ...]]] = []


def reset() -> None:
    for table in (EVENTS, PLACEHOLDERS, HIDDEN, BLOCKED, PLACEHOLDER_CALLS):
        table.clear()


@hookimpl
def group_created(group, user):
    EVENTS.append(("group_created", group.slug, user.username))


@hookimpl
def member_joined(membership):
    EVENTS.append(("member_joined", membership.group.slug, membership.user.username))


@hookimpl
def member_left(group, user):
    EVENTS.append(("member_left", group.slug, user.username))


@hookimpl
def post_created(post):
    EVENTS.append(("post_created", post.group.slug, post.body_source))


@hookimpl
def comment_created(comment):
    EVENTS.append(("comment_created", comment.post_id, comment.body_source))


@hookimpl
def content_placeholders(viewer, content_type, ids):
    PLACEHOLDER_CALLS.append((content_type, tuple(ids)))
    return {i: Markup(PLACEHOLDERS[(content_type, i)]) for i in ids if (content_type, i) in PLACEHOLDERS}


@hookimpl
def hidden_user_ids(viewer):
    names = HIDDEN.get(viewer.username)
    if not names:
        return None
    return select(User.id).where(User.username.in_(sorted(names)))


@hookimpl
def can_interact(actor, target):
    return (actor.username, target.username) not in BLOCKED


@hookimpl
def group_tabs(group, user):
    return [GroupTab(label="Recorder tab", endpoint="groups.members", values={"slug": group.slug}, order=50)]


@hookimpl
def template_slot(name, context):
    if name in ("post_actions", "post_footer"):
        return Markup('<span class="slot-{}">{}</span>').format(name, context["post"].id)
    if name == "comment_actions":
        return Markup('<span class="slot-comment_actions">{}</span>').format(context["comment"].id)
    if name in ("group_sidebar", "group_settings"):
        return Markup('<span class="slot-{}">{}</span>').format(name, escape(context["group"].slug))
    return None
