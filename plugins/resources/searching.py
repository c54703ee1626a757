"""Resources in the platform's search: each published text (original or translation) is one row.

Core keeps the index current on every flush: a text is (re)indexed when its published revision
changes, and a text without one is not in the index at all, so unpublished words can never be
found. A group hub's texts carry the group, so core shows them only where the group's content
is visible and the plugin is on. Hub, topic, type, language and partner filters are applied
here, in one query over the hits core returned.
"""
from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import true

from core.plugin_api import SearchDocument, SearchSource, db, search
from plugins.resources.models import Hub, Resource, ResourceText, Revision
from plugins.resources.placeholders import PLACEHOLDER

SOURCE = "resources"
MAX_HITS = 100


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


def find(viewer: Any, query: str, *, hub_id: int | None = None, topic_id: int | None = None,
         kind: str | None = None, locale: str | None = None, partner_id: int | None = None) -> list[dict]:
    """Hits for ``query`` with their resource, filtered; core's rules already applied (two queries)."""
    page = search(viewer, query, types=[SOURCE], limit=MAX_HITS)
    if not page.items:
        return []
    rank = {hit.object_id: position for position, hit in enumerate(page.items)}
    hits = {hit.object_id: hit for hit in page.items}
    statement = (db.select(ResourceText, Resource, Hub)
                 .join(Resource, Resource.id == ResourceText.resource_id)
                 .join(Hub, Hub.id == Resource.hub_id)
                 .where(ResourceText.id.in_(list(rank))))
    for column, value in ((Resource.hub_id, hub_id), (Resource.topic_id, topic_id), (Resource.kind, kind),
                          (ResourceText.locale, locale), (Resource.partner_id, partner_id)):
        if value is not None:
            statement = statement.where(column == value)
    rows = db.session.execute(statement).all()
    found = [{"hit": hits[text.id], "text": text, "resource": resource, "hub": hub} for text, resource, hub in rows]
    return sorted(found, key=lambda row: rank[row["text"].id])
