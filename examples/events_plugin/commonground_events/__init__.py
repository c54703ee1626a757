"""Events: a group feature for meeting up – an Events tab, going or not, a reminder before.

The example group-scope plugin for Common Ground, shipped as its own distribution
(``commonground-events``, entry point ``events``). A site admin enables it; each group's admins
switch it on for their group and choose who may add events and when reminders go out. It shows
every part a group feature needs: a model with its own migration branch, a tab page inside the
group with a form, per-group settings, a periodic job, a search source, notifications with
email, reportable content, a sidebar slot, privacy hooks and German.
"""
from __future__ import annotations

from core.plugin_api import GroupTab, Job, PluginMeta, crontab, db, hookimpl
from flask import render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from commonground_events import content, notices, reminders
from commonground_events.models import Attendance, Event

META = PluginMeta(
    id="events",
    name="Events",
    version="0.1.0",
    description="Groups plan meet-ups: an Events tab, who is going, and a reminder before each event.",
    scope="group",
)


@hookimpl
def register_blueprints(app):
    from commonground_events import api, views

    return [views.bp, api.blp]


@hookimpl
def group_settings_schema():
    from commonground_events.schemas import GroupSettings

    return GroupSettings


@hookimpl
def group_tabs(group, user):
    return [GroupTab(label=_l("Events"), endpoint="events.index", values={"slug": group.slug}, order=30)]


@hookimpl
def template_slot(name, context):
    if name != "group_sidebar":
        return None
    from commonground_events.calendar import next_event

    upcoming = next_event(context["group"])
    return render_template("events/sidebar.html", group=context["group"], event=upcoming) if upcoming else None


@hookimpl
def content_types():
    return [content.content_type()]


@hookimpl
def search_sources():
    return [content.search_source()]


@hookimpl
def register_notification_kinds():
    return notices.notification_kinds()


@hookimpl
def register_email_kinds():
    return notices.email_kinds()


@hookimpl
def register_jobs(app):
    return [Job(reminders.JOB_NAME, reminders.send_reminders, schedule=crontab(minute="*/5"),
                description="Remind those going to an event, the group's chosen hours before it starts.")]


@hookimpl
def member_left(group, user):
    """Someone who leaves a group is no longer going to its events."""
    events = select(Event.id).where(Event.group_id == group.id)
    db.session.execute(delete(Attendance).where(Attendance.user_id == user.id, Attendance.event_id.in_(events)))


@hookimpl
def export_user_data(user):
    created = db.session.scalars(select(Event).where(Event.created_by_id == user.id).order_by(Event.id))
    going = db.session.scalars(select(Attendance.event_id).where(Attendance.user_id == user.id)
                               .order_by(Attendance.event_id))
    return {
        "events_added": [{"id": e.id, "group_id": e.group_id, "title": e.title, "location": e.location,
                          "description": e.description, "starts_at": e.starts_at.isoformat()} for e in created],
        "going_to": list(going),
    }


@hookimpl
def erase_user_data(user):
    db.session.execute(delete(Attendance).where(Attendance.user_id == user.id))
    mine = select(Event.id).where(Event.created_by_id == user.id)
    db.session.execute(delete(Attendance).where(Attendance.event_id.in_(mine)))
    db.session.execute(delete(Event).where(Event.created_by_id == user.id))
