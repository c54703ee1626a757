"""Keeping the index current: in the same transaction as every write, and rebuilt on demand.

An ORM ``after_flush`` hook looks at what the flush inserted, changed and deleted; rows of a
registered source's model are indexed, re-indexed (when a ``watch`` attribute changed) or
removed right there, on the flush's own connection. Whatever writes through the ORM - pages,
the API, the CLI, a plugin, a test factory - keeps search current without calling anything.
Bulk ``DELETE`` statements bypass the ORM: deleting a group or an account cascades in the
database (``search_index.group_id``/``author_id``), anything else calls ``unindex``.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import Connection, and_, delete, event, insert, inspect, or_, select
from sqlalchemy.orm import Session

from core.extensions import db
from core.models.base import utcnow
from core.models.search import SearchEntry
from core.search import text
from core.search.sources import EXTENSION, SearchDocument, SearchRegistry, SearchSource, SearchSourceError

log = logging.getLogger("commonground.search")

BATCH = 1000
_installed = False


def install() -> None:
    """Listen to every session's flushes once per process (apps find their own registry)."""
    global _installed
    if _installed:
        return
    _installed = True
    event.listen(Session, "after_flush", _note_changes)
    event.listen(Session, "after_flush_postexec", _apply_changes)


def _registry() -> SearchRegistry | None:
    if not has_app_context():
        return None
    return current_app.extensions.get(EXTENSION)


PENDING = "commonground.search.pending"


def _note_changes(session: Session, flush_context: Any) -> None:
    """What the flush wrote, while the session still knows (inserted, changed, deleted)."""
    session.info.pop(PENDING, None)  # never left over from a flush that failed half-way
    registry = _registry()
    if registry is None or not registry.by_model:
        return
    inserts: list[tuple[SearchSource, Any]] = []
    updates: list[tuple[SearchSource, Any]] = []
    removals: dict[str, set[int]] = {}
    for obj in session.new:
        source = registry.by_model.get(type(obj))
        if source is not None:
            inserts.append((source, obj))
    for obj in session.dirty:
        source = registry.by_model.get(type(obj))
        if source is not None and _watched_change(obj, source):
            updates.append((source, obj))
    for obj in session.deleted:
        source = registry.by_model.get(type(obj))
        if source is not None:
            removals.setdefault(source.name, set()).add(obj.id)
    if inserts or updates or removals:
        session.info[PENDING] = (registry, inserts, updates, removals)


def _apply_changes(session: Session, flush_context: Any) -> None:
    """Write the index rows once the flushed objects are persistent (their relationships load)."""
    pending = session.info.pop(PENDING, None)
    if pending is None:
        return
    registry, inserts, updates, removals = pending
    connection = session.connection()
    if removals:
        _remove(connection, registry, removals)
    for items, replace in ((inserts, False), (updates, True)):
        if items:
            _write(connection, registry, [(source, source.document(obj), obj) for source, obj in items], replace)


def _watched_change(obj: Any, source: SearchSource) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in source.watch)


def _row(source: SearchSource, document: SearchDocument, dialect: str) -> dict[str, Any]:
    row = {
        "source": source.name, "object_id": document.object_id, "parent_id": document.parent_id,
        "group_id": document.group_id, "author_id": document.author_id,
        "title": document.title or "", "body": document.body or "",
        "created_at": document.created_at or utcnow(), "title_terms": None, "body_terms": None,
    }
    if dialect == "sqlite":
        row["title_terms"] = text.terms(row["title"])
        row["body_terms"] = text.terms(row["body"])
    return row


def _checked(registry: SearchRegistry, source: SearchSource, document: Any, obj: Any) -> SearchDocument | None:
    """The document, if it keeps the contract; a broken one fails loudly, naming plugin and source."""
    if document is None:
        return None
    where = f"plugin {source.plugin_id!r}, search source {source.name!r}"
    if not isinstance(document, SearchDocument):
        raise SearchSourceError(f"{where}: document() returned {document!r}, not a SearchDocument")
    if document.object_id != getattr(obj, "id", document.object_id):
        raise SearchSourceError(f"{where}: document() for row {obj.id} says object_id={document.object_id}")
    if registry.scopes.get(source.name) == "group" and document.group_id is None and not source.site_content:
        raise SearchSourceError(f"{where}: a group plugin's documents need a group_id (row {document.object_id} "
                                "has none), or its content would outlive the group's privacy and switch")
    return document


def _write(connection: Connection, registry: SearchRegistry, items: Iterable[tuple[SearchSource, Any, Any]],
           replace: bool) -> None:
    dialect = connection.dialect.name
    table = SearchEntry.__table__
    rows: list[dict[str, Any]] = []
    gone: dict[str, set[int]] = {}
    for source, document, obj in items:
        document = _checked(registry, source, document, obj)
        if document is None:
            gone.setdefault(source.name, set()).add(obj.id)
        else:
            rows.append(_row(source, document, dialect))
    if gone and replace:
        _remove(connection, registry, gone, children=False)
    if not rows:
        return
    if replace:
        keys = [(row["source"], row["object_id"]) for row in rows]
        connection.execute(delete(table).where(or_(*(and_(table.c.source == s, table.c.object_id == i)
                                                     for s, i in keys))))
    connection.execute(insert(table), rows)


def _remove(connection: Connection, registry: SearchRegistry, ids: dict[str, set[int]],
            children: bool = True) -> None:
    table = SearchEntry.__table__
    clauses = []
    for name, object_ids in ids.items():
        clauses.append(and_(table.c.source == name, table.c.object_id.in_(sorted(object_ids))))
        if children:
            kids = registry.children_of(name)
            if kids:
                clauses.append(and_(table.c.source.in_(kids), table.c.parent_id.in_(sorted(object_ids))))
    connection.execute(delete(table).where(or_(*clauses)))


def unindex(source: str, ids: Iterable[int] | Any) -> None:
    """Remove rows of ``source`` (and of its child sources) from the index, in the session's transaction.

    For deletes that bypass the ORM; ``ids`` is a list or a select of ids.
    """
    registry = current_app.extensions[EXTENSION]
    table = SearchEntry.__table__
    if not isinstance(ids, list | tuple | set | frozenset):
        ids = ids.scalar_subquery() if hasattr(ids, "scalar_subquery") else ids
        condition = and_(table.c.source == source, table.c.object_id.in_(ids))
        kids = registry.children_of(source)
        if kids:
            condition = or_(condition, and_(table.c.source.in_(kids), table.c.parent_id.in_(ids)))
        db.session.execute(delete(table).where(condition))
        return
    if ids:
        _remove(db.session.connection(), registry, {source: set(ids)})


def reindex(source_names: Iterable[str] | None = None, batch: int = BATCH) -> dict[str, int]:
    """Rebuild the rows of the named sources (all by default), each in one transaction.

    Readers keep seeing the old rows until the source's transaction commits. Returns the
    number of rows indexed per source.
    """
    registry: SearchRegistry = current_app.extensions[EXTENSION]
    names = list(source_names) if source_names is not None else list(registry.sources)
    unknown = [name for name in names if name not in registry.sources]
    if unknown:
        raise SearchSourceError(f"unknown search source(s): {', '.join(unknown)}; "
                                f"known: {', '.join(registry.sources)}")
    counts = {}
    for name in names:
        counts[name] = _reindex_source(registry, registry.get(name), batch)
    if db.engine.dialect.name == "sqlite":
        with db.engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
    return counts


def _reindex_source(registry: SearchRegistry, source: SearchSource, batch: int) -> int:
    model = source.model
    table = SearchEntry.__table__
    base = source.rows() if source.rows is not None else select(model)
    count = 0
    try:
        db.session.execute(delete(table).where(table.c.source == source.name))
        last = None
        while True:
            stmt = base.order_by(model.id).limit(batch)
            if last is not None:
                stmt = stmt.where(model.id > last)
            objects = list(db.session.scalars(stmt).unique())
            if not objects:
                break
            items = [(source, source.document(obj), obj) for obj in objects]
            _write(db.session.connection(), registry, items, replace=False)
            count += sum(1 for _, document, _ in items if document is not None)
            last = objects[-1].id
            db.session.expunge_all()
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    log.info("search: %s rows of %s indexed", count, source.name)
    return count


def index_counts() -> dict[str, int]:
    """Rows in the index per source (for ``flask search status``)."""
    rows = db.session.execute(select(SearchEntry.source, db.func.count()).group_by(SearchEntry.source))
    return dict(rows.all())

