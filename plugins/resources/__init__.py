"""Resource hubs: curated help from partner organisations by topic, reviewed, localized, leaving no trace.

A hub is site-wide (run by site admins, at ``/resources/<hub>``) or belongs to a group (run by the
group's admins, at ``/g/<slug>/resources/<hub>``); the plugin is ``scope="group"``, so a group's
hubs vanish when a group admin switches it off there, while site-wide hubs follow the site switch.
Editors write drafts, a different editor publishes; every change is a revision. Readers leave only
weekly counters behind.
"""
from __future__ import annotations

from flask import render_template, request
from flask_babel import lazy_gettext as _l

from core.plugin_api import GroupTab, NavItem, PluginMeta, answers_by_blueprint, answers_by_role, fills_slots, hookimpl
from plugins.resources import models  # noqa: F401  (tables join the metadata)

META = PluginMeta(
    id="resources",
    name="Resource hubs",
    version="1.0.0",
    description="Curated help from partner organisations by topic: reviewed, translated, searchable, "
                "with live helpline numbers, and no record of who read what.",
    scope="group",
)


@hookimpl
def register_blueprints(app):
    from plugins.resources import api, views

    return [views.bp, api.blp]


@hookimpl
def register_jobs(app):
    from core.plugin_api import Job, crontab
    from plugins.resources import counting, staleness

    return [Job(counting.FLUSH_JOB, counting.flush_reads, schedule=crontab(minute="*/5")),
            Job(staleness.STALE_JOB, staleness.flag_stale, schedule=crontab(hour="6", minute="15"))]


@hookimpl
def register_notification_kinds():
    from plugins.resources.staleness import notification_kinds

    return notification_kinds()


@hookimpl
@answers_by_role  # the viewer's kind and the group only: core remembers the answer
def nav_items(user):
    return [NavItem(label=_l("Resources"), endpoint="resources.index", order=40)]


@hookimpl
@answers_by_role  # the viewer's kind and the group only: core remembers the answer
def group_tabs(group, user):
    return [GroupTab(label=_l("Resources"), endpoint="resources.group_index", values={"slug": group.slug}, order=50)]


@hookimpl
@fills_slots("head")
@answers_by_blueprint("head")  # the stylesheet on the plugin's own pages: core remembers it per blueprint
def template_slot(name, context):
    if name == "head" and (request.blueprint or "") == "resources":
        return render_template("resources/slots/head.html")
    return None


@hookimpl
def search_sources():
    from plugins.resources.searching import sources

    return sources()


@hookimpl
def stored_files():
    """Partner logos are stored files: the clean-up of orphaned files keeps them."""
    from plugins.resources.models import Partner

    return [Partner.logo_key]


@hookimpl
def plugin_enabled(plugin_id, group):
    """Switched on site-wide for the first time: the demo hub (marked as samples) shows how hubs work."""
    from plugins.resources.seed import seed_demo_hub

    if group is None:
        seed_demo_hub(only_if_empty=True)


@hookimpl
def seed_demo(app):
    from plugins.resources.seed import seed_demo_hub

    seed_demo_hub()


@hookimpl
def export_user_data(user):
    from plugins.resources.privacy import export

    return export(user)


@hookimpl
def erase_user_data(user):
    from plugins.resources.privacy import erase

    erase(user)
