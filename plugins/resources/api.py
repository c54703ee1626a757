"""JSON API under /api/v1: hubs, topics, resources, translations (texts), revisions and partners.

The same schemas and workflow as the pages: drafts are saved with the version they started
from (409 on a conflict), a draft is published by an editor who did not write it (403 for
one's own), and an unpublished resource is 404 to anyone but the hub's editors.
"""
from __future__ import annotations

from typing import Any

from flask import current_app, request
from flask_login import current_user
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields
from sqlalchemy.orm import joinedload

from core.plugin_api import db, is_plugin_enabled, not_found, require_user
from plugins.resources import editing, reading
from plugins.resources.models import Hub, Partner, Resource, ResourceText, Revision, Topic
from plugins.resources.permissions import can_edit, can_see_hub
from plugins.resources.schemas import ResourceSchema, ReviewSchema, TextSchema

blp = Blueprint("resources_api", __name__, url_prefix="/api/v1",
                description="Resource hubs: hubs, topics, resources, translations, revisions, partners")


class TopicOut(Schema):
    id = fields.Integer()
    slug = fields.String()
    name = fields.Dict()
    description = fields.Dict()


class HubOut(Schema):
    id = fields.Integer()
    slug = fields.String()
    group = fields.Function(lambda h: h.group.slug if h.group_id else None)
    title = fields.Dict()
    intro = fields.Dict()
    is_sample = fields.Boolean()


class HubDetailOut(HubOut):
    topics = fields.List(fields.Nested(TopicOut))


class PartnerOut(Schema):
    id = fields.Integer()
    slug = fields.String()
    name = fields.String()
    description = fields.String()
    link = fields.String(allow_none=True)
    country = fields.String(allow_none=True)
    languages = fields.List(fields.String())
    verified = fields.Boolean()


class RevisionOut(Schema):
    id = fields.Integer()
    number = fields.Integer()
    status = fields.String()
    title = fields.String()
    summary = fields.String()
    body = fields.String()
    body_html = fields.String()
    audience = fields.String()
    note = fields.String()
    author_id = fields.Integer(allow_none=True)
    reviewer_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime()


class ResourceOut(Schema):
    id = fields.Integer()
    topic_id = fields.Integer()
    partner_id = fields.Integer(allow_none=True)
    kind = fields.String()
    language = fields.String()
    link = fields.String(allow_none=True)
    review_by = fields.Date(allow_none=True)
    is_sample = fields.Boolean()
    shown_locale = fields.String()
    fallback = fields.Boolean(metadata={"description": "True when shown in the original for want of a translation"})
    published = fields.Boolean()
    title = fields.String()
    summary = fields.String()
    body_html = fields.String()


class LangArgs(Schema):
    lang = fields.String(load_default=None, metadata={"description": "Locale; unknown ones fall back"})


def _hub(hub_slug: str) -> tuple[Hub, dict]:
    hub = db.session.scalar(db.select(Hub).options(joinedload(Hub.group)).where(Hub.slug == hub_slug))
    if hub is None or not can_see_hub(current_user, hub) or (hub.group_id and not is_plugin_enabled("resources",
                                                                                                     hub.group)):
        not_found("No such hub.")
    return hub, reading.viewer_roles()


def _out(entry: reading.Entry) -> dict[str, Any]:
    r = entry.resource
    return {"id": r.id, "topic_id": r.topic_id, "partner_id": r.partner_id, "kind": r.kind, "language": r.language,
            "link": r.link, "review_by": r.review_by, "is_sample": r.is_sample, "shown_locale": entry.locale,
            "fallback": entry.fallback, "published": entry.published, "title": entry.revision.title,
            "summary": entry.revision.summary, "body_html": entry.revision.body_html}


def _locale() -> str:
    return reading.reader_locale().code


@blp.get("/resource-hubs")
@blp.response(200, HubOut(many=True))
def list_hubs():
    """Site-wide hubs, and the hubs of groups whose content you may see."""
    hubs = db.session.scalars(db.select(Hub).options(joinedload(Hub.group)).order_by(Hub.id)).all()
    return [h for h in hubs if can_see_hub(current_user, h)
            and (h.group_id is None or is_plugin_enabled("resources", h.group))]


@blp.get("/resource-hubs/<hub>")
@blp.response(200, HubDetailOut)
@blp.alt_response(404, description="Unknown or not visible")
def get_hub(hub: str):
    the_hub, _roles = _hub(hub)
    the_hub.topics = reading.topics_of(the_hub.id)
    return the_hub


@blp.get("/resource-hubs/<hub>/resources")
@blp.arguments(LangArgs, location="query")
@blp.response(200, ResourceOut(many=True))
def list_resources(args, hub: str):
    """Published resources in the asked (or your) language, the original where there is no translation."""
    the_hub, roles = _hub(hub)
    topic = request.args.get("topic", type=int)
    return [_out(e) for e in reading.entries(_locale(), editor=can_edit(current_user, the_hub, roles),
                                             hub_id=the_hub.id, topic_id=topic)]


@blp.post("/resource-hubs/<hub>/resources")
@blp.arguments(ResourceSchema)
@blp.response(201, ResourceOut)
@blp.alt_response(404, description="Not an editor of this hub")
def create_resource(data, hub: str):
    """A new resource; its first revision is a draft for another editor to publish."""
    user = require_user()
    the_hub, roles = _hub(hub)
    if not can_edit(user, the_hub, roles):
        not_found("No such hub.")
    if db.session.scalar(db.select(Topic.id).where(Topic.id == data["topic_id"], Topic.hub_id == the_hub.id)) is None:
        message = "Choose a topic of this hub."
        abort(422, message=message, errors={"json": {"topic_id": [message]}})
    if data.get("partner_id") and db.session.get(Partner, data["partner_id"]) is None:
        abort(422, message="Unknown partner.", errors={"json": {"partner_id": ["Choose a partner organisation."]}})
    resource = editing.create_resource(the_hub.id, data, user.id)
    db.session.commit()
    found = reading.entries(resource.language, editor=True, hub_id=the_hub.id)
    return _out(next(e for e in found if e.resource.id == resource.id))


@blp.get("/resource-hubs/<hub>/resources/<int:resource_id>")
@blp.arguments(LangArgs, location="query")
@blp.response(200, ResourceOut)
@blp.alt_response(404, description="Unknown, or unpublished and you are not an editor")
def get_resource(args, hub: str, resource_id: int):
    the_hub, roles = _hub(hub)
    found = [e for e in reading.entries(_locale(), editor=can_edit(current_user, the_hub, roles), hub_id=the_hub.id)
             if e.resource.id == resource_id]
    if not found:
        not_found("No such resource.")
    return _out(found[0])


def _editable_resource(hub: str, resource_id: int) -> tuple[Hub, Resource]:
    user = require_user()
    the_hub, roles = _hub(hub)
    resource = db.session.scalar(db.select(Resource).where(Resource.id == resource_id, Resource.hub_id == the_hub.id))
    if resource is None or not can_edit(user, the_hub, roles):
        not_found("No such resource.")
    return the_hub, resource


@blp.put("/resource-hubs/<hub>/resources/<int:resource_id>/texts/<locale>")
@blp.arguments(TextSchema)
@blp.response(201, RevisionOut)
@blp.alt_response(409, description="Someone saved since your version: nothing was saved")
def save_text(data, hub: str, resource_id: int, locale: str):
    """Save a draft of the original (its language) or of a translation; send the version you started from."""
    _hub_obj, resource = _editable_resource(hub, resource_id)
    if locale not in current_app.config["LANGUAGES"]:
        abort(422, message="Unknown locale.", errors={"json": {"locale": ["Choose one of the site's languages."]}})
    try:
        revision = editing.save_text(editing.text_for(resource, locale), data, current_user.id)  # words only
    except editing.RevisionConflict as err:
        db.session.rollback()
        abort(409, message=str(err.message), errors={"json": {"version": [str(err.message)]}})
    db.session.commit()
    return revision


@blp.get("/resource-hubs/<hub>/resources/<int:resource_id>/texts/<locale>/revisions")
@blp.response(200, RevisionOut(many=True))
def list_revisions(hub: str, resource_id: int, locale: str):
    """Every revision of one locale's text, newest first (editors only)."""
    _hub_obj, resource = _editable_resource(hub, resource_id)
    return db.session.scalars(db.select(Revision).join(ResourceText, ResourceText.id == Revision.text_id)
                              .where(ResourceText.resource_id == resource.id, ResourceText.locale == locale)
                              .order_by(Revision.number.desc())).all()


@blp.post("/resource-hubs/<hub>/revisions/<int:revision_id>/publish")
@blp.arguments(ReviewSchema)
@blp.response(200, RevisionOut)
@blp.alt_response(403, description="Your own draft, or not the latest draft")
def publish_revision(data, hub: str, revision_id: int):
    user = require_user()
    the_hub, roles = _hub(hub)
    revision = db.session.scalar(
        db.select(Revision).join(ResourceText, ResourceText.id == Revision.text_id)
        .join(Resource, Resource.id == ResourceText.resource_id)
        .where(Revision.id == revision_id, Resource.hub_id == the_hub.id))
    if revision is None or not can_edit(user, the_hub, roles):
        not_found("No such revision.")
    try:
        editing.publish(revision, user.id, data["note"])
    except editing.EditRefused as err:
        db.session.rollback()
        abort(403, message=str(err.message))
    db.session.commit()
    return revision


@blp.get("/resource-partners")
@blp.response(200, PartnerOut(many=True))
def list_partners():
    return db.session.scalars(db.select(Partner).order_by(Partner.name)).all()


@blp.get("/resource-partners/<partner>")
@blp.response(200, PartnerOut)
def get_partner(partner: str):
    found = db.session.scalar(db.select(Partner).where(Partner.slug == partner))
    if found is None:
        not_found("No such partner.")
    return found
