"""What a hub's editors should look at: resources past their review-by date, and translations
that are missing or older than the original – the whole hub in one query per page.

A translation is *missing* in a site language when no published text exists in it (a draft
may be waiting for review), and *out of date* when its published revision was translated from
an older published revision of the original than the current one. Only published resources
are listed: a draft's translations are not due yet.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from sqlalchemy import and_, false, func, or_
from sqlalchemy.orm import aliased

from core.plugin_api import db, utcnow
from plugins.resources.models import Resource, ResourceText, Revision

PAGE_SIZE = 50
MISSING, OUTDATED = "missing", "outdated"


@dataclass(frozen=True)
class Attention:
    """One resource that needs work: its title, whether it is overdue, and its translations' states."""

    resource: Resource
    title: str
    stale: bool
    # {locale: "missing" | "outdated"}, for the site languages that need work only.
    translations: dict[str, str] = field(default_factory=dict)
    # Locales where a draft waits for review (it may already fix what is listed).
    drafts: frozenset[str] = frozenset()


@dataclass(frozen=True)
class AttentionPage:
    items: list[Attention]
    next: int | None  # the ``after`` of the following page


def needing_attention(hub_id: int, *, after: int | None = None, limit: int | None = None,
                      today: date | None = None) -> AttentionPage:
    """A page (by resource id) of the hub's resources that are overdue or lack current translations."""
    today = today or utcnow().date()
    limit = limit or PAGE_SIZE
    locales = list(current_app.config["LANGUAGES"])
    original, original_rev = aliased(ResourceText), aliased(Revision)
    columns, joins, needs = [], [], []
    for code in locales:
        text, revision = aliased(ResourceText), aliased(Revision)
        joins.append((text, and_(text.resource_id == Resource.id, text.locale == code,
                                 text.is_original.is_(False))))
        joins.append((revision, revision.id == text.published_revision_id))
        columns += [text.published_revision_id, text.latest_revision_id, revision.source_revision_id]
        needs.append(and_(Resource.language != code, or_(
            text.published_revision_id.is_(None),
            func.coalesce(revision.source_revision_id, 0) < original.published_revision_id)))
    stale = and_(Resource.review_by.is_not(None), Resource.review_by < today)
    query = (db.select(Resource, original_rev.title, original.published_revision_id, *columns)
             .join(original, and_(original.resource_id == Resource.id, original.is_original.is_(True)))
             .join(original_rev, original_rev.id == original.published_revision_id))
    for target, on in joins:
        query = query.outerjoin(target, on)
    query = (query.where(Resource.hub_id == hub_id, or_(stale, *needs) if needs else or_(stale, false()))
             .order_by(Resource.id).limit(limit + 1))
    if after is not None:
        query = query.where(Resource.id > after)
    rows = db.session.execute(query).all()
    items = []
    for row in rows[:limit]:
        resource, title, source_id = row[0], row[1], row[2]
        states, drafts = {}, set()
        for index, code in enumerate(locales):
            published_id, latest_id, translated_from = row[3 + 3 * index: 6 + 3 * index]
            if code == resource.language:
                continue
            if published_id is None:
                states[code] = MISSING
            elif (translated_from or 0) < source_id:
                states[code] = OUTDATED
            if latest_id is not None and latest_id != published_id:
                drafts.add(code)
        items.append(Attention(resource, title, bool(resource.review_by and resource.review_by < today), states,
                               frozenset(drafts)))
    return AttentionPage(items, rows[limit - 1][0].id if len(rows) > limit else None)
