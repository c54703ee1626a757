"""Before/after query plans at scale: each list query as it was and as it is, under EXPLAIN ANALYZE.

Bulk-seeds (with ``generate_series``, seconds not minutes) a throwaway database: POSTS posts in
one group, 50,000 notifications for the viewer (25,000 unread) among 500,000, 10,000 groups.
Prints the median execution time of five runs per query, old form next to new.

Usage: COMMONGROUND_SQLALCHEMY_DATABASE_URI=postgresql://postgres@127.0.0.1:5432/cg_explain \\
       COMMONGROUND_SECRET_KEY=x python -m bench.explain [--posts 1000000]
"""
from __future__ import annotations

import argparse
import statistics
import time

from sqlalchemy import text

from bench.cg_app import app
from core.extensions import db

SEED_POSTGRESQL = """
INSERT INTO users (id, username, email, password_hash, display_name, locale, bio, adult_attested_at,
                   is_site_admin, session_version, created_at)
SELECT n, 'u' || n, 'u' || n || '@example.org', 'x', 'U' || n, 'en', '', now(), false, 1, now()
FROM generate_series(1, 100) n;
INSERT INTO groups (id, slug, name, description, rules, visibility, join_mode, member_count, created_at)
SELECT n, 'g' || n, 'Group ' || lpad(n::text, 5, '0'), 'about ' || n, '[]', 'public', 'open', 0, now()
FROM generate_series(1, 10000) n;
INSERT INTO posts (group_id, author_id, body_source, body_html, comment_count, created_at)
SELECT 1, 1 + n % 100, 'x', '<p>x</p>', 0, now() - make_interval(secs => :posts - n)
FROM generate_series(1, :posts) n;
INSERT INTO notifications (user_id, kind, group_id, url, data, created_at, read_at)
SELECT CASE WHEN n % 10 = 0 THEN 1 ELSE 2 + n % 99 END, 'post_reply', 1, '/x', '{}', now(),
       CASE WHEN n % 20 = 0 THEN NULL ELSE now() END
FROM generate_series(1, 500000) n;
ANALYZE;
"""

KINDS = "('invitation','join_request','post_reply','removed_from_group','request_approved','request_denied'," \
        "'role_changed')"

QUERIES = {
    "feed, cursor half way back": (
        "SELECT id FROM posts WHERE group_id = 1 AND (created_at < :at OR (created_at = :at AND id < :id)) "
        "ORDER BY created_at DESC, id DESC LIMIT 21",
        "SELECT id FROM posts WHERE group_id = 1 AND (created_at, id) < (:at, :id) "
        "ORDER BY created_at DESC, id DESC LIMIT 21",
    ),
    "unread count (25,000 unread)": (
        f"SELECT count(notifications.id) FROM notifications WHERE user_id = 1 AND read_at IS NULL "
        f"AND kind IN {KINDS}",
        f"SELECT count(*) FROM (SELECT 1 FROM notifications WHERE user_id = 1 AND read_at IS NULL "
        f"AND kind IN {KINDS} LIMIT 100) capped",
    ),
    "notifications list, page 2": (
        f"SELECT id FROM notifications WHERE user_id = 1 AND kind IN {KINDS} AND id < :note "
        "ORDER BY id DESC LIMIT 21",
        f"SELECT id FROM notifications WHERE user_id = 1 AND kind IN {KINDS} AND id < :note "
        "ORDER BY id DESC LIMIT 21",
    ),
    "directory, page 250": (
        "SELECT id FROM groups WHERE (name > :name OR (name = :name AND id > 0)) "
        "ORDER BY name, id LIMIT 21",
        "SELECT id FROM groups WHERE (name, id) > (:name, 0) ORDER BY name, id LIMIT 21",
    ),
}

# The indexes this change added: the "old" plan is the one without them.
DROPPED_FOR_OLD = {"notifications list, page 2": ("ix_notifications_user_newest",),
                   "directory, page 250": ("ix_groups_directory",)}


def timed(sql: str, params: dict, postgres: bool) -> float:
    """Median of five runs, in ms: EXPLAIN ANALYZE's execution time on PostgreSQL, wall time on SQLite."""
    runs = []
    for _ in range(5):
        if postgres:
            plan = db.session.execute(text("EXPLAIN (ANALYZE, FORMAT JSON) " + sql), params).scalar()
            runs.append(plan[0]["Execution Time"])
        else:
            start = time.perf_counter()
            db.session.execute(text(sql), params).all()
            runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=200_000)
    args = parser.parse_args()
    with app.app_context():
        postgres = db.engine.dialect.name == "postgresql"
        db.drop_all()
        db.create_all()
        if postgres:
            db.session.execute(text(SEED_POSTGRESQL.replace(":posts", str(args.posts))))
        else:
            raise SystemExit("seeding is written for PostgreSQL; see bench/REPORT.md for SQLite")
        db.session.commit()
        at, post_id = db.session.execute(text(
            "SELECT created_at, id FROM posts ORDER BY created_at DESC, id DESC OFFSET :n LIMIT 1"),
            {"n": args.posts // 2}).one()
        params = {"at": at, "id": post_id, "note": 250_000, "name": "Group 05000"}
        print(f"{args.posts:,} posts; median of 5, ms        old       new")
        for name, (old, new) in QUERIES.items():
            new_ms = timed(new, params, postgres)
            for index in DROPPED_FOR_OLD.get(name, ()):  # inside the transaction, rolled back below
                db.session.execute(text(f"DROP INDEX {index}"))
            old_ms = timed(old, params, postgres)
            db.session.rollback()
            print(f"{name:35s} {old_ms:9.2f} {new_ms:9.2f}")

if __name__ == "__main__":
    main()
