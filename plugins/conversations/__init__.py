"""Private conversations: one-to-one and small groups, message requests, and a line to a group's team.

Built only on the plugin API. Nobody outside a conversation can read it – there is no admin
page for private messages; site admins see a message only when someone reports it, and then
only that message (and, if the reporter chose, the few before it). Blocks hide conversations
both ways through ``can_interact``/``not_hidden``; a group's staff still reach its members
through the team line.
"""
from __future__ import annotations

from functools import lru_cache

from flask_babel import lazy_gettext as _l

from core.plugin_api import GroupTab, NavItem, PluginMeta, answers_by_role, fills_slots, hookimpl

META = PluginMeta(
    id="conversations",
    name="Private conversations",
    version="1.0.0",
    description="Private messages between members, message requests, and a private line to each group's team.",
    scope="site",
)


@hookimpl
def register_blueprints(app):
    from plugins.conversations import api, team_views, views

    return [views.bp, team_views.bp, api.blp]


@hookimpl
def settings_schema():
    from plugins.conversations.schemas import ConversationsSettings

    return ConversationsSettings


@hookimpl
def register_notification_kinds():
    from plugins.conversations.notices import notification_kinds

    return notification_kinds()


@hookimpl
def register_email_kinds():
    from plugins.conversations.mail import email_kinds

    return email_kinds()


@hookimpl
def register_jobs(app):
    from core.plugin_api import Job, crontab
    from plugins.conversations.mail import send_new_message_mail
    from plugins.conversations.retention import delete_untouched

    return [Job("conversations.send_new_message_mail", send_new_message_mail, schedule=crontab(minute="*/5")),
            Job("conversations.delete_untouched", delete_untouched, schedule=crontab(hour="4", minute="20"))]


@hookimpl
def nav_items(user):
    """"Messages" with unread conversations and requests, and for group staff "Team inboxes" with the
    open conversations of their groups' team inboxes: read with the member's login (``login_columns``),
    else one query per page, however many there are."""
    if not getattr(user, "is_authenticated", False):
        return None
    from plugins.conversations.access import counts

    found = counts(user)
    return _nav_items((found.unread + found.requests) or None, (found.team_open or None) if found.is_staff else False)


@lru_cache(maxsize=512)
def _nav_items(messages: int | None, team: int | None | bool) -> tuple[NavItem, ...]:
    """The items for these counts (``team`` False: not staff), the same tuple each time: core lays the
    navigation out once per answer it has seen."""
    items = (NavItem(label=_l("Messages"), endpoint="conversations.inbox", order=20, badge=messages),)
    if team is False:
        return items
    return (*items, NavItem(label=_l("Team inboxes"), endpoint="conversations.team_inboxes", order=21, badge=team))


@hookimpl
def login_columns(viewer):
    """The header's counts ride along in the statement core runs to load the member (one fewer per page)."""
    from plugins.conversations.access import count_columns

    return count_columns(viewer)[0]


@hookimpl
@answers_by_role  # the viewer's kind and the group only: core remembers the answer
def group_tabs(group, user):
    from plugins.conversations.access import is_team

    if is_team(user, group):
        return [GroupTab(label=_l("Team inbox"), endpoint="conversations_team.inbox", values={"slug": group.slug},
                         order=85)]
    return None


@hookimpl
@fills_slots("profile_actions", "member_actions", "group_sidebar")  # its stylesheet: its templates' head block
def template_slot(name, context):
    from plugins.conversations import slots

    renderer = slots.RENDERERS.get(name)
    return renderer(context) if renderer is not None else None


@hookimpl
@fills_slots("post_actions")
def template_slot_list(items, group):
    """"Take this to a private message" under each post of a feed, for the group's moderators."""
    from plugins.conversations import slots

    return slots.post_actions_list(items, group)


@hookimpl
def content_types():
    from plugins.conversations.reporting import message_content_types

    return message_content_types()


@hookimpl
def export_user_data(user):
    from plugins.conversations.privacy import export

    return export(user)


@hookimpl
def erase_user_data(user):
    from plugins.conversations.privacy import erase

    erase(user)
