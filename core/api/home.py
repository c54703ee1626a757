"""API: the caller's groups with what is new in each, and the read mark (as the home page has them).

``GET /me/groups`` answers what the home page lists; ``POST /groups/<slug>/read`` is the same
explicit step as the page's beacon: reading never writes, this does.
"""
from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from core.api.access import not_found, require_user
from core.extensions import db
from core.groups import queries, reads
from core.routing import MAX_ID
from core.web import home

blp = Blueprint("api_home", __name__, url_prefix="/api/v1", description="Your groups, what is new, read marks")


class MyGroupSchema(Schema):
    slug = fields.String(dump_only=True)
    name = fields.String(dump_only=True)
    role = fields.String(dump_only=True)
    unread = fields.Integer(dump_only=True, metadata={
        "description": f"posts by others since the read mark (counted up to {reads.UNREAD_CAP + 1})"})
    read_until = fields.DateTime(dump_only=True, metadata={
        "description": "posts after this are new (the read mark, else when you joined)"})
    waiting_requests = fields.Integer(dump_only=True, metadata={
        "description": "join requests waiting for a decision (group staff; 0 for others)"})


class MyGroupsSchema(Schema):
    items = fields.List(fields.Nested(MyGroupSchema), dump_only=True)
    requested = fields.List(fields.String(), dump_only=True, metadata={
        "description": "slugs of groups you asked to join (pending)"})


class ReadMarkSchema(Schema):
    upto = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1, max=MAX_ID), metadata={
        "description": "the newest post you have seen in this group; omitted: everything up to now"})


@blp.route("/me/groups", methods=["GET"])
@blp.response(200, MyGroupsSchema)
@blp.alt_response(401, response="UNAUTHORIZED")
def my_groups():
    """Your groups (by name, up to 50) with their unread counts, and your pending join requests."""
    viewer = require_user()
    groups, requested = home.my_groups(viewer)
    return {
        "items": [{"slug": e.group.slug, "name": e.group.name, "role": e.membership.role, "unread": e.unread,
                   "read_until": e.membership.read_mark, "waiting_requests": e.waiting_requests} for e in groups],
        "requested": [group.slug for group in requested],
    }


@blp.route("/groups/<slug>/read", methods=["POST"])
@blp.arguments(ReadMarkSchema)
@blp.response(204)
@blp.alt_response(401, response="UNAUTHORIZED")
@blp.alt_response(404, response="NOT_FOUND")
def mark_read(data, slug: str):
    """Move your read mark in a group forward (never back) to a post of that group, or to now."""
    viewer = require_user()
    context = queries.load_group(slug, viewer)
    if context is None or context.membership is None:
        not_found()
    until = reads.read_up_to(context.group, data["upto"])
    if until is None:
        not_found()
    if reads.mark_read(viewer, context.group, until):
        db.session.commit()
