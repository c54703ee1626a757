"""What readers and editors see: hubs, listings and a resource in the reader's language.

Each loader is one SQL query whatever the number of resources, translations and revisions:
a listing joins every resource to its original's published revision and to the published
revision of its translation in the reader's locale, and picks the translation when there is one.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort, current_app, g, request
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import and_, func, or_
from sqlalchemy.orm import aliased, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from core.plugin_api import GroupContext, content_or_404, db
from plugins.resources.models import Hub, HubRole, Partner, Resource, ResourceText, Revision
from plugins.resources.permissions import can_edit, can_see_hub


@dataclass(frozen=True)
class ReaderLocale:
    """The language a page is shown in, and whether an asked-for language was unknown."""

    code: str
    unknown_request: str | None = None


def reader_locale() -> ReaderLocale:
    """``?lang=`` when it names a site language, else the reader's language (with a note for an unknown one)."""
    asked = request.args.get("lang")
    default = str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
    if asked is None:
        return ReaderLocale(default)
    if asked in current_app.config["LANGUAGES"]:
        return ReaderLocale(asked)
    return ReaderLocale(default, unknown_request=asked[:20])


def localized(texts: dict | None, locale: str) -> str:
    """A hub's or topic's label in ``locale``, else the site's default language, else any."""
    texts = texts or {}
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    return texts.get(locale) or texts.get(default) or next(iter(texts.values()), "")


def viewer_roles() -> dict[int, str]:
    """The viewer's hub roles, {hub id: role}; one query for members, none for visitors."""
    if not getattr(current_user, "is_authenticated", False):
        return {}
    return dict(db.session.execute(db.select(HubRole.hub_id, HubRole.role)
                                   .where(HubRole.user_id == current_user.id)).all())


def group_context(group_slug: str) -> GroupContext:
    """The group of a ``/g/<slug>/resources`` page as the viewer meets it (loaded once per request).

    404 unless the viewer may see the group's content; the page is drawn inside the group's
    header and tabs from it (``render_group_page``).
    """
    cached = getattr(g, "resources_group", None)
    if cached is None or cached.group.slug != group_slug:
        cached = g.resources_group = content_or_404(group_slug)
    return cached


def hub_or_404(hub_slug: str, group_slug: str | None) -> Hub:
    """The hub, reached at its own address (site-wide or under its group) and visible to the viewer.

    The viewer's role in it (``roles_in(hub)``) and its topics (``hub.topics``) come in the same query.
    """
    viewer_id = current_user.id if getattr(current_user, "is_authenticated", False) else None
    query = (db.select(Hub, HubRole.role)
             .outerjoin(HubRole, and_(HubRole.hub_id == Hub.id, HubRole.user_id == viewer_id))
             .options(joinedload(Hub.topics))
             .where(Hub.slug == hub_slug))
    if group_slug is None:
        row = db.session.execute(query.where(Hub.group_id.is_(None))).unique().first()
        if row is None:
            abort(404)
        hub = group_hub(row[0], None)
    else:
        group = group_context(group_slug).group
        row = db.session.execute(query.where(Hub.group_id == group.id)).unique().first()
        if row is None or not can_see_hub(current_user, group_hub(row[0], group)):
            abort(404)
        hub = row[0]
    g.resources_roles = {hub.id: row[1]} if row[1] else {}
    return hub


def roles_in(hub: Hub) -> dict[int, str]:
    """The viewer's role in ``hub`` as ``hub_or_404`` loaded it, {hub id: role} (empty for none)."""
    roles = getattr(g, "resources_roles", None)
    return roles if roles is not None and set(roles) <= {hub.id} else viewer_roles()


def group_hub(hub: Hub, group: Any) -> Hub:
    """``hub`` with its (already loaded) group attached, so permission checks need no query."""
    set_committed_value(hub, "group", group)
    return hub


@dataclass(frozen=True)
class Entry:
    """A resource as listed: the revision shown, and whether it is a fallback to the original."""

    resource: Resource
    revision: Revision
    locale: str
    fallback: bool
    published: bool


def entries(locale: str, *, editor: bool, hub_id: int | None = None, topic_id: int | None = None,
            partner_id: int | None = None, visible_hub_ids: Any = None, kind: str | None = None,
            resource_id: int | None = None, after: int | None = None, per_topic: int | None = None,
            limit: int = 200) -> list[Entry]:
    """Resources with their words in ``locale`` (or the original), published ones only unless ``editor``.

    In resource id order, from after ``after`` (keyset pages); ``per_topic`` keeps the first so many
    of each topic (a hub's overview), ranked inside the same query.
    """
    original, translated = aliased(ResourceText), aliased(ResourceText)
    original_rev, translated_rev = aliased(Revision), aliased(Revision)
    shown_original = (func.coalesce(original.published_revision_id, original.latest_revision_id)
                      if editor else original.published_revision_id)
    query = (
        db.select(Resource, original_rev, translated_rev, original.published_revision_id)
        .join(original, and_(original.resource_id == Resource.id, original.is_original.is_(True)))
        .join(original_rev, original_rev.id == shown_original)
        .outerjoin(translated, and_(translated.resource_id == Resource.id, translated.locale == locale,
                                    translated.is_original.is_(False)))
        .outerjoin(translated_rev, translated_rev.id == translated.published_revision_id)
        .options(joinedload(Resource.partner))
        .order_by(Resource.id)
        .limit(limit)
    )
    if hub_id is not None:
        query = query.where(Resource.hub_id == hub_id)
    if topic_id is not None:
        query = query.where(Resource.topic_id == topic_id)
    if partner_id is not None:
        query = query.where(Resource.partner_id == partner_id)
    if kind is not None:
        query = query.where(Resource.kind == kind)
    if resource_id is not None:
        query = query.where(Resource.id == resource_id)
    if visible_hub_ids is not None:
        query = query.where(Resource.hub_id.in_(visible_hub_ids))
    if after is not None:
        query = query.where(Resource.id > after)
    if per_topic is not None:
        shown = aliased(ResourceText)
        visible = shown.published_revision_id.is_not(None)
        if editor:
            visible = or_(visible, shown.latest_revision_id.is_not(None))
        ranked = (db.select(Resource.id, func.row_number().over(partition_by=Resource.topic_id,
                                                               order_by=Resource.id).label("place"))
                  .join(shown, and_(shown.resource_id == Resource.id, shown.is_original.is_(True), visible)))
        if hub_id is not None:
            ranked = ranked.where(Resource.hub_id == hub_id)
        ranked = ranked.subquery()
        query = query.where(Resource.id.in_(db.select(ranked.c.id).where(ranked.c.place <= per_topic)))
    found = []
    for resource, orig_rev, trans_rev, published_id in db.session.execute(query).unique():
        if trans_rev is not None:
            found.append(Entry(resource, trans_rev, locale, False, True))
        else:
            found.append(Entry(resource, orig_rev, resource.language, resource.language != locale,
                               published_id is not None))
    return found


@dataclass(frozen=True)
class Reading:
    """A resource page's data: what to show, what is missing, what the editor should know."""

    resource: Resource
    revision: Revision | None
    locale: str
    fallback: bool
    texts: list[ResourceText]


def resource_or_404(hub: Hub, resource_id: int, locale: str, roles: dict[int, str]) -> Reading:
    """The resource with topic, partner, texts and their revisions, in one query."""
    resource = db.session.scalars(
        db.select(Resource).options(
            joinedload(Resource.topic), joinedload(Resource.partner),
            joinedload(Resource.texts).joinedload(ResourceText.published),
            joinedload(Resource.texts).joinedload(ResourceText.latest))
        .where(Resource.id == resource_id, Resource.hub_id == hub.id)).unique().one_or_none()
    if resource is None:
        abort(404)
    texts = list(resource.texts)
    by_locale = {t.locale: t for t in texts}
    editor = can_edit(current_user, hub, roles)
    wanted, original = by_locale.get(locale), by_locale.get(resource.language)
    if wanted is not None and wanted.published is not None:
        return Reading(resource, wanted.published, locale, False, texts)
    shown = original.published if original else None
    if shown is None and editor and original is not None:
        shown = original.latest
    if shown is None:
        abort(404)
    return Reading(resource, shown, resource.language, resource.language != locale, texts)


def partner_or_404(partner_slug: str) -> Partner:
    partner = db.session.scalar(db.select(Partner).where(Partner.slug == partner_slug))
    if partner is None:
        abort(404)
    return partner


def site_hub_ids():
    """Hubs anyone may read on a partner page: the site-wide ones (group hubs stay in their group)."""
    return db.select(Hub.id).where(Hub.group_id.is_(None)).scalar_subquery()
