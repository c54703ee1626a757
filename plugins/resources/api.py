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
from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate
from sqlalchemy.orm import joinedload

from core.plugin_api import (
    MAX_ID,
    Group,
    ImageRejected,
    can_admin_group,
    db,
    delete_file,
    file_url,
    is_plugin_enabled,
    is_site_admin,
    not_found,
    require_user,
    store_image,
)
from plugins.resources import editing, hubs, reading
from plugins.resources.attention import needing_attention
from plugins.resources.models import Hub, Partner, Resource, ResourceText, Revision, Topic
from plugins.resources.permissions import can_edit, can_manage_partners, can_own, can_see_hub, can_verify_partners
from plugins.resources.schemas import (
    HubSchema,
    NewHubSchema,
    PartnerInSchema,
    ResourceSchema,
    RevertSchema,
    ReviewSchema,
    TextSchema,
    TopicSchema,
)

blp = Blueprint("resources_api", __name__, url_prefix="/api/v1",
                description="Resource hubs: hubs, topics, resources, translations, revisions, partners")


class TopicOut(Schema):
    id = fields.Integer()
    slug = fields.String()
    name = fields.Dict()
    description = fields.Dict()
    helpline_topic = fields.String(allow_none=True)


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
    logo_url = fields.Function(lambda p: file_url(p.logo_key) if p.logo_key else None, allow_none=True)


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


class HubPatchSchema(HubSchema):
    """The fields of a hub to change (any of them)."""


class TopicPatchSchema(TopicSchema):
    """The fields of a topic to change (any of them)."""


class PartnerPatchSchema(PartnerInSchema):
    """The fields of a partner organisation to change (any of them)."""


class LangArgs(Schema):
    lang = fields.String(load_default=None, metadata={"description": "Locale; unknown ones fall back"})


def _hub(hub_slug: str) -> tuple[Hub, dict]:
    hub = db.session.scalars(db.select(Hub).options(joinedload(Hub.group), joinedload(Hub.topics))
                             .where(Hub.slug == hub_slug)).unique().one_or_none()
    if hub is None or not can_see_hub(current_user, hub) or (hub.group_id and not is_plugin_enabled("resources",
                                                                                                     hub.group)):
        not_found("No such hub.")
    return hub, reading.viewer_roles()


def _owned_hub(hub_slug: str) -> Hub:
    """The hub if the caller owns it (site admins for site-wide hubs, a group's admins for its hubs), else 404."""
    user = require_user()
    hub, roles = _hub(hub_slug)
    if not can_own(user, hub, roles):
        not_found("No such hub.")
    return hub


def _sent() -> set[str]:
    """The fields the JSON body named: a PATCH changes those only."""
    body = request.get_json(silent=True)
    return set(body) if isinstance(body, dict) else set()


def _field_error(status: int, field: str, message: str) -> None:
    abort(status, message=message, errors={"json": {field: [message]}})


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
    return the_hub


class ListArgs(LangArgs):
    topic = fields.Integer(load_default=None, validate=validate.Range(min=1, max=MAX_ID),
                           metadata={"description": "Only this topic's resources (its id)"})
    after = fields.Integer(load_default=None, validate=validate.Range(min=1, max=MAX_ID),
                           metadata={"description": "The last id of the previous page: resources come in id order"})
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


@blp.get("/resource-hubs/<hub>/resources")
@blp.arguments(ListArgs, location="query")
@blp.response(200, ResourceOut(many=True))
def list_resources(args, hub: str):
    """Published resources in the asked (or your) language, the original where there is no translation.

    A page of ``limit`` in id order; for the next, pass the last one's id as ``after``.
    """
    the_hub, roles = _hub(hub)
    return [_out(e) for e in reading.entries(_locale(), editor=can_edit(current_user, the_hub, roles),
                                             hub_id=the_hub.id, topic_id=args["topic"], after=args["after"],
                                             limit=args["limit"])]


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
    return _out(reading.entries(resource.language, editor=True, hub_id=the_hub.id, resource_id=resource.id)[0])


@blp.get("/resource-hubs/<hub>/resources/<int:resource_id>")
@blp.arguments(LangArgs, location="query")
@blp.response(200, ResourceOut)
@blp.alt_response(404, description="Unknown, or unpublished and you are not an editor")
def get_resource(args, hub: str, resource_id: int):
    the_hub, roles = _hub(hub)
    found = reading.entries(_locale(), editor=can_edit(current_user, the_hub, roles), hub_id=the_hub.id,
                            resource_id=resource_id)
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


# --- hubs and topics (owners) ----------------------------------------------------------------


@blp.post("/resource-hubs")
@blp.arguments(NewHubSchema)
@blp.response(201, HubOut)
@blp.alt_response(404, description="Not a site admin (site-wide hub), or not an admin of the group")
def create_hub(data):
    """A new hub: site-wide (site admins), or in ``group`` (that group's admins, with resource hubs on there)."""
    user = require_user()
    group = None
    if data["group"]:
        group = db.session.scalar(db.select(Group).where(Group.slug == data["group"]))
        if group is None or not can_admin_group(user, group) or not is_plugin_enabled("resources", group):
            _field_error(404, "group", "No such group, or you do not run it.")
    elif not is_site_admin(user):
        not_found("Only site admins start site-wide hubs.")
    hub = hubs.create_hub(data, group.id if group else None)
    db.session.commit()
    if group is not None:
        hub.group = group
    return hub


@blp.patch("/resource-hubs/<hub>")
@blp.arguments(HubPatchSchema(partial=True))
@blp.response(200, HubDetailOut)
@blp.alt_response(404, description="Unknown, or you do not own the hub")
def update_hub(data, hub: str):
    """Rename a hub or rewrite its introduction; only the fields you send change (owners only)."""
    the_hub = _owned_hub(hub)
    sent = _sent()
    if "title_en" in sent and not data.get("title_en"):
        _field_error(422, "title_en", "This field is required.")
    hubs.update_hub(the_hub, data, sent)
    db.session.commit()
    return _hub(hub)[0]


@blp.post("/resource-hubs/<hub>/topics")
@blp.arguments(TopicSchema)
@blp.response(201, TopicOut)
@blp.alt_response(404, description="Unknown, or you do not own the hub")
def create_topic(data, hub: str):
    """A new topic at the end of the hub's list (owners only)."""
    topic = hubs.create_topic(_owned_hub(hub), data)
    db.session.commit()
    return topic


@blp.patch("/resource-hubs/<hub>/topics/<topic>")
@blp.arguments(TopicPatchSchema(partial=True))
@blp.response(200, TopicOut)
@blp.alt_response(404, description="Unknown, or you do not own the hub")
def update_topic(data, hub: str, topic: str):
    """Change a topic's names, introductions or helpline topic; only the fields you send change."""
    the_hub = _owned_hub(hub)
    the_topic = db.session.scalar(db.select(Topic).where(Topic.hub_id == the_hub.id, Topic.slug == topic))
    if the_topic is None:
        not_found("No such topic.")
    sent = _sent()
    if "title_en" in sent and not data.get("title_en"):
        _field_error(422, "title_en", "This field is required.")
    hubs.update_topic(the_topic, data, sent)
    db.session.commit()
    return the_topic


# --- a resource's facts, revert, and what needs attention (editors) --------------------------


@blp.put("/resource-hubs/<hub>/resources/<int:resource_id>")
@blp.arguments(ResourceSchema)
@blp.response(201, RevisionOut)
@blp.alt_response(409, description="Someone saved since your version: nothing was saved")
def save_resource(data, hub: str, resource_id: int):
    """A draft of the original with the resource's facts (topic, type, partner, link, review-by date).

    The facts reach the resource when another editor publishes the draft. ``language`` cannot
    change (translations are texts in other locales); send the original's ``version``.
    """
    the_hub, resource = _editable_resource(hub, resource_id)
    if data["language"] != resource.language and "language" in _sent():
        _field_error(422, "language", "A resource's language cannot change; add a translation instead.")
    if db.session.scalar(db.select(Topic.id).where(Topic.id == data["topic_id"], Topic.hub_id == the_hub.id)) is None:
        _field_error(422, "topic_id", "Choose a topic of this hub.")
    if data.get("partner_id") and db.session.get(Partner, data["partner_id"]) is None:
        _field_error(422, "partner_id", "Choose a partner organisation.")
    try:
        revision = editing.save_text(editing.text_for(resource, resource.language), data, current_user.id,
                                     facts=editing.facts_of(data))
    except editing.RevisionConflict as err:
        db.session.rollback()
        _field_error(409, "version", str(err.message))
    db.session.commit()
    return revision


@blp.post("/resource-hubs/<hub>/revisions/<int:revision_id>/revert")
@blp.arguments(RevertSchema)
@blp.response(201, RevisionOut)
@blp.alt_response(409, description="Someone saved since the version you sent: nothing was reverted")
def revert_revision(data, hub: str, revision_id: int):
    """A new draft with an old revision's words (and facts); another editor publishes it.

    Send the text's ``version`` you looked at to be told (409) if someone saved since.
    """
    user = require_user()
    the_hub, roles = _hub(hub)
    revision = db.session.scalar(
        db.select(Revision).join(ResourceText, ResourceText.id == Revision.text_id)
        .join(Resource, Resource.id == ResourceText.resource_id)
        .where(Revision.id == revision_id, Resource.hub_id == the_hub.id))
    if revision is None or not can_edit(user, the_hub, roles):
        not_found("No such revision.")
    try:
        draft = editing.revert(revision, user.id, data["version"])
    except editing.RevisionConflict as err:
        db.session.rollback()
        _field_error(409, "version", str(err.message))
    db.session.commit()
    return draft


class AttentionArgs(Schema):
    after = fields.Integer(load_default=None, validate=validate.Range(min=1, max=MAX_ID),
                           metadata={"description": "The ``next`` of the previous page"})


class AttentionItemOut(Schema):
    resource_id = fields.Integer()
    title = fields.String()
    language = fields.String()
    review_by = fields.Date(allow_none=True)
    stale = fields.Boolean(metadata={"description": "Past its review-by date"})
    translations = fields.Dict(keys=fields.String(), values=fields.String(),
                               metadata={"description": "Locale → \"missing\" or \"outdated\", for those needing work"})
    drafts = fields.List(fields.String(), metadata={"description": "Locales with a draft waiting for review"})


class AttentionOut(Schema):
    items = fields.List(fields.Nested(AttentionItemOut))
    next = fields.Integer(allow_none=True)


@blp.get("/resource-hubs/<hub>/attention")
@blp.arguments(AttentionArgs, location="query")
@blp.response(200, AttentionOut)
@blp.alt_response(404, description="Unknown, or you do not edit the hub")
def attention(args, hub: str):
    """Resources past their review-by date, and translations missing or older than the original (editors)."""
    user = require_user()
    the_hub, roles = _hub(hub)
    if not can_edit(user, the_hub, roles):
        not_found("No such hub.")
    found = needing_attention(the_hub.id, after=args["after"])
    return {"items": [{"resource_id": i.resource.id, "title": i.title, "language": i.resource.language,
                       "review_by": i.resource.review_by, "stale": i.stale, "translations": i.translations,
                       "drafts": sorted(i.drafts)} for i in found.items], "next": found.next}


# --- partner organisations -------------------------------------------------------------------


def _partner_manager() -> Any:
    user = require_user()
    if not can_manage_partners(user, bool(reading.viewer_roles())):
        not_found("No such partner.")
    return user


def _verified(user: Any, data: dict) -> bool | None:
    if data.get("verified") is None:
        return None
    if not can_verify_partners(user):
        _field_error(403, "verified", "Only site admins verify partner organisations.")
    return data["verified"]


@blp.post("/resource-partners")
@blp.arguments(PartnerInSchema)
@blp.response(201, PartnerOut)
@blp.alt_response(404, description="Neither a site admin nor an editor of any hub")
@blp.alt_response(403, description="``verified`` sent by someone who is not a site admin")
def create_partner(data):
    """A partner organisation (site admins and hub editors); only site admins may set ``verified``."""
    user = _partner_manager()
    partner = hubs.save_partner(None, data, verified=_verified(user, data))
    db.session.commit()
    return partner


def _partner_or_404(slug: str) -> Partner:
    found = db.session.scalar(db.select(Partner).where(Partner.slug == slug))
    if found is None:
        not_found("No such partner.")
    return found


@blp.patch("/resource-partners/<partner>")
@blp.arguments(PartnerPatchSchema(partial=True))
@blp.response(200, PartnerOut)
@blp.alt_response(404, description="Unknown, or neither a site admin nor an editor of any hub")
@blp.alt_response(403, description="``verified`` sent by someone who is not a site admin")
def update_partner(data, partner: str):
    """Change a partner organisation; only the fields you send change."""
    user = _partner_manager()
    the_partner = _partner_or_404(partner)
    sent = _sent()
    if "name" in sent and not data.get("name"):
        _field_error(422, "name", "This field is required.")
    hubs.save_partner(the_partner, data, sent, verified=_verified(user, data))
    db.session.commit()
    return the_partner


class LogoIn(Schema):
    logo = Upload(required=True, metadata={"description": "A PNG, JPEG, GIF or WebP image; re-encoded, at most "
                                                          "400 px a side"})


@blp.put("/resource-partners/<partner>/logo")
@blp.arguments(LogoIn, location="files")
@blp.response(200, PartnerOut)
@blp.alt_response(422, description="Not an image, too large, or an image bomb (``errors.files.logo``)")
def put_logo(files, partner: str):
    """Upload the partner's logo (multipart form field ``logo``); it replaces the old one."""
    _partner_manager()
    the_partner = _partner_or_404(partner)
    try:
        stored = store_image(files["logo"].stream, max_side=400)
    except ImageRejected as err:
        abort(422, message=str(err.message), errors={"files": {"logo": [str(err.message)]}})
    old, the_partner.logo_key = the_partner.logo_key, stored.key
    db.session.commit()
    if old and old != stored.key:
        delete_file(old)
    return the_partner


@blp.delete("/resource-partners/<partner>/logo")
@blp.response(200, PartnerOut)
def delete_logo(partner: str):
    """Remove the partner's logo."""
    _partner_manager()
    the_partner = _partner_or_404(partner)
    old, the_partner.logo_key = the_partner.logo_key, None
    db.session.commit()
    if old:
        delete_file(old)
    return the_partner
