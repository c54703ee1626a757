"""The group's Events tab: upcoming events and a form to add one; an event's page with who is
going; going or not; cancelling.

``content_or_404`` loads the group as the viewer meets it (404 for a private group they are
not in). ``render_group_page`` draws the group's header and tabs around our templates. Core
answers 404 for every route here in a group that has events switched off.
"""
from __future__ import annotations

from core.plugin_api import content_or_404, load_form, render_group_page
from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import get_timezone
from flask_babel import gettext as _
from flask_login import current_user, login_required

from commonground_events import actions, calendar
from commonground_events.models import DESCRIPTION_MAX_LENGTH, LOCATION_MAX_LENGTH, TITLE_MAX_LENGTH
from commonground_events.permissions import can_attend, can_cancel_event, can_create_event
from commonground_events.schemas import AttendSchema, EventSchema, ListArgsSchema

bp = Blueprint("events", __name__, template_folder="templates")

LIMITS = {"title": TITLE_MAX_LENGTH, "location": LOCATION_MAX_LENGTH, "description": DESCRIPTION_MAX_LENGTH}


def _index(context, values=None, errors=None, status=200):
    args, arg_errors, _values = load_form(ListArgsSchema(), request.args)
    if arg_errors:
        abort(400)
    try:
        events, following = calendar.upcoming(context.group, current_user, args["after"])
    except calendar.BadCursor:
        abort(400)
    html = render_group_page(
        "events/index.html", context, events=events, following=following, first_page=bool(args["after"]),
        may_create=can_create_event(current_user, context.group), limits=LIMITS, values=values or {},
        errors=errors or {}, site_time_zone=str(get_timezone()),
    )
    return html, status


def _event_or_404(context, event_id: int) -> calendar.Listed:
    found = calendar.load_event(context.group, event_id, current_user)
    if found is None:
        abort(404)
    return found


@bp.get("/g/<slug>/events")
def index(slug: str):
    return _index(content_or_404(slug))


@bp.post("/g/<slug>/events")
@login_required
def create(slug: str):
    context = content_or_404(slug)
    if not can_create_event(current_user, context.group):
        abort(403)
    data, errors, values = load_form(EventSchema(), request.form)
    if errors:
        return _index(context, values, errors, status=400)
    event = actions.create_event(current_user, context.group, data)
    flash(_("Your event is added. You are going."), "success")
    return redirect(url_for("events.show", slug=slug, event_id=event.id))


@bp.get("/g/<slug>/events/<int:event_id>")
def show(slug: str, event_id: int):
    context = content_or_404(slug)
    found = _event_or_404(context, event_id)
    return render_group_page(
        "events/event.html", context, listed=found, event=found.event,
        people=calendar.attendees(found.event, current_user),
        may_attend=can_attend(current_user, context.group, found.event),
        may_cancel=can_cancel_event(current_user, context.group, found.event),
    )


@bp.post("/g/<slug>/events/<int:event_id>/attend")
@login_required
def attend(slug: str, event_id: int):
    context = content_or_404(slug)
    event = _event_or_404(context, event_id).event
    if not can_attend(current_user, context.group, event):
        abort(403)
    data, _errors, _values = load_form(AttendSchema(), request.form)
    actions.set_going(current_user, event, data["going"])
    flash(_("You are going.") if data["going"] else _("You are not going."), "success")
    return redirect(url_for("events.show", slug=slug, event_id=event.id))


@bp.post("/g/<slug>/events/<int:event_id>/cancel")
@login_required
def cancel(slug: str, event_id: int):
    context = content_or_404(slug)
    event = _event_or_404(context, event_id).event
    if not can_cancel_event(current_user, context.group, event):
        abort(404)
    actions.cancel_event(current_user, context.group, event)
    flash(_("The event is cancelled; those going are told."), "success")
    return redirect(url_for("events.index", slug=slug))
