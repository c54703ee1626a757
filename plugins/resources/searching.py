"""Resources in the platform's search: each published text (original or translation) is one row.

Core keeps the index current on every flush: a text is (re)indexed when its published revision
changes, and a text without one is not in the index at all, so unpublished words can never be
found. A group hub's texts carry the group, so core shows them only where the group's content
is visible and the plugin is on. Hub, topic, type, language and partner filters go into core's
search query as extra criteria (``search(..., where=...)``), so they narrow the ranking itself.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import true

from core.plugin_api import SearchDocument, SearchEntry, SearchSource, db, search
from plugins.resources.models import Hub, Resource, ResourceText, Revision
from plugins.resources.placeholders import PLACEHOLDER

SOURCE = "resources"
PAGE_SIZE = 20


def _document(text: ResourceText) -> SearchDocument | None:
    if text.published_revision_id is None:
        return None
    revision = db.session.get(Revision, text.published_revision_id)
    resource = db.session.get(Resource, text.resource_id)
    if revision is None or resource is None:
        return None
    hub = db.session.get(Hub, resource.hub_id)
    words = PLACEHOLDER.sub(" ", Markup(revision.body_html).striptags())
    body = " ".join(part for part in (revision.summary, words, revision.audience) if part)
    return SearchDocument(object_id=text.id, title=revision.title, body=body, group_id=hub.group_id if hub else None,
                          parent_id=resource.id, created_at=revision.reviewed_at or revision.created_at)


def sources() -> list[SearchSource]:
    return [SearchSource(
        name=SOURCE, label=_l("Resources"), item_label=_l("Resource"), model=ResourceText, document=_document,
        visible=lambda viewer, entries: true(), watch=("published_revision_id",), site_content=True,
        url=lambda hit: url_for("resources.text", text_id=hit.object_id),
    )]


@dataclass(frozen=True)
class Found:
    """A page of hits with their resource and hub; ``next`` is the cursor of the following page."""

    results: list[dict]
    next: str | None


def find(viewer: Any, query: str, *, hub_id: int | None = None, site_hubs_only: bool = False,
         topic_id: int | None = None, kind: str | None = None, locale: str | None = None,
         partner_id: int | None = None, after: str | None = None, limit: int = PAGE_SIZE) -> Found:
    """A page of hits for ``query``, filtered in core's one search query, with their resources (two queries).

    The filters are a subquery over the resource tables handed to core as extra criteria, so
    core ranks only what matches them (a filtered match is found however many unfiltered
    ones rank above it) and keeps its own visibility rules and keyset pages.
    """
    matching = (db.select(ResourceText.id).join(Resource, Resource.id == ResourceText.resource_id))
    for column, value in ((Resource.hub_id, hub_id), (Resource.topic_id, topic_id), (Resource.kind, kind),
                          (ResourceText.locale, locale), (Resource.partner_id, partner_id)):
        if value is not None:
            matching = matching.where(column == value)
    if site_hubs_only:
        matching = matching.where(Resource.hub_id.in_(db.select(Hub.id).where(Hub.group_id.is_(None))))
    filtered = any(value is not None for value in (hub_id, topic_id, kind, locale, partner_id)) or site_hubs_only
    page = search(viewer, query, types=[SOURCE], after=after, limit=limit,
                  where=SearchEntry.object_id.in_(matching) if filtered else None)
    if not page.items:
        return Found([], None)
    rank = {hit.object_id: position for position, hit in enumerate(page.items)}
    hits = {hit.object_id: hit for hit in page.items}
    rows = db.session.execute(
        db.select(ResourceText, Resource, Hub)
        .join(Resource, Resource.id == ResourceText.resource_id)
        .join(Hub, Hub.id == Resource.hub_id)
        .where(ResourceText.id.in_(list(rank)))).all()
    found = [{"hit": hits[text.id], "text": text, "resource": resource, "hub": hub} for text, resource, hub in rows]
    return Found(sorted(found, key=lambda row: rank[row["text"].id]), page.next)
