"""JSON API: a group's upcoming events, ``GET /api/v1/groups/<slug>/events`` (flask-smorest).

Same queries and rules as the tab: 404 for a private group the caller is not in, and core's
gate answers 404 in groups that have events switched off.
"""
from __future__ import annotations

from core.plugin_api import content_or_404
from flask import url_for
from flask_login import current_user
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields

from commonground_events import calendar
from commonground_events.schemas import ListArgsSchema

blp = Blueprint("events_api", __name__, url_prefix="/api/v1", description="Events of a group")


class EventOut(Schema):
    id = fields.Integer()
    title = fields.String()
    location = fields.String()
    description = fields.String()
    starts_at = fields.DateTime()
    going = fields.Integer(metadata={"description": "How many members are going"})
    mine = fields.Boolean(metadata={"description": "Whether the caller is going"})
    url = fields.String()


class EventPageOut(Schema):
    items = fields.List(fields.Nested(EventOut))
    next = fields.String(allow_none=True, metadata={"description": "Pass as ?after= for the next page"})


@blp.route("/groups/<slug>/events", methods=["GET"])
@blp.arguments(ListArgsSchema, location="query")
@blp.response(200, EventPageOut)
@blp.alt_response(404, response="NOT_FOUND")
def list_events(args, slug: str):
    """The group's events that have not started, soonest first (20 a page)."""
    context = content_or_404(slug)
    try:
        listed, following = calendar.upcoming(context.group, current_user, args["after"])
    except calendar.BadCursor:
        abort(400, message="This page link is broken.", errors={"query": {"after": ["This page link is broken."]}})
    items = [{"id": item.event.id, "title": item.event.title, "location": item.event.location,
              "description": item.event.description, "starts_at": item.event.starts_at, "going": item.going,
              "mine": item.mine, "url": url_for("events.show", slug=slug, event_id=item.event.id)}
             for item in listed]
    return {"items": items, "next": following}
