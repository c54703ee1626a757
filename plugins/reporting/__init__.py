"""Reporting & blocking: reports on any content, moderation queues, sanctions with appeal, blocks.

Everything reaches core through hooks: report and block buttons through template slots,
blocks through ``can_interact`` and ``hidden_user_ids``, hidden items through
``content_placeholders``, group bans through ``can_join_group``. Disabled, all of it is gone
(no buttons, queues answer 404, blocks stop filtering); the data stays for re-enabling.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.plugin_api import (
    GroupTab,
    NavItem,
    PluginMeta,
    answers_by_blueprint,
    answers_by_role,
    fills_slots,
    hookimpl,
)

META = PluginMeta(
    id="reporting",
    name="Reporting & blocking",
    version="1.0.0",
    description="Report posts, comments and profiles; moderation queues with appeals; blocks that really block.",
    scope="site",
)

# --- setup --------------------------------------------------------------------------------------


@hookimpl
def register_blueprints(app):
    from plugins.reporting import api, moderation_views, views

    return [views.bp, moderation_views.bp, api.blp]


@hookimpl
def settings_schema():
    from plugins.reporting.schemas import ReportingSettings

    return ReportingSettings


# --- registries ---------------------------------------------------------------------------------


@hookimpl
def register_notification_kinds():
    from plugins.reporting.notices import notification_kinds

    return notification_kinds()


@hookimpl
def register_email_kinds():
    from plugins.reporting.notices import email_kinds

    return email_kinds()


# --- UI -----------------------------------------------------------------------------------------


@hookimpl
@answers_by_role  # the viewer's kind and the group only: core remembers the answer
def nav_items(user):
    if getattr(user, "is_authenticated", False) and user.is_site_admin:
        return [NavItem(label=_l("Moderation"), endpoint="reporting_mod.index", order=80)]
    return None


@hookimpl
@answers_by_role  # the viewer's kind and the group only: core remembers the answer
def group_tabs(group, user):
    from plugins.reporting.permissions import can_use_queue

    if can_use_queue(user, group):
        return [GroupTab(label=_l("Moderation"), endpoint="reporting_mod.queue_page", values={"slug": group.slug},
                         order=90)]
    return None


@hookimpl
@fills_slots("head", "member_details", "content_actions", "profile_actions", "user_settings", "group_sidebar",
             "admin_dashboard")
@answers_by_blueprint("head")  # the stylesheet on the plugin's own pages: core remembers it per blueprint
def template_slot(name, context):
    from plugins.reporting import slots

    renderer = slots.RENDERERS.get(name)
    return renderer(context) if renderer is not None else None


@hookimpl
@fills_slots("post_actions", "post_footer", "comment_actions")
def template_slot_list(name, items):
    """Links and notes under every post and comment of a list, in one call per list."""
    from plugins.reporting.slots import LIST_RENDERERS  # a module, not the package: no import machinery per call

    return LIST_RENDERERS[name](items)


# --- policy -------------------------------------------------------------------------------------


@hookimpl
def can_interact(actor, target):
    from plugins.reporting.blocks import blocked_either_way

    if actor is None or target is None or getattr(actor, "id", None) is None or getattr(target, "id", None) is None:
        return None
    return not blocked_either_way(actor.id, target.id)


@hookimpl
def login_columns(viewer):
    """The member's blocks ride along with their login: ``can_interact`` about them costs no query."""
    from plugins.reporting.blocks import login_column

    return login_column(viewer.id)


@hookimpl
def interaction_barriers(user_ids):
    """Blocks among many people in one query (a mentorship pool), the same answer as ``can_interact``."""
    from plugins.reporting.blocks import blocks_among

    return blocks_among(user_ids)


@hookimpl
def hidden_user_ids(viewer):
    """Everyone the viewer blocks or is blocked by; nothing for a member whose login read no block
    (most members): their pages then carry no block filter at all."""
    from plugins.reporting.blocks import blocks_nobody, hidden_select

    if getattr(viewer, "id", None) is None or blocks_nobody(viewer.id):
        return None
    return hidden_select(viewer.id)


@hookimpl
def can_join_group(user, group):
    """A banned person cannot join (or ask to join, or accept an invitation) while the ban lasts."""
    from plugins.reporting.bans import is_banned

    if getattr(user, "id", None) is None:
        return None
    return not is_banned(user.id, group.id)


@hookimpl
def content_placeholders(viewer, content_type, ids):
    """Hidden items show a placeholder to members; moderators of the item's group see the original."""
    from plugins.reporting.hiding import placeholders

    return placeholders(viewer, content_type, list(ids))


@hookimpl
def list_columns(viewer, content_type, id_column):
    """Whether each listed item is hidden (and the viewer's role in its group), read in core's own
    statement for the list: the placeholders of a feed or a post page cost no query."""
    from plugins.reporting.hiding import list_column

    return list_column(viewer, content_type, id_column)


@hookimpl
def hidden_content_ids(viewer, content_type):
    """Search leaves out what moderators hid, except for the moderators of its group."""
    from plugins.reporting.hiding import hidden_select

    return hidden_select(viewer, content_type)


# --- privacy ------------------------------------------------------------------------------------


@hookimpl
def export_user_data(user):
    from plugins.reporting.privacy import export

    return export(user)


@hookimpl
def erase_user_data(user):
    from plugins.reporting.privacy import erase

    erase(user)

