"""Search timings at a given corpus size: indexing throughput, then queries of every kind.

Usage (a throwaway SQLite database in a temporary directory unless ``--database`` is given)::

    .venv/bin/python -m bench.search                  # 10,000 posts
    .venv/bin/python -m bench.search --posts 1000000  # a million (several minutes on 2 cores)
    .venv/bin/python -m bench.search --database postgresql://postgres@127.0.0.1:5432/cg_bench

The corpus: 50 groups (every fifth private), 200 authors, posts of 20-40 words drawn from a
long-tailed (Zipf) vocabulary of 20,000 made-up words plus a few real ones at known rates, a
comment on every tenth post. Posts are bulk-inserted, then ``core.search.reindex`` builds the
index as ``flask search reindex`` does. Each query runs ``--repeat`` times as a member of half
the groups: the ``search()`` call (one SQL query plus snippets) and the whole ``/search`` page
through the test client; medians in milliseconds, and the SQL statements per page.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from collections.abc import Iterator
from datetime import timedelta

QUERIES = {
    "rare word (10 posts)": "kohlrabi",
    "1% of posts": "tomatoes",
    "10% of posts": "garden",
    "two words (10% and 1%)": "garden tomato",
    "German stem (Haus → Häuser, 1%)": "Haus",
    "no match": "zeppelin",
}
REAL_WORDS = (("garden", 0.10), ("tomatoes", 0.01), ("Häuser", 0.01))
GROUPS = 50
AUTHORS = 200
SYLLABLES = ("ka", "lo", "mi", "ne", "su", "ta", "ri", "po", "ve", "da", "gu", "fe", "zo", "bi", "ch", "an")


def vocabulary(size: int, rng: random.Random) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def bodies(count: int, seed: int = 7) -> Iterator[str]:
    """``count`` post texts; post 1000*k+17 (k < 10) mentions kohlrabi."""
    rng = random.Random(seed)
    words = vocabulary(20_000, rng)
    weights = [1 / (rank + 1) for rank in range(len(words))]
    cumulative = []
    total = 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)
    for n in range(count):
        text = rng.choices(words, cum_weights=cumulative, k=rng.randint(20, 40))
        for word, rate in REAL_WORDS:
            if rng.random() < rate:
                text.insert(rng.randrange(len(text)), word)
        if n % max(1, count // 10) == 17 and n // max(1, count // 10) < 10:
            text.append("kohlrabi")
        yield " ".join(text).capitalize() + "."


def seed(app, posts: int) -> dict:
    """Users, groups, posts and comments, bulk-inserted (no per-row ORM work)."""
    from sqlalchemy import insert

    from core.extensions import db
    from core.markdown import render_markdown
    from core.models import Comment, Group, Membership, Post, User
    from core.models.base import utcnow

    now = utcnow()
    table = Post.__table__
    with app.app_context():
        users = [User(username=f"author{i}", email=f"author{i}@example.org", display_name=f"Author {i}",
                      password_hash="x", adult_attested_at=now, email_confirmed_at=now) for i in range(AUTHORS)]
        reader = User(username="reader", email="reader@example.org", display_name="Reader", locale="en",
                      adult_attested_at=now, email_confirmed_at=now)
        reader.set_password("bench password 123")
        db.session.add_all([*users, reader])
        db.session.flush()
        groups = [Group(slug=f"group-{g}", name=f"Group {g}", description="A benchmark group",
                        visibility="private" if g % 5 == 0 else "public", created_by_id=users[0].id)
                  for g in range(GROUPS)]
        db.session.add_all(groups)
        db.session.flush()
        db.session.add_all(Membership(group_id=g.id, user_id=reader.id, role="member") for g in groups[::2])
        db.session.commit()
        user_ids = [u.id for u in users]
        group_ids = [g.id for g in groups]
        reader_id = reader.id
        html = render_markdown("x")  # shape only; bodies below are plain paragraphs
        assert html.startswith("<p>")
        started = time.perf_counter()
        batch: list[dict] = []
        rng = random.Random(3)
        for n, text in enumerate(bodies(posts)):
            batch.append({"group_id": group_ids[n % GROUPS], "author_id": user_ids[n % AUTHORS], "body_source": text,
                          "body_html": f"<p>{text}</p>", "comment_count": 1 if n % 10 == 0 else 0,
                          "created_at": now - timedelta(seconds=posts - n)})
            if len(batch) == 10_000:
                db.session.execute(insert(table), batch)
                batch = []
        if batch:
            db.session.execute(insert(table), batch)
        db.session.commit()
        post_ids = db.session.scalars(db.select(Post.id).where(Post.comment_count == 1).order_by(Post.id)).all()
        comments = [{"post_id": pid, "author_id": user_ids[rng.randrange(AUTHORS)],
                     "body_source": "Thanks, the tomatoes look great", "body_html": "<p>Thanks, the tomatoes look "
                     "great</p>", "created_at": now} for pid in post_ids]
        for start in range(0, len(comments), 10_000):
            db.session.execute(insert(Comment.__table__), comments[start:start + 10_000])
        db.session.commit()
        seeded = time.perf_counter() - started
    return {"reader_id": reader_id, "seed_seconds": seeded, "comments": len(comments)}


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def _counter(statements: list[str]):
    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    return count


def measure(app, reader_id: int, repeat: int) -> list[tuple]:
    from sqlalchemy import event

    from core.extensions import db
    from core.models import User
    from core.search import search

    client = app.test_client()
    with client.session_transaction() as session, app.app_context():
        session["_user_id"] = db.session.get(User, reader_id).get_id()
        session["_fresh"] = True
    rows = []
    for label, q in QUERIES.items():
        with app.app_context(), app.test_request_context("/"):
            reader = db.session.get(User, reader_id)
            calls, call_cpu = [], []
            for _ in range(repeat):
                started, cpu = time.perf_counter(), time.process_time()
                page = search(reader, q)
                calls.append(time.perf_counter() - started)
                call_cpu.append(time.process_time() - cpu)
            hits = len(page.items)
        client.get(f"/search?q={q}")  # warm
        pages, page_cpu = [], []
        statements: list[str] = []
        count = _counter(statements)
        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", count)
        for _ in range(repeat):
            statements.clear()
            started, cpu = time.perf_counter(), time.process_time()
            response = client.get(f"/search?q={q}")
            pages.append(time.perf_counter() - started)
            page_cpu.append(time.process_time() - cpu)
            assert response.status_code == 200
        event.remove(engine, "before_cursor_execute", count)
        rows.append((label, q, median_ms(calls), median_ms(call_cpu), median_ms(pages), median_ms(page_cpu), hits,
                     len(statements)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--database", help="SQLAlchemy URL of an EMPTY database (default: throwaway SQLite)")
    args = parser.parse_args()

    from core import create_app
    from core.extensions import db

    with tempfile.TemporaryDirectory(prefix="cg-search-bench-") as tmp:
        url = args.database or f"sqlite:///{os.path.join(tmp, 'bench.sqlite')}"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "MAIL_SPOOL_DIR": tmp,
                          "RATELIMIT_ENABLED": False, "SEED_DEMO": False}, plugins=[])
        with app.app_context():
            from flask_migrate import upgrade

            upgrade(revision="heads")
        cpu0 = time.process_time()
        info = seed(app, args.posts)
        with app.app_context():
            from core.search import reindex

            started, cpu1 = time.perf_counter(), time.process_time()
            counts = reindex()
            indexed = time.perf_counter() - started
            index_cpu = time.process_time() - cpu1
            if db.engine.dialect.name == "sqlite":
                db.session.remove()
                size = os.path.getsize(url.removeprefix("sqlite:///"))
            else:
                size = db.session.scalar(db.text("SELECT pg_total_relation_size('search_index')"))
        rows = measure(app, info["reader_id"], args.repeat)
        total_cpu = time.process_time() - cpu0
        with app.app_context():
            dialect = db.engine.dialect.name
            db.session.remove()
            db.engine.dispose()

    rows_indexed = sum(counts.values())
    print(f"\n## {args.posts:,} posts ({info['comments']:,} comments) on {dialect}\n")
    print(f"- seeding (bulk insert): {info['seed_seconds']:.1f} s")
    print(f"- reindex: {rows_indexed:,} rows in {indexed:.1f} s ({rows_indexed / indexed:,.0f} rows/s, "
          f"{index_cpu:.1f} s CPU); {size / 1e6:,.0f} MB ({'database file' if dialect == 'sqlite' else 'index table'})")
    print(f"- CPU of this process for seeding, indexing and queries: {total_cpu:.0f} s\n")
    print("Medians; wall time, and in brackets this process's CPU time (SQLite runs in-process, PostgreSQL's")
    print("own CPU is not in it).\n")
    print("| query | q | search() | /search page | hits on page 1 | SQL per page |")
    print("|---|---|---:|---:|---:|---:|")
    for label, q, call, call_cpu, page, page_cpu, hits, statements in rows:
        print(f"| {label} | `{q}` | {call:.1f} ms ({call_cpu:.1f}) | {page:.1f} ms ({page_cpu:.1f}) | {hits} | "
              f"{statements} |")


if __name__ == "__main__":
    main()
