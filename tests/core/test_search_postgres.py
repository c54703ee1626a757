"""PostgreSQL: the search query is answered from the GIN index on the generated ``tsvector``.

Marked ``postgres_only``: the SQLite run deselects it (never skips it), the PostgreSQL run of
``make test`` (and CI) runs it.
"""
from __future__ import annotations

import pytest
from sqlalchemy import insert, text

from core.extensions import db
from core.models import SearchEntry
from core.models.base import utcnow
from core.search.query import enabled_sources, statement
from core.search.text import parse

pytestmark = pytest.mark.postgres_only

ROWS = 20_000
VOCABULARY = 20_000


@pytest.fixture
def corpus(app, member, make_group):
    """20,000 index rows of 12 words from a long-tailed vocabulary, one mentioning kohlrabi; analysed."""
    group = make_group(slug="big", members=(member,))
    now = utcnow()
    rows = [{"source": "post", "object_id": n, "group_id": group.id, "author_id": member.id, "title": "",
             "body": " ".join(f"w{(n * 7919 + k * 104729) % VOCABULARY}" for k in range(12)), "created_at": now}
            for n in range(1, ROWS + 1)]
    rows[1234]["body"] += " harvest kohlrabi"
    db.session.execute(insert(SearchEntry), rows)
    db.session.commit()
    db.session.execute(text("ANALYZE search_index"))
    db.session.commit()
    return group


def plan(stmt) -> str:
    compiled = stmt.compile(dialect=db.engine.dialect)
    with db.engine.connect() as conn:
        lines = conn.exec_driver_sql("EXPLAIN " + str(compiled), compiled.params).scalars().all()
    return "\n".join(lines)


def test_the_search_query_uses_the_gin_index_on_every_page(app, corpus, member):
    with app.test_request_context("/"):
        first = statement(member, parse("kohlrabi"), enabled_sources())
        later = statement(member, parse("harvest kohlrabi"), enabled_sources(), after=(0.5, 4000))
    for stmt in (first, later):
        explained = plan(stmt)
        assert "Bitmap Index Scan on ix_search_index_document" in explained, explained
        assert "Seq Scan on search_index" not in explained, explained


def test_the_generated_column_stems_english_and_german(app):
    db.session.execute(insert(SearchEntry), [{"source": "post", "object_id": 1, "title": "Häuser", "body": "running",
                                              "created_at": utcnow()}])
    vector = db.session.scalar(text("SELECT document::text FROM search_index"))
    assert vector == "'haus':2A 'häuser':1A 'run':3B 'running':4B"  # English, then German; title A, body B
