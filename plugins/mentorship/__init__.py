"""Mentorship programmes in groups: sign-up, explained optimal matching, guided weekly steps.

A group-scope plugin built only on ``core.plugin_api``: group admins start programmes from
templates (``programme_templates/``, or a partner's uploaded file), members sign up as mentor
or mentee, admins pair them by hand or from the matching engine's explained suggestions
(``plugins.mentorship.matching``), and each pair works through weekly steps in a space only
the two of them can open. Blocks reach it through ``can_interact`` (one pair),
``interaction_barriers`` (a whole pool) and ``user_blocked`` (a new block ends the pair at
once); help through ``support_resources``.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.plugin_api import GroupTab, NavItem, PluginMeta, answers_by_blueprint, answers_by_role, fills_slots, hookimpl
from plugins.mentorship import models  # noqa: F401  (tables registered whenever the plugin loads)

META = PluginMeta(
    id="mentorship",
    name="Mentorship programmes",
    version="1.0.0",
    description="Programmes in groups: sign-up, explained matching, guided weekly steps in a private pair space.",
    scope="group",
)


@hookimpl
def register_blueprints(app):
    from plugins.mentorship import api, views

    return [views.bp, api.blp]


@hookimpl
def register_notification_kinds():
    from plugins.mentorship.notices import notification_kinds

    return notification_kinds()


@hookimpl
def register_email_kinds():
    from plugins.mentorship.notices import email_kinds

    return email_kinds()


@hookimpl
@answers_by_role  # the viewer's kind and the group only: core remembers the answer
def group_tabs(group, user):
    return [
        GroupTab(label=_l("Mentorship"), endpoint="mentorship.programme_list", values={"slug": group.slug}, order=60)
    ]


@hookimpl
@answers_by_role  # the viewer's kind and the group only: core remembers the answer
def nav_items(user):
    if getattr(user, "is_authenticated", False):
        return [NavItem(label=_l("My mentorships"), endpoint="mentorship.my_mentorships", order=65)]
    return None


@hookimpl
def content_types():
    from plugins.mentorship.content import content_types as types

    return types()


@hookimpl
def user_blocked(blocker, blocked):
    """A block made anywhere (a profile, a post, the API) ends the two's pairs in the same request."""
    from plugins.mentorship.pairing import end_for_block

    end_for_block(blocker, blocked)


@hookimpl
def export_user_data(user):
    from plugins.mentorship.privacy import export

    return export(user)


@hookimpl
def erase_user_data(user):
    from plugins.mentorship.privacy import erase

    erase(user)


@hookimpl
def settings_schema():
    from plugins.mentorship.schemas import MentorshipSettings

    return MentorshipSettings


@hookimpl
def register_jobs(app):
    from core.plugin_api import Job, crontab
    from plugins.mentorship import jobs

    return [
        Job(jobs.REMINDER_JOB, jobs.send_reminders, schedule=crontab(minute="17")),
        Job(jobs.RETENTION_JOB, jobs.delete_old_posts, schedule=crontab(hour="3", minute="41")),
    ]


@hookimpl
def seed_demo(app):
    """``flask seed`` with mentorship on: a running demo programme in the demo group, once."""
    from plugins.mentorship.seed import seed_demo_programme

    seed_demo_programme()


@hookimpl
def plugin_enabled(plugin_id, group):
    """Switched on for the demo group after seeding (``flask plugins enable mentorship --group
    neighbours``, as the developers' guide does): the same demo programme, once. Elsewhere nothing."""
    from plugins.mentorship.seed import DEMO_GROUP, seed_demo_programme

    if group is not None and group.slug == DEMO_GROUP:
        seed_demo_programme()


@hookimpl
@fills_slots("head", "home")
@answers_by_blueprint("head")  # the stylesheet on the plugin's own pages: core remembers it per blueprint
def template_slot(name, context):
    """The plugin's stylesheet on its own pages; on the member's home page, the steps due."""
    from flask import render_template, request

    if name == "head" and request.blueprint == "mentorship":
        return render_template("mentorship/slots/head.html")
    if name == "home":
        from plugins.mentorship.home import home_part

        return home_part(context.get("user"))
    return None
