"""The feed's deep-cursor page, rendered: every statement it runs reads the big tables through an index.

``test_index_use_postgres`` checks the list queries one by one on PostgreSQL; this runs the whole
page (a logged-in member, the page cache off so the page is rendered and all its statements run,
a cursor half way back through 20,000 posts of the group among 40,000, and 1,000 of the viewer's
notifications among 40,000) and asks the database for the plan of each statement it ran, on
SQLite (``EXPLAIN QUERY PLAN``) and on PostgreSQL (``EXPLAIN``). None may read a whole table
that grows with the site, or sort one: that is what would make the page slower at a million posts
than at a thousand (bench/scale.py, bench/REPORT.md table 2). On PostgreSQL only the tables this
test fills are held to it (its planner reads an empty table whole, as it should).
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import case, event, literal, null, text

from core.extensions import db
from core.groups import keyset
from core.models import Notification, Post
from core.models.base import UTCDateTime, utcnow
from tests.core.bulk_rows import bulk_insert, minutes_after

ROWS = 20_000
GROWING = ("posts", "notifications", "comments", "post_reactions", "search_index", "group_reads", "post_images")
FILLED = ("posts", "notifications")  # PostgreSQL's planner rightly reads an empty or tiny table whole


@pytest.fixture
def app_config():
    return {"PAGE_CACHE_BYTES": 0}  # every request renders: the statements of a miss are the ones measured


@pytest.fixture
def big_site(app, member, make_user, make_group):
    """The member's group with 20,000 posts (another group 20,000 more), one a minute; 40,000
    notifications, the member's every 40th (half of those unread)."""
    other = make_user("other")
    group = make_group(slug="big", members=(member,))
    elsewhere = make_group(slug="elsewhere", members=(other,))
    start = (utcnow() - timedelta(minutes=2 * ROWS)).replace(microsecond=0)
    bulk_insert(Post, 2 * ROWS, group_id=lambda n: case((n % 2 == 1, group.id), else_=elsewhere.id),
                author_id=lambda n: case((n % 3 != 0, member.id), else_=other.id), body_source="x",
                body_html="<p>x</p>", created_at=lambda n: minutes_after(start, n))
    now = literal(utcnow(), UTCDateTime)
    bulk_insert(Notification, 2 * ROWS, user_id=lambda n: case((n % 40 == 0, member.id), else_=other.id),
                kind="post_reply", group_id=group.id, url="/x", created_at=now,
                read_at=lambda n: case((n % 80 == 0, null()), else_=now))
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    return group


@contextlib.contextmanager
def selects() -> Iterator[list]:
    seen: list = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


def plan(statement: str, parameters) -> str:
    with db.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
            return "\n".join(row[-1] for row in rows)
        return "\n".join(conn.exec_driver_sql("EXPLAIN " + statement, parameters).scalars().all())


def whole_table_reads(explained: str, dialect: str) -> list[str]:
    """The lines of a plan that read or sort all of a growing table."""
    bad = []
    for line in explained.splitlines():
        if dialect == "sqlite":
            # "SCAN t" or "SCAN t USING [COVERING] INDEX": every row (or index entry) of t.
            if any(line.strip().startswith(f"SCAN {table}") for table in GROWING) or "TEMP B-TREE" in line:
                bad.append(line)
        elif any(f"Seq Scan on {table} " in line for table in FILLED) or line.strip().lstrip("-> ").startswith("Sort"):
            bad.append(line)
    return bad


def test_every_statement_of_the_deep_cursor_page_reads_by_index(app, big_site, member, login):
    client = login(app.test_client(), member)
    cursor = keyset.encode(utcnow() - timedelta(minutes=ROWS), 10**9)  # half way back
    path = f"/g/big?before={cursor}"
    assert client.get(path).status_code == 200  # the worker's first request loads what it keeps
    with selects() as seen:
        response = client.get(path)
    assert response.status_code == 200 and response.text.count("/g/big/p/") >= 20, response.text[:2000]
    dialect = db.engine.dialect.name
    plans = [(statement, plan(statement, parameters)) for statement, parameters in seen]
    feed = [explained for statement, explained in plans if "FROM posts JOIN users" in statement]
    assert len(feed) == 1, [statement for statement, _ in plans]
    assert "ix_posts_group_feed" in feed[0], feed[0]
    if dialect == "sqlite":
        assert "ix_posts_group_feed (group_id=? AND created_at<?)" in feed[0], feed[0]  # the cursor bounds the range
    for statement, explained in plans:
        assert whole_table_reads(explained, dialect) == [], f"{statement}\n--\n{explained}"
