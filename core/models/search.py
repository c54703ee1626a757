"""The search index: one row per searchable thing (a post, a comment, a group, a person, a plugin's item).

Rows are written by ``core.search.indexing`` in the same transaction as the content they
describe. The full-text part differs per database and is created next to the table by
``core.search.schema``: on SQLite an FTS5 table over ``title_terms``/``body_terms`` (stems
computed in Python), on PostgreSQL a generated ``tsvector`` column with a GIN index.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models.base import UTCDateTime, utcnow


class SearchEntry(db.Model):
    """What search finds; ``source`` names the registered search source that wrote the row.

    ``group_id`` and ``author_id`` cascade: when a group or an account is deleted (even by a
    bulk ``DELETE``), its rows leave the index in the same statement.
    """

    __tablename__ = "search_index"
    __table_args__ = (
        UniqueConstraint("source", "object_id"),
        Index("ix_search_index_parent", "source", "parent_id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(64), nullable=False)
    object_id: Mapped[int] = mapped_column(Integer, nullable=False)
    # The row this one belongs to in the source's ``parent`` source (a comment's post).
    parent_id: Mapped[int | None] = mapped_column(Integer)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(Text, nullable=False, default="")
    body: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # SQLite only: the stemmed words FTS5 indexes (NULL on PostgreSQL, which stems itself).
    title_terms: Mapped[str | None] = mapped_column(Text)
    body_terms: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)


# --- the full-text part, per database -----------------------------------------------------------

FTS_TABLE = "search_fts"
TSVECTOR_COLUMN = "document"
TSVECTOR_INDEX = "ix_search_index_document"
GROUP_TSVECTOR_INDEX = "ix_search_index_group_document"
# Both stemmers index every row: a German reader finds English content and the other way round,
# without guessing the language of a three-line post (see docs/admin-guide.md, "Search").
LANGUAGES = ("english", "german")

SQLITE_DDL = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(title_terms, body_terms, content='search_index', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
    # External-content FTS5 stays in step through triggers, also for rows removed by a cascade.
    f"CREATE TRIGGER search_index_ai AFTER INSERT ON search_index BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, title_terms, body_terms) VALUES (new.id, new.title_terms, new.body_terms); END",
    f"CREATE TRIGGER search_index_ad AFTER DELETE ON search_index BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title_terms, body_terms) "
    f"VALUES ('delete', old.id, old.title_terms, old.body_terms); END",
    f"CREATE TRIGGER search_index_au AFTER UPDATE ON search_index BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title_terms, body_terms) "
    f"VALUES ('delete', old.id, old.title_terms, old.body_terms); "
    f"INSERT INTO {FTS_TABLE}(rowid, title_terms, body_terms) VALUES (new.id, new.title_terms, new.body_terms); END",
)


def _weighted(column: str, weight: str) -> str:
    return " || ".join(f"setweight(to_tsvector('{language}'::regconfig, {column}), '{weight}')"
                       for language in LANGUAGES)


POSTGRES_DDL = (
    f"ALTER TABLE search_index ADD COLUMN {TSVECTOR_COLUMN} tsvector "
    f"GENERATED ALWAYS AS ({_weighted('title', 'A')} || {_weighted('body', 'B')}) STORED",
    f"CREATE INDEX {TSVECTOR_INDEX} ON search_index USING gin ({TSVECTOR_COLUMN})",
    # The directory searches groups only: their own small index (migration core_directory_search_index).
    f"CREATE INDEX {GROUP_TSVECTOR_INDEX} ON search_index USING gin ({TSVECTOR_COLUMN}) WHERE source = 'group'",
)


def _create_full_text(target, connection, **kw) -> None:
    """``db.create_all`` builds the same full-text structures as the migration."""
    statements = {"sqlite": SQLITE_DDL, "postgresql": POSTGRES_DDL}.get(connection.dialect.name, ())
    for statement in statements:
        connection.exec_driver_sql(statement)


def _drop_full_text(target, connection, **kw) -> None:
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(f"DROP TABLE IF EXISTS {FTS_TABLE}")


event.listen(SearchEntry.__table__, "after_create", _create_full_text)
event.listen(SearchEntry.__table__, "before_drop", _drop_full_text)


def include_object(obj, name: str | None, type_: str, reflected: bool, compare_to) -> bool:
    """Alembic ``include_object``: leave the full-text objects above alone (autogenerate would
    otherwise offer to drop them, as they are not in the models' metadata)."""
    if type_ == "table":
        return not (name == FTS_TABLE or (name or "").startswith(FTS_TABLE + "_"))
    table = getattr(getattr(obj, "table", None), "name", None)
    if type_ == "column" and table == "search_index":
        return name != TSVECTOR_COLUMN
    if type_ == "index" and table == "search_index":
        return name not in (TSVECTOR_INDEX, GROUP_TSVECTOR_INDEX)
    return True
