"""Scale run: the same pages at 1,000 and 1,000,000 posts, p50 of each, on SQLite or PostgreSQL.

Usage (an empty database; SQLite file or PostgreSQL database)::

    python -m bench.scale --posts 1000    --database sqlite:////tmp/scale-1k.sqlite
    python -m bench.scale --posts 1000000 --database postgresql://postgres@127.0.0.1:5432/cg_scale_1m

Seeds in bulk (multi-row INSERTs in chunks of 10,000; ``COPY`` on PostgreSQL): the viewer and ten
authors, the feed's group with ``--posts`` posts (each in the search index), one post with 200
comments, 9,999 more groups (every 200th about knitting, all in the search index) and 50,000
notifications for the viewer (half unread); then ``ANALYZE`` (PostgreSQL: ``VACUUM ANALYZE``).
The pages: the feed's first page and its cursor 160,000 posts back, the post, the directory,
directory search, notifications, and search for a word in 50 groups' names among the posts'
index rows (selective; a word in every post grows with its matches, see REPORT.md "Search").
Then, in-process through the Flask test client (logged in as the viewer), each page 10 times to
warm up and ``--requests`` times measured: p50 and p95 of wall time, p50 of this process's CPU
time (on SQLite the database's work too; much steadier than wall time on a busy machine), the
SQL statements per page and the load average. On PostgreSQL also the server's side: the CPU time
its backends spent per measured request (``/proc/PID/schedstat``, so PostgreSQL on this host),
and for the page's SELECTs – the page cache's front-door statement included – the execution and
planning times and the buffers (shared blocks hit or read, which do not depend on the load) by
``EXPLAIN (ANALYZE, BUFFERS)``; ``--explain`` prints each statement's plan nodes, times and
buffers to stderr.
Each page is measured twice: **rendered** (the page cache switched off, every request renders
the page and runs its queries) and **cached** (as served, i.e. a page-cache hit for the feed and
the post page; the directory, search and notifications are never cached, so both rows render).
Prints one TSV line per page and mode: database, posts, page, mode, p50, p95, CPU p50 (ms),
statements, page-cache hits per request, load[, server execution ms, planning ms, buffers,
server CPU ms].
``--measure-only`` skips seeding (an already seeded database); ``--page`` measures only pages whose
label contains it, ``--cache`` only one mode. ``--instructions N`` makes N requests of each
selected page and mode inside one ``functools.reduce`` call after the warm-up, each preceded by a
``math.fsum`` call, and prints no timings: ``bench/scale_instructions.sh`` runs it under
``valgrind --tool=callgrind --collect-atstart=no --toggle-collect=functools_reduce
--dump-before=math_fsum`` (one part per page and mode) for instruction counts that do not depend
on the machine's load.
Not part of ``make test``: a million posts take minutes to seed.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta

CHUNK = 10_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--database", required=True)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--measure-only", action="store_true")
    parser.add_argument("--page", default="", help="measure only pages whose label contains this")
    parser.add_argument("--cache", choices=("rendered", "cached", "both"), default="both")
    parser.add_argument("--instructions", type=int, default=0, metavar="N",
                        help="N requests per page inside functools.reduce, for callgrind; no timings")
    parser.add_argument("--explain", action="store_true",
                        help="PostgreSQL: print each statement's plan summary, time and buffers to stderr")
    args = parser.parse_args()
    os.environ["COMMONGROUND_SQLALCHEMY_DATABASE_URI"] = args.database
    os.environ.setdefault("COMMONGROUND_SECRET_KEY", "bench")
    os.environ.setdefault("COMMONGROUND_RATELIMIT_ALLOW_PER_PROCESS", "true")
    from core import create_app

    app = create_app(plugins=[])
    with app.app_context():
        started = time.perf_counter()
        seeded = seeded_facts(args.posts) if args.measure_only else seed(args.posts)
        dialect = app.extensions["sqlalchemy"].engine.dialect.name
        print(f"# {'found' if args.measure_only else 'seeded'} {args.posts:,} posts on {dialect} "
              f"in {time.perf_counter() - started:.0f} s; load {os.getloadavg()[0]:.1f}", file=sys.stderr)
    modes = ("rendered", "cached") if args.cache == "both" else (args.cache,)
    measure(app, seeded, args.requests, args.posts, page_filter=args.page, modes=modes,
            instructions=args.instructions, explain=args.explain)


def _bulk(table, rows_of, total: int) -> None:
    """Insert ``total`` rows made by ``rows_of(start, stop)``: COPY on PostgreSQL, multi-row INSERTs otherwise."""
    from core.extensions import db

    conn = db.session.connection()
    for start in range(0, total, CHUNK):
        rows = rows_of(start, min(total, start + CHUNK))
        if conn.dialect.name == "postgresql":
            columns = list(rows[0])
            raw = conn.connection.dbapi_connection
            with raw.cursor() as cursor, cursor.copy(
                    f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([row[c] for c in columns])
        else:
            conn.execute(table.insert(), rows)


def seed(posts: int) -> dict:
    from flask_migrate import upgrade
    from sqlalchemy import func, select, text

    from core.extensions import db
    from core.models import Comment, Group, Membership, Notification, Post, SearchEntry, User
    from core.models.base import utcnow
    from core.search.text import terms

    upgrade(revision="heads")
    sqlite = db.engine.dialect.name == "sqlite"
    now = utcnow()
    people = []
    for i in range(11):
        name = "bench" if i == 0 else f"author{i}"
        user = User(username=name, email=f"{name}@example.org", display_name=name.title(), locale="en",
                    adult_attested_at=now, email_confirmed_at=now)
        user.set_password("bench password 123")
        db.session.add(user)
        people.append(user)
    db.session.flush()
    group = Group(slug="bench-group", name="Bench Group", description="The feed", created_by_id=people[0].id,
                  rules=[], member_count=len(people))
    db.session.add(group)
    db.session.flush()
    for i, person in enumerate(people):
        db.session.add(Membership(group_id=group.id, user_id=person.id, role="owner" if i == 0 else "member"))
    db.session.commit()
    ids = [p.id for p in people]
    viewer_id, group_id = ids[0], group.id

    body = "Weekly check-in: how is everyone doing? Some news and a list."
    html = f"<p>{body}</p>"
    body_terms = terms(body) if sqlite else None
    start = now - timedelta(minutes=posts + 10)
    first_post = (db.session.scalar(select(func.max(Post.id))) or 0) + 1

    _bulk(Post.__table__, lambda a, b: [
        {"id": first_post + n, "group_id": group_id, "author_id": ids[n % 11], "body_source": body,
         "body_html": html, "comment_count": 0, "created_at": start + timedelta(minutes=n)} for n in range(a, b)],
        posts)
    _bulk(SearchEntry.__table__, lambda a, b: [
        {"source": "post", "object_id": first_post + n, "group_id": group_id, "author_id": ids[n % 11],
         "parent_id": None, "title": "", "body": body, "title_terms": "" if sqlite else None,
         "body_terms": body_terms, "created_at": start + timedelta(minutes=n)} for n in range(a, b)], posts)
    # The newest post has 200 comments.
    busy = first_post + posts - 1
    _bulk(Comment.__table__, lambda a, b: [
        {"post_id": busy, "author_id": ids[n % 11], "body_source": f"Reply {n}", "body_html": f"<p>Reply {n}</p>",
         "created_at": now - timedelta(seconds=200 - n)} for n in range(a, b)], 200)
    db.session.execute(Post.__table__.update().where(Post.id == busy).values(comment_count=200))
    # 9,999 more groups, all searchable; every 200th about knitting.
    first_group = group_id + 1
    names = {n: f"Group {n:05d}" + (" knitting circle" if n % 200 == 0 else "") for n in range(1, 10_000)}
    _bulk(Group.__table__, lambda a, b: [
        {"id": first_group + n - 1, "slug": f"g{n:05d}", "name": names[n], "description": "A group", "rules": [],
         "visibility": "public", "join_mode": "open", "member_count": 1, "created_at": now}
        for n in range(a + 1, b + 1)], 9_999)
    _bulk(SearchEntry.__table__, lambda a, b: [
        {"source": "group", "object_id": first_group + n - 1, "group_id": first_group + n - 1, "author_id": None,
         "parent_id": None, "title": names[n], "body": "A group",
         "title_terms": terms(names[n]) if sqlite else None, "body_terms": terms("A group") if sqlite else None,
         "created_at": now} for n in range(a + 1, b + 1)], 9_999)
    _bulk(Notification.__table__, lambda a, b: [
        {"user_id": viewer_id, "kind": "post_reply", "group_id": group_id, "url": "/g/bench-group",
         "data": {} if sqlite else "{}", "created_at": now - timedelta(seconds=50_000 - n),
         "read_at": None if n % 2 else now} for n in range(a, b)], 50_000)
    db.session.commit()
    if not sqlite:
        db.session.execute(text("SELECT setval(pg_get_serial_sequence('posts', 'id'), (SELECT max(id) FROM posts))"))
        db.session.execute(text("SELECT setval(pg_get_serial_sequence('groups', 'id'), (SELECT max(id) FROM groups))"))
        db.session.commit()
        # What autovacuum would have done on a running site (it is off on some servers, e.g. for
        # test suites): the statistics, the visibility map (index-only scans) and, above all, the
        # GIN indexes' pending lists emptied – a search reads a pending list entry by entry.
        db.session.close()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    else:
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        # The bulk insert went through the write-ahead log (as large as the database); fold it in
        # and truncate it, so this run and any --measure-only run read the database file alone.
        db.session.close()
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    deep = max(0, min(160_000, posts - 21))  # the feed's cursor this many posts back
    return {"busy": busy, "deep_id": busy - deep, "deep_at": start + timedelta(minutes=posts - 1 - deep)}


def seeded_facts(posts: int) -> dict:
    """What ``seed`` returned, read back from a database it filled."""
    from sqlalchemy import select

    from core.extensions import db
    from core.models import Group, Post

    group_id = db.session.scalar(select(Group.id).where(Group.slug == "bench-group"))
    newest = select(Post.id, Post.created_at).where(Post.group_id == group_id).order_by(
        Post.created_at.desc(), Post.id.desc())
    busy = db.session.execute(newest.limit(1)).one()
    deep = db.session.execute(newest.offset(max(0, min(160_000, posts - 21))).limit(1)).one()
    return {"busy": busy.id, "deep_id": deep.id, "deep_at": deep.created_at}


def measure(app, seeded: dict, requests: int, posts: int, page_filter: str = "",
            modes: tuple[str, ...] = ("rendered", "cached"), instructions: int = 0,
            explain: bool = False) -> None:
    import functools
    import math

    from sqlalchemy import event

    from bench.profile_feed import PASSWORD, USERNAME
    from core.extensions import db
    from core.groups import keyset
    from core.page_cache.scopes import EXTENSION

    client = app.test_client()
    token = client.get("/login").text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    client.post("/login", data={"csrf_token": token, "login": USERNAME, "password": PASSWORD})
    pages = {
        "feed, first page": "/g/bench-group",
        "feed, cursor deep": "/g/bench-group?before=" + keyset.encode(seeded["deep_at"], seeded["deep_id"]),
        "post with 200 comments": f"/g/bench-group/p/{seeded['busy']}",
        "directory (10,000 groups)": "/g/",
        "directory search": "/g/?q=knitting",
        "notifications (50,000)": "/notifications/",
        "search (`knitting`)": "/search?q=knitting",
    }
    statements = []
    with app.app_context():
        engine = db.engine
    cache = app.extensions[EXTENSION]
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(1))
    db_name = engine.dialect.name
    for label, path in pages.items():
        if page_filter not in label:
            continue
        for mode in modes:
            cache.enabled = mode == "cached"
            cache.clear()
            for _ in range(10):
                response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)
            assert "Log out" in response.text, path
            if instructions:
                math.fsum(())  # marker: valgrind --dump-before=math_fsum starts a new part here
                done = functools.reduce(lambda n, _: n + (client.get(path).status_code == 200),
                                        range(instructions), 0)
                print(f"{db_name}\t{posts}\t{label}\t{mode}\t{done} requests", flush=True)
                continue
            times, cpu = [], []
            statements.clear()
            hits, front_queries = cache.hits, cache.front.queries
            backends = _backend_cpu(engine) if db_name == "postgresql" else {}
            for _ in range(requests):
                t, c = time.perf_counter(), time.process_time()
                client.get(path)
                times.append((time.perf_counter() - t) * 1000)
                cpu.append((time.process_time() - c) * 1000)
            times.sort()
            # before the EXPLAIN runs below add their own; the page cache's front door runs its one
            # statement on a raw connection, which SQLAlchemy's events do not see
            per_page = (len(statements) + cache.front.queries - front_queries) // requests
            hit_rate = (cache.hits - hits) / requests
            server = ""
            if db_name == "postgresql":
                after = _backend_cpu(engine)
                server_cpu = sum(ns - backends.get(pid, 0) for pid, ns in after.items()) / requests / 1e6
                ms, planning, buffers = _server(engine, client, path,
                                                f"{posts}\t{label}\t{mode}" if explain else "")
                server = f"\t{ms:.2f}\t{planning:.2f}\t{buffers}\t{server_cpu:.2f}"
            print(f"{db_name}\t{posts}\t{label}\t{mode}\t{statistics.median(times):.1f}"
                  f"\t{times[int(len(times) * 0.95) - 1]:.1f}\t{statistics.median(cpu):.2f}\t{per_page}"
                  f"\t{hit_rate:.1f}\t{os.getloadavg()[0]:.1f}{server}", flush=True)
    cache.enabled = True
    if instructions:
        math.fsum(())  # closes the last page's part


def _backend_cpu(engine) -> dict[int, int]:
    """Nanoseconds on a CPU so far of each PostgreSQL backend connected to the bench's database
    (``/proc/PID/schedstat``, first field), read over a connection of its own (not the app's pool)."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    probe = create_engine(engine.url, poolclass=NullPool)
    with probe.connect() as conn:
        pids = conn.exec_driver_sql(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            " AND backend_type = 'client backend'").scalars().all()
    probe.dispose()
    found = {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/schedstat") as stat:
                found[pid] = int(stat.read().split()[0])
        except OSError:  # not on this host, or gone
            continue
    return found


def _server(engine, client, path: str, explain: str = "") -> tuple[float, float, int]:
    """PostgreSQL's own work for the page's SELECTs, the page cache's front-door statement included
    (it runs on a raw DBAPI cursor, which SQLAlchemy's events do not see): the sum over its
    statements of the median ``Execution Time`` and ``Planning Time`` of five ``EXPLAIN (ANALYZE,
    BUFFERS, TIMING OFF)`` runs (no clock read per row, which would add to the time of a plan
    node that passes many rows), and of the shared buffers each touched (hit or read: independent
    of the machine's load). With ``explain`` (a TSV prefix), one line per statement on stderr: its
    plan's nodes, times and buffers."""
    from sqlalchemy import event

    from core.page_cache.front import Prepared

    seen: list = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    run = Prepared.run

    def front_run(self, engine, values):
        parameters = self.parameters.copy()
        for slot, name in self.slots:
            parameters[slot] = values[name]
        seen.append((self.sql, parameters))
        return run(self, engine, values)

    event.listen(engine, "before_cursor_execute", capture)
    Prepared.run = front_run
    try:
        client.get(path)
    finally:
        Prepared.run = run
        event.remove(engine, "before_cursor_execute", capture)
    total, planned, blocks = 0.0, 0.0, 0
    with engine.connect() as conn:
        for number, (statement, parameters) in enumerate(seen, 1):
            runs, plannings = [], []
            for _ in range(5):
                plan = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, FORMAT JSON) " + statement,
                                            parameters).scalar()[0]
                runs.append(plan["Execution Time"])
                plannings.append(plan["Planning Time"])
            top = plan["Plan"]
            buffers = top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0)
            total += statistics.median(runs)
            planned += statistics.median(plannings)
            blocks += buffers
            if explain:
                print(f"explain\t{explain}\t{number}\t{statistics.median(runs):.3f}"
                      f"\t{statistics.median(plannings):.3f}\t{buffers}"
                      f"\t{'; '.join(_nodes(top))}\t{' '.join(statement.split())[:160]}", file=sys.stderr)
    return total, planned, blocks


def _nodes(plan: dict) -> list[str]:
    """The plan's nodes, depth first, as "Index Scan using ix on posts (rows 21)"."""
    name = plan["Node Type"]
    if plan.get("Index Name"):
        name += f" using {plan['Index Name']}"
    if plan.get("Relation Name"):
        name += f" on {plan['Relation Name']}"
    found = [f"{name} (rows {plan.get('Actual Rows', 0)}x{plan.get('Actual Loops', 1)})"]
    for child in plan.get("Plans", ()):
        found.extend(_nodes(child))
    return found


if __name__ == "__main__":
    main()
