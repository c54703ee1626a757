"""PostgreSQL: the pages that grow with the data are answered from an index, not by reading every row.

The tables are filled in bulk and analysed, so the planner chooses as it would at scale; each
test runs the query the page runs (captured as it is executed) under ``EXPLAIN``. Marked
``postgres_only``: the SQLite run deselects it.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import ColumnElement, String, case, event, func, insert, literal, null, select, text

from core.extensions import db
from core.groups import keyset
from core.groups.queries import directory_page, feed_page
from core.models import Group, Notification, Post, SearchEntry
from core.models.base import UTCDateTime, utcnow
from core.notifications import inbox
from core.notifications.inbox import unread_count_select
from tests.core.bulk_rows import bulk_insert, minutes_after

pytestmark = pytest.mark.postgres_only

ROWS = 20_000


def analyse(*tables: str) -> None:
    db.session.commit()
    for table in tables:
        db.session.execute(text(f"ANALYZE {table}"))
    db.session.commit()


@pytest.fixture
def big_feed(app, member, make_group):
    """20,000 posts in one group (and 20,000 in another), one a minute."""
    group = make_group(slug="big", members=(member,))
    other = make_group(slug="other", members=(member,))
    start = (utcnow() - timedelta(minutes=2 * ROWS)).replace(microsecond=0)
    bulk_insert(Post, 2 * ROWS, group_id=lambda n: case((n % 2 == 1, group.id), else_=other.id),
                author_id=member.id, body_source="x", body_html="<p>x</p>",
                created_at=lambda n: minutes_after(start, n))
    analyse("posts")
    return group


@pytest.fixture
def many_notifications(app, member, make_user, make_group):
    """1,000 notifications for the viewer, half of them unread, among 40,000 (a busy site)."""
    other = make_user("other")
    group = make_group(slug="noisy")
    now = literal(utcnow(), UTCDateTime)
    bulk_insert(Notification, 2 * ROWS, user_id=lambda n: case((n % 40 == 0, member.id), else_=other.id),
                kind="post_reply", group_id=group.id, url="/x", created_at=now,
                read_at=lambda n: case((n % 80 == 0, null()), else_=now))
    analyse("notifications")
    return member


def group_names(n, knitting_every: int | None = None) -> ColumnElement:
    """'Group 00042' (and ' knitting' after every ``knitting_every``-th name), in SQL."""
    name = "Group " + func.lpad(func.cast(n, String), 5, "0")
    if knitting_every is not None:
        name = name + case((n % knitting_every == 0, " knitting"), else_="")
    return name


@pytest.fixture
def many_groups(app):
    bulk_insert(Group, 10_000, slug=lambda n: "g" + func.cast(n, String), name=group_names,
                visibility="public", join_mode="open", member_count=0, created_at=literal(utcnow(), UTCDateTime))
    analyse("groups")


@contextlib.contextmanager
def executed(table: str) -> Iterator[list]:
    """The statements (with parameters) run meanwhile that read ``table``."""
    seen: list = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if f"FROM {table}" in statement:
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


def plan(statement: str, parameters) -> str:
    with db.engine.connect() as conn:
        return "\n".join(conn.exec_driver_sql("EXPLAIN " + statement, parameters).scalars().all())


def only_plan(seen: list) -> str:
    [(statement, parameters)] = seen
    return plan(statement, parameters)


def test_the_feed_cursor_is_a_range_on_the_feed_index(app, big_feed, member):
    cursor = keyset.encode(utcnow() - timedelta(minutes=ROWS), 10**9)  # half way back
    with app.test_request_context("/"), executed("posts") as seen:
        feed_page(big_feed, member, cursor, 20)
    explained = only_plan(seen)
    assert "ix_posts_group_feed" in explained, explained
    assert "AND (ROW(created_at, id) < ROW(" in explained, explained  # the cursor bounds the index range
    assert "Sort" not in explained and "Seq Scan on posts" not in explained, explained


def test_the_unread_count_reads_at_most_the_cap_from_an_index(app, many_notifications):
    with executed("notifications") as seen:
        db.session.scalar(db.select(unread_count_select(many_notifications.id)))
    explained = only_plan(seen)
    assert "Limit" in explained, explained
    assert "Index" in explained and "ix_notifications_user" in explained, explained
    assert "Seq Scan on notifications" not in explained and "Bitmap Heap Scan" not in explained, explained


@pytest.mark.parametrize("page", ["first", "later"])
def test_the_notifications_list_walks_the_user_newest_index(app, many_notifications, page):
    # Half way back through the table's own ids (whatever earlier tests left the sequence at).
    lowest, highest = db.session.execute(db.select(db.func.min(Notification.id), db.func.max(Notification.id))).one()
    before = keyset.encode((lowest + highest) // 2) if page == "later" else None
    with app.test_request_context("/"), executed("notifications") as seen:
        inbox.page(many_notifications, before=before)
    explained = only_plan(seen)
    assert "Index Scan Backward using ix_notifications_user_newest" in explained, explained
    assert "Sort" not in explained, explained


@pytest.mark.parametrize("page", ["first", "later"])
def test_the_directory_walks_the_name_index(app, many_groups, member, page):
    after = keyset.encode("Group 05000", 10**9) if page == "later" else None
    with app.test_request_context("/"), executed("groups") as seen:
        directory_page(member, "", after, 20)
    explained = only_plan(seen)
    assert "Index Scan using ix_groups_directory" in explained, explained
    assert "Seq Scan on groups" not in explained, explained


@pytest.fixture
def searchable_groups(app):
    """10,000 groups in the search index, 50 of them about knitting; 20,000 posts, 200 of them about knitting."""
    now = literal(utcnow(), UTCDateTime)
    bulk_insert(Group, 10_000, slug=lambda n: "g" + func.cast(n, String), name=lambda n: group_names(n, 200),
                visibility="public", join_mode="open", member_count=0, created_at=now)
    db.session.execute(insert(SearchEntry).from_select(
        ["source", "object_id", "group_id", "title", "body", "created_at"],
        select(literal("group"), Group.id, Group.id, Group.name, literal(""), now)))
    bulk_insert(SearchEntry, ROWS, first=1, source="post", object_id=lambda n: n, title="", created_at=now,
                body=lambda n: case((n % 100 == 0, "knitting"), else_="sewing") + " pattern "
                + func.cast(n, String))
    analyse("groups", "search_index")


@pytest.mark.parametrize("page", ["first", "later"])
def test_the_directory_search_reads_the_groups_full_text_index(app, searchable_groups, member, page):
    with app.test_request_context("/"):
        after = directory_page(member, "knitting", None, 20).next if page == "later" else None
        with executed("groups") as seen:
            found = directory_page(member, "knitting", after, 20)
    assert len(found.items) == 20 and all("knitting" in group.name for group in found.items)
    explained = only_plan(seen)
    assert "Bitmap Index Scan on ix_search_index_group_document" in explained, explained
    assert "Seq Scan on search_index" not in explained and "Seq Scan on groups" not in explained, explained
