"""The editorial workflow: drafts, review by a different editor, revisions, revert, conflicts.

Every save of a text is a new ``Revision`` (a draft); publishing makes a draft what readers see
and needs an editor other than its author. Saves are compare-and-set on ``ResourceText.version``
in one UPDATE, so of two editors who started from the same version exactly one succeeds and the
other gets ``RevisionConflict`` (their words are handed back to them, not lost).
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from core.plugin_api import db, render_markdown, utcnow
from plugins.resources.models import DRAFT, PUBLISHED, SUPERSEDED, Resource, ResourceText, Revision

TEXT_FIELDS = ("title", "summary", "body", "audience")
FACT_FIELDS = ("topic_id", "partner_id", "kind", "link", "review_by")


def facts_of(data: dict[str, Any]) -> dict[str, Any]:
    """The facts part of validated form data, as plain JSON values."""
    review_by = data.get("review_by")
    return {"topic_id": data["topic_id"], "partner_id": data.get("partner_id"), "kind": data["kind"],
            "link": data.get("link"), "review_by": review_by.isoformat() if review_by else None}


class EditRefused(Exception):
    """An action that cannot be done; ``message`` is shown to the editor (``field`` names the field)."""

    def __init__(self, message: Any, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class RevisionConflict(EditRefused):
    """Someone saved this text since the editor opened it; ``latest`` is their revision."""

    def __init__(self, latest: Revision | None) -> None:
        super().__init__(_l("Someone else saved this text while you were editing. Your text is below, "
                            "unsaved: compare it with the latest version and save again."), field="version")
        self.latest = latest


def create_resource(hub_id: int, data: dict[str, Any], author_id: int, *, is_sample: bool = False) -> Resource:
    """A new resource with its original text's first draft."""
    resource = Resource(hub_id=hub_id, topic_id=data["topic_id"], partner_id=data.get("partner_id"),
                        kind=data["kind"], language=data["language"], link=data.get("link"),
                        review_by=data.get("review_by"), is_sample=is_sample)
    db.session.add(resource)
    db.session.flush()
    text = ResourceText(resource_id=resource.id, locale=resource.language, is_original=True, version=0)
    db.session.add(text)
    db.session.flush()
    save_text(text, {**data, "version": 0}, author_id, facts=facts_of(data))
    return resource


def apply_facts(resource: Resource, facts: dict[str, Any]) -> None:
    """A published revision's facts become the resource's (a new review-by date re-arms the flag)."""
    from datetime import date

    review_by = date.fromisoformat(facts["review_by"]) if facts.get("review_by") else None
    if review_by != resource.review_by:
        resource.stale_notified_for = None
    for name in ("topic_id", "partner_id", "kind", "link"):
        setattr(resource, name, facts.get(name))
    resource.review_by = review_by


def text_for(resource: Resource, locale: str) -> ResourceText:
    """The resource's text in ``locale``, created (empty, version 0) for a first translation."""
    text = db.session.scalar(db.select(ResourceText).where(ResourceText.resource_id == resource.id,
                                                          ResourceText.locale == locale))
    if text is None:
        text = ResourceText(resource_id=resource.id, locale=locale, is_original=locale == resource.language,
                            version=0)
        db.session.add(text)
        db.session.flush()
    return text


def save_text(text: ResourceText, data: dict[str, Any], author_id: int, note: str | None = None,
              facts: dict[str, Any] | None = None) -> Revision:
    """A new draft revision of ``text``; ``data["version"]`` must be the version the editor started from."""
    expected = int(data.get("version") or 0)
    claimed = db.session.execute(
        update(ResourceText).where(ResourceText.id == text.id, ResourceText.version == expected)
        .values(version=expected + 1).execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        db.session.expire(text)
        latest = db.session.get(Revision, text.latest_revision_id) if text.latest_revision_id else None
        raise RevisionConflict(latest)
    source_id = None
    if not text.is_original:
        source_id = db.session.scalar(
            db.select(ResourceText.published_revision_id)
            .where(ResourceText.resource_id == text.resource_id, ResourceText.is_original.is_(True)))
    revision = Revision(text_id=text.id, number=expected + 1, title=data["title"], summary=data.get("summary", ""),
                        body=data.get("body", ""), body_html=render_markdown(data.get("body", "")),
                        audience=data.get("audience", ""), note=note if note is not None else data.get("note", ""),
                        status=DRAFT, author_id=author_id, source_revision_id=source_id,
                        facts=facts if text.is_original else None)
    db.session.add(revision)
    db.session.flush()
    db.session.execute(update(ResourceText).where(ResourceText.id == text.id)
                       .values(latest_revision_id=revision.id).execution_options(synchronize_session=False))
    db.session.expire(text)
    return revision


def publish(revision: Revision, reviewer_id: int, note: str = "") -> None:
    """Make a draft what readers see; refused for its own author and for a draft already replaced."""
    if revision.author_id == reviewer_id:
        raise EditRefused(_l("You wrote this draft: another editor has to review and publish it."))
    text = db.session.get(ResourceText, revision.text_id)
    if revision.status != DRAFT:
        raise EditRefused(_l("Only a draft can be published."))
    if text.latest_revision_id != revision.id:
        raise EditRefused(_l("A newer draft exists: review that one."))
    if text.published_revision_id:
        db.session.execute(update(Revision).where(Revision.id == text.published_revision_id)
                           .values(status=SUPERSEDED).execution_options(synchronize_session=False))
    revision.status = PUBLISHED
    revision.reviewer_id = reviewer_id
    revision.reviewed_at = utcnow()
    if note:
        revision.note = (revision.note + " · " + note).strip(" ·")[:300]
    text.published_revision_id = revision.id
    if text.is_original and revision.facts:
        apply_facts(db.session.get(Resource, text.resource_id), revision.facts)


def revert(revision: Revision, author_id: int, version: int | None = None) -> Revision:
    """A new draft with an old revision's words (published once another editor reviews it).

    ``version`` is the text's version the editor saw when choosing to revert: if someone saved
    since, that is a ``RevisionConflict`` (None: revert on top of whatever is latest).
    """
    text = db.session.get(ResourceText, revision.text_id)
    data = {name: getattr(revision, name) for name in TEXT_FIELDS}
    return save_text(text, {**data, "version": text.version if version is None else version}, author_id,
                     note=str(_l("Reverted to revision %(number)s", number=revision.number)), facts=revision.facts)


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "add", "remove", "context", "heading"
    text: str


def diff(old: Revision | None, new: Revision) -> list[DiffLine]:
    """A readable line diff of every text field (only changed fields, with a little context)."""
    lines: list[DiffLine] = []
    for name in TEXT_FIELDS:
        before = (getattr(old, name) if old else "").splitlines()
        after = getattr(new, name).splitlines()
        if before == after:
            continue
        lines.append(DiffLine("heading", name))
        for line in difflib.unified_diff(before, after, lineterm="", n=2):
            if line.startswith(("---", "+++", "@@")):
                continue
            kind = {"+": "add", "-": "remove"}.get(line[:1], "context")
            lines.append(DiffLine(kind, line[1:]))
    old_facts, new_facts = (old.facts if old else None) or {}, new.facts or {}
    for name in FACT_FIELDS:
        if new.facts is not None and old_facts.get(name) != new_facts.get(name):
            lines.append(DiffLine("heading", name))
            if old_facts.get(name) is not None:
                lines.append(DiffLine("remove", str(old_facts[name])))
            if new_facts.get(name) is not None:
                lines.append(DiffLine("add", str(new_facts[name])))
    return lines
