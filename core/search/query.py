"""Searching: one SQL query per page, ranked, filtered for the viewer, keyset-paginated.

The statement joins the index to its full-text structure (FTS5 on SQLite, the GIN-indexed
``tsvector`` on PostgreSQL), to the group and the author of each row (for what the viewer may
see and what the hit shows) and to the viewer's membership, and keeps only rows that pass,
per source, the source's own filter and core's rules. Pages follow ``(score, id)``, so page
ten costs what page one does.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, NamedTuple

from flask import current_app
from sqlalchemy import (
    ColumnElement,
    Float,
    Integer,
    String,
    and_,
    bindparam,
    column,
    exists,
    false,
    func,
    literal_column,
    or_,
    select,
    table,
    union,
)
from sqlalchemy.sql.elements import True_

from core.extensions import db
from core.groups import keyset
from core.identity_memo import IdentityMemo
from core.models import Group, GroupPluginState, Membership, User
from core.models.search import FTS_TABLE, LANGUAGES, TSVECTOR_COLUMN, SearchEntry
from core.permissions import is_authenticated
from core.search import text
from core.search.sources import (
    SearchHit,
    SearchRegistry,
    SearchSource,
    SearchSourceError,
    get_registry,
)
from core.sql_constants import sql_constant
from core.visibility import not_hidden

log = logging.getLogger("commonground.search")

# Title words count five times as much as body words on SQLite (bm25 column weights); on
# PostgreSQL titles carry weight A and bodies B (ts_rank's defaults: 1.0 and 0.4).
TITLE_WEIGHT = 5.0
BODY_WEIGHT = 1.0
RANK_NORMALIZATION = 1  # ts_rank: divide by 1 + log(document length), so long posts don't win by size


@dataclass
class SearchPage:
    """One page of hits; ``next`` is the cursor for the following page (None at the end)."""

    items: list[SearchHit]
    next: str | None
    query: text.ParsedQuery


class UnknownSource(ValueError):
    """A ``types`` filter named a source that does not exist or is switched off."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(", ".join(names))
        self.names = names


MATCH = "cg_search_match"
WORD = "cg_search_word_{}"
GROUP_SLUG = "cg_search_group"
AFTER_SCORE, AFTER_ID = "cg_search_after_score", "cg_search_after_id"


def _match_and_score(parsed: text.ParsedQuery, dialect: str) -> tuple[ColumnElement, ColumnElement]:
    """The full-text match and the score, the query's words as named bound parameters (``values``)."""
    if dialect == "postgresql":
        document = literal_column(f"{SearchEntry.__tablename__}.{TSVECTOR_COLUMN}")
        per_word = []
        for n, word in enumerate(parsed.words):
            bound = bindparam(WORD.format(n), word, type_=String)
            forms = [func.plainto_tsquery(literal_column(f"'{language}'::regconfig"), bound) for language in LANGUAGES]
            combined = forms[0]
            for form in forms[1:]:
                combined = combined.op("||")(form)
            per_word.append(combined)
        query = per_word[0]
        for part in per_word[1:]:
            query = query.op("&&")(part)
        return document.op("@@")(query), func.ts_rank(document, query, RANK_NORMALIZATION).cast(Float)
    fts = literal_column(FTS_TABLE)
    return fts.op("MATCH")(bindparam(MATCH, parsed.fts5(), type_=String)), -func.bm25(fts, TITLE_WEIGHT, BODY_WEIGHT)


def values(parsed: text.ParsedQuery, dialect: str, *, group_slug: str | None = None,
           after: tuple[float, int] | None = None) -> dict[str, Any]:
    """A search's own values for the bound parameters of its statement (a reused one carries an
    earlier search's)."""
    found: dict[str, Any] = {}
    if dialect == "postgresql":
        for n, word in enumerate(parsed.words):
            found[WORD.format(n)] = word
    else:
        found[MATCH] = parsed.fts5()
    if group_slug is not None:
        found[GROUP_SLUG] = group_slug
    if after is not None:
        found[AFTER_SCORE], found[AFTER_ID] = float(after[0]), int(after[1])
    return found


def enabled_sources(registry: SearchRegistry | None = None) -> list[SearchSource]:
    """Sources whose plugin is on site-wide (core's always are), in registration order."""
    from core.plugins import get_plugins

    registry = registry or get_registry()
    enabled = set(get_plugins().enabled_ids())
    return [source for source in registry if source.plugin_id == "core" or source.plugin_id in enabled]


def _fail(source: SearchSource, problem: str, cause: Exception | None = None) -> None:
    """A broken source raises while testing or debugging; in production it is logged and left out."""
    message = f"plugin {source.plugin_id!r}, search source {source.name!r}: {problem}"
    if current_app.testing or current_app.debug:
        raise SearchSourceError(message) from cause
    log.error("%s; its results are left out", message)


_BROKEN = object()  # what a source's visible() that raised stands for (the source is left out)


def _own_filter(source: SearchSource, viewer: Any) -> Any:
    """What the source's ``visible`` answers for ``viewer``, unchecked (``_BROKEN`` if it raised)."""
    try:
        return source.visible(viewer, SearchEntry)
    except Exception as exc:
        _fail(source, f"visible() raised {exc!r}", exc)
        return _BROKEN


def _checked_filter(source: SearchSource, clause: Any) -> ColumnElement | None:
    """``clause`` if it keeps the contract; None if the source is broken (and left out)."""
    if clause is _BROKEN:
        return None
    if not isinstance(clause, ColumnElement):
        _fail(source, f"visible() must return a SQL expression over SearchEntry (sqlalchemy.true() for "
                      f"'nothing beyond core's rules'), not {clause!r}")
        return None
    index = SearchEntry.__table__
    foreign = sorted({getattr(f, "name", str(f)) for f in clause._from_objects if f is not index})
    if foreign:
        _fail(source, f"visible() reads {', '.join(foreign)} outside a subquery, which would pair every hit "
                      "with every row of it; use exists() or in_(select(...))")
        return None
    return clause


def source_filter(source: SearchSource, viewer: Any) -> ColumnElement | None:
    """The source's own filter for ``viewer``, checked: None if the source is broken (and left out)."""
    return _checked_filter(source, _own_filter(source, viewer))


def _hidden_selects(source: SearchSource, viewer: Any) -> tuple[Any, ...]:
    """What plugins hide of ``source`` from ``viewer`` (``hidden_content_ids``): their selects."""
    from core.plugins import get_plugins

    return tuple(get_plugins().call("hidden_content_ids", viewer=viewer, content_type=source.name))


def _hidden_content(selects: tuple[Any, ...]) -> ColumnElement | None:
    """``object_id NOT IN`` the plugins' hidden ids, or None."""
    if not selects:
        return None

    def build() -> ColumnElement:
        hidden = selects[0] if len(selects) == 1 else union(*selects)
        return SearchEntry.object_id.not_in(hidden.scalar_subquery() if hasattr(hidden, "scalar_subquery") else hidden)

    # the plugins handed back the same (reused) selects: the same clause
    return _HIDDEN_CLAUSES.get(selects, (), build)


_HIDDEN_CLAUSES: IdentityMemo[ColumnElement] = IdentityMemo(4096)


def _group_content_visible(viewer: Any) -> ColumnElement:
    """A private group's content only for its members; rows outside groups and public groups for all.

    One clause per kind of viewer, shared by every source: its value is bound once in the statement."""
    signed_in = is_authenticated(viewer)
    shown = _GROUP_CONTENT.get(signed_in)
    if shown is None:
        shown = or_(SearchEntry.group_id.is_(None), Group.visibility == "public")
        if signed_in:
            shown = or_(shown, Membership.id.is_not(None))
        _GROUP_CONTENT[signed_in] = shown
    return shown


_GROUP_CONTENT: dict[bool, ColumnElement] = {}


def extra_filter(where: ColumnElement) -> ColumnElement:
    """A caller's extra criteria, checked like a source's own filter (``search(..., where=...)``)."""
    if not isinstance(where, ColumnElement):
        raise TypeError(f"search(where=...) must be a SQL expression over SearchEntry, not {where!r}")
    index = SearchEntry.__table__
    foreign = sorted({getattr(f, "name", str(f)) for f in where._from_objects if f is not index})
    if foreign:
        raise TypeError(f"search(where=...) reads {', '.join(foreign)} outside a subquery, which would pair every "
                        "hit with every row of it; use exists() or in_(select(...))")
    return where


@dataclass(frozen=True)
class _Inputs:
    """What a search statement is built from besides the search's own values: for each source its
    own filter (as ``visible`` answered it) and the plugins' hidden selects, and the block filter.

    Asked on every search (plugins decide them); the statement built from them is reused while
    they are the same objects (``_reused_or_built``).
    """

    sources: tuple[SearchSource, ...]
    own: tuple[Any, ...]
    hidden: tuple[tuple[Any, ...], ...]
    author_shown: ColumnElement

    def objects(self) -> tuple[Any, ...]:
        return (*self.sources, *self.own, *(s for selects in self.hidden for s in selects), self.author_shown)


def _inputs(viewer: Any, sources: list[SearchSource]) -> _Inputs:
    author_shown = not_hidden(SearchEntry.author_id, viewer, within=SearchEntry.group_id)  # staff find all
    return _Inputs(sources=tuple(sources), own=tuple(_own_filter(source, viewer) for source in sources),
                   hidden=tuple(_hidden_selects(source, viewer) for source in sources), author_shown=author_shown)


def _source_clause(registry: SearchRegistry, source: SearchSource, viewer: Any, own: Any,
                   hidden: tuple[Any, ...]) -> ColumnElement | None:
    checked = _checked_filter(source, own)
    if checked is None:
        return None
    parts: list[ColumnElement] = [SearchEntry.source == sql_constant(source.name)]
    if not isinstance(checked, True_):
        parts.append(checked)
    if source.group_content:
        parts.append(_group_content_visible(viewer))
    hidden_clause = _hidden_content(hidden)
    if hidden_clause is not None:
        parts.append(hidden_clause)
    if registry.scopes.get(source.name) == "group":
        switched_on = exists().where(GroupPluginState.group_id == SearchEntry.group_id,
                                     GroupPluginState.plugin_id == sql_constant(source.plugin_id),
                                     GroupPluginState.enabled.is_(True))
        parts.append(or_(SearchEntry.group_id.is_(None), switched_on) if source.site_content else switched_on)
    return and_(*parts)


def _build(viewer: Any, parsed: text.ParsedQuery, inputs: _Inputs, *, group_slug: str | None,
           after: tuple[float, int] | None, limit: int, dialect: str, where: ColumnElement | None,
           matches_only: bool = False):
    registry = get_registry()
    match, score = _match_and_score(parsed, dialect)
    score = score.label("score")
    clauses = [clause for clause in (_source_clause(registry, source, viewer, own, hidden)
                                     for source, own, hidden in zip(inputs.sources, inputs.own, inputs.hidden,
                                                                    strict=True))
               if clause is not None]
    stmt = (
        select(SearchEntry.id, SearchEntry.source, SearchEntry.object_id, SearchEntry.parent_id, SearchEntry.title,
               SearchEntry.body, SearchEntry.created_at, Group.slug, Group.name, User.username, User.display_name,
               User.avatar_key, score)
        .select_from(SearchEntry)
    )
    if dialect != "postgresql":
        fts = table(FTS_TABLE, column("rowid"))
        stmt = stmt.join(fts, fts.c.rowid == SearchEntry.id)
    stmt = stmt.outerjoin(Group, Group.id == SearchEntry.group_id).outerjoin(User, User.id == SearchEntry.author_id)
    if is_authenticated(viewer):
        stmt = stmt.outerjoin(Membership, and_(Membership.group_id == SearchEntry.group_id,
                                               Membership.user_id == viewer.id))
    author_shown = inputs.author_shown
    if not isinstance(author_shown, True_):
        author_shown = or_(SearchEntry.author_id.is_(None), author_shown)
    stmt = stmt.where(match, author_shown, or_(*clauses) if clauses else false())
    if where is not None:
        stmt = stmt.where(extra_filter(where))
    if group_slug is not None:
        slug = bindparam(GROUP_SLUG, group_slug, type_=String)
        stmt = stmt.where(SearchEntry.group_id == select(Group.id).where(Group.slug == slug).scalar_subquery())
    if after is not None:
        bounds = (bindparam(AFTER_SCORE, float(after[0]), type_=Float),
                  bindparam(AFTER_ID, int(after[1]), type_=Integer))
        stmt = stmt.where(keyset.after((score.element, SearchEntry.id), bounds, descending=True))
    stmt = stmt.order_by(score.element.desc(), SearchEntry.id.desc()).limit(limit + 1)
    if matches_only:  # ``source_matches``: the index row, the object and the score only
        stmt = stmt.with_only_columns(SearchEntry.id, SearchEntry.object_id, stmt.selected_columns.score)
    return stmt


def statement(viewer: Any, parsed: text.ParsedQuery, sources: list[SearchSource], *, group_slug: str | None = None,
              after: tuple[float, int] | None = None, limit: int = 20, dialect: str | None = None,
              where: ColumnElement | None = None):
    """The one SELECT behind a page of hits, its values bound in it (also what the ``EXPLAIN`` test
    looks at). Built afresh; ``search`` reuses one per viewer and kind of search (``_reused_or_built``)."""
    return _build(viewer, parsed, _inputs(viewer, sources), group_slug=group_slug, after=after, limit=limit,
                  dialect=dialect or db.engine.dialect.name, where=where)


#: Reused search statements, per viewer and kind of search (``_reused_or_built``); then cleared and rebuilt as used.
STATEMENTS_SIZE = 1024
_STATEMENTS: dict[tuple[Any, ...], tuple[tuple[Any, ...], Any]] = {}


def _reused_or_built(viewer: Any, parsed: text.ParsedQuery, sources: list[SearchSource], *, group_slug: str | None,
                     after: tuple[float, int] | None, limit: int, dialect: str,
                     matches_only: bool = False) -> tuple[Any, bool]:
    """The statement of this kind of search for ``viewer``, built once and run with each search's
    ``values``: building it, and SQLAlchemy's cache key for it, cost more than running it.

    Keyed by what the statement holds besides those values: the viewer (id, signed in,
    suspended), the dialect, the number of words on PostgreSQL (one ``tsquery`` per word), whether
    it is limited to a group or pages on from a cursor, the page size, whether it selects the
    matches only (``source_matches``), and the identity of what
    sources and plugins answered for this viewer on this search (``_Inputs``): a plugin switched
    on or off, a filter of another shape, or another viewer's gets its own statement. Plugins
    hand back the same (immutable) filters while nothing changed – core's block filter, reporting's
    hidden items; a source whose ``visible`` builds a new clause on every call is not reused
    (asked twice on a miss). The tables behind the filters (blocks, hidden items, memberships,
    plugins switched on in a group) are read by the database on every run.
    """
    inputs = _inputs(viewer, sources)
    objects = inputs.objects()
    key = (dialect, len(parsed.words) if dialect == "postgresql" else 0, group_slug is not None, after is not None,
           limit, getattr(viewer, "id", None), is_authenticated(viewer), bool(getattr(viewer, "is_suspended", False)),
           matches_only, tuple(map(len, inputs.hidden)), *map(id, objects))
    found = _STATEMENTS.get(key)
    if found is not None and all(a is b for a, b in zip(found[0], objects, strict=True)):
        return found[1], True
    stmt = _build(viewer, parsed, inputs, group_slug=group_slug, matches_only=matches_only, after=after, limit=limit,
                  dialect=dialect, where=None)
    again = _inputs(viewer, sources).objects()
    if len(again) == len(objects) and all(a is b for a, b in zip(again, objects, strict=True)):
        if len(_STATEMENTS) >= STATEMENTS_SIZE:
            _STATEMENTS.clear()
        _STATEMENTS[key] = (objects, stmt)  # the objects kept with it, so their ids stay theirs
        return stmt, True
    return stmt, False


class SourceMatches(NamedTuple):
    """``source_matches``'s answer: the statement, the values its search binds when it runs, and
    whether the statement is a reused one (the same object on the next search of its kind: worth
    keying a caller's own statement by; a source whose filter is new on every call gives a new one)."""

    statement: Any
    values: dict[str, Any]
    reused: bool


def source_matches(viewer: Any, query: str, source_name: str, *, after: str | None = None,
                   limit: int = 20) -> SourceMatches | None:
    """One source's rows ``viewer`` may find for ``query``, best first: a SELECT of ``id`` (the
    index row), ``object_id`` and ``score``, ``limit + 1`` rows after the cursor ``after``, and the
    values to run it with (``db.session.execute(matches.statement, matches.values)``, or the
    statement embedded in the caller's own with the values added to its parameters).

    For pages that list their own rows by relevance (the group directory joins its groups to
    it, one query in all) with search's filters and keyset pages: the cursor of a row is
    ``keyset.encode(score, id)``. The statement is reused per viewer and kind of search, as
    ``search``'s is: the same object while nothing it depends on changed, so a caller can key its
    own statement by it. None when ``query`` has no words (nothing can match);
    ``keyset.BadCursor`` for a forged cursor.
    """
    parsed = text.parse(query)
    cursor = keyset.decode(after, (float, int)) if after else None
    if not parsed.words:
        return None
    dialect = db.engine.dialect.name
    stmt, reused = _reused_or_built(viewer, parsed, [get_registry().get(source_name)], group_slug=None, after=cursor,
                                    limit=limit, dialect=dialect, matches_only=True)
    return SourceMatches(stmt, values(parsed, dialect, after=cursor), reused)


def search(viewer: Any, query: str, *, types: list[str] | None = None, group: str | None = None,
           after: str | None = None, limit: int = 20, where: ColumnElement | None = None) -> SearchPage:
    """One page of what ``viewer`` (maybe anonymous) may find for ``query``, best first.

    ``types`` limits the sources (``UnknownSource`` for names that are not searchable now),
    ``group`` a group's slug, ``after`` is a page's ``next`` (``keyset.BadCursor``, a ``ValueError``, if forged).
    ``where`` adds the caller's own criteria to the same query (a SQL boolean over
    ``SearchEntry``, other tables only inside ``exists()``/``in_(select(...))``): a source's
    filters – topic, type, language – narrow the ranked hits in SQL, on top of core's rules,
    so a filtered page is as full as an unfiltered one and its cursor pages on through them.
    """
    parsed = text.parse(query)
    cursor = keyset.decode(after, (float, int)) if after else None
    if not parsed.words:
        return SearchPage(items=[], next=None, query=parsed)
    sources = enabled_sources()
    if types:
        known = {source.name: source for source in sources}
        unknown = [name for name in types if name not in known]
        if unknown:
            raise UnknownSource(unknown)
        sources = [known[name] for name in dict.fromkeys(types)]
    dialect = db.engine.dialect.name
    if where is None:
        stmt = _reused_or_built(viewer, parsed, sources, group_slug=group, after=cursor, limit=limit,
                                dialect=dialect)[0]
    else:  # the caller's criteria carry values of their own: built for this search
        stmt = statement(viewer, parsed, sources, group_slug=group, after=cursor, limit=limit, dialect=dialect,
                         where=where)
    rows = db.session.execute(stmt, values(parsed, dialect, group_slug=group, after=cursor)).all()
    registry = get_registry()
    matcher = text.Matcher(parsed.stems)
    hits = [hit for hit in (_hit(registry, row, matcher) for row in rows[:limit]) if hit is not None]
    following = None
    if len(rows) > limit:
        last = rows[limit - 1]
        following = keyset.encode(float(last.score), last.id)
    return SearchPage(items=hits, next=following, query=parsed)


def _hit(registry: SearchRegistry, row: Any, matcher: text.Matcher) -> SearchHit | None:
    source = registry.get(row.source)
    hit = SearchHit(source=row.source, object_id=row.object_id, parent_id=row.parent_id, title=row.title,
              group_slug=row.slug, group_name=row.name, author_username=row.username,
              author_name=row.display_name, author_avatar_key=row.avatar_key, created_at=row.created_at,
              score=float(row.score),
              title_html=text.highlight(row.title, matcher), snippet_html=text.snippet(row.body, matcher),
              label=str(source.item_label))
    try:
        hit.url = source.url(hit)
    except Exception as exc:
        _fail(source, f"url() raised {exc!r}", exc)
        return None
    return hit

