"""Reads and "was this helpful?" votes: weekly integers per resource, and nothing about who.

Reading a resource adds one to a buffered counter keyed by the resource id and the ISO week
(``add_to_counter``: no database write, no job per read; the buffer holds no person either).
Every five minutes a job moves the buffered totals into ``ReadCount`` in one statement. A vote
(a POST) adds to ``VoteCount`` only.

One vote per person per resource per week, with no stored link to the person:
- the session (a signed cookie the browser keeps; nothing on the server) remembers the ids of
  resources voted on this week – it holds resource ids and the week, never who;
- for members, the rate-limit store (Redis in production) also keeps a key
  ``HMAC(secret, week | member | resource)`` that expires when the week ends, so logging out and
  in again does not allow a second vote. The key is one-way: the store holds no member id, and
  after the week nothing is left at all.
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, date, datetime, timedelta

from flask import current_app, session
from flask_login import current_user
from sqlalchemy import literal, union_all, update
from sqlalchemy.dialects import postgresql, sqlite

from core.plugin_api import add_to_counter, db, drain_counter, limiter, utcnow
from plugins.resources.models import ReadCount, Resource, VoteCount

FLUSH_JOB = "resources.flush_reads"
READS = "resources.reads"
SESSION_KEY = "resources_votes"
SMALL_CELL = 5


def iso_week(day: date | None = None) -> str:
    year, week, _ = (day or utcnow().date()).isocalendar()
    return f"{year}-W{week:02d}"


def seconds_left_in_week(now: datetime | None = None) -> int:
    now = now or utcnow()
    monday = (now - timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(int((monday + timedelta(days=7) - now).total_seconds()), 1)


def record_read(resource_id: int) -> None:
    """One more read of ``resource_id`` this week, in the buffer: the page itself writes nothing."""
    add_to_counter(READS, f"{resource_id}|{iso_week()}")


def flush_reads() -> int:
    """The job: add the buffered reads to ``ReadCount`` (one upsert); returns how many cells changed.

    A failed write puts the totals back into the buffer, so the next run counts them; reads of
    a resource deleted meanwhile are dropped.
    """
    totals = drain_counter(READS)
    if not totals:
        return 0
    try:
        cells: dict[tuple[int, str], int] = {}
        for key, amount in totals.items():
            resource_id, _, week = key.partition("|")
            if resource_id.isdigit() and week:
                cells[(int(resource_id), week)] = cells.get((int(resource_id), week), 0) + amount
        existing = set(db.session.scalars(db.select(Resource.id).where(
            Resource.id.in_({resource_id for resource_id, _week in cells}))))
        rows = [{"resource_id": rid, "week": week, "count": amount}
                for (rid, week), amount in sorted(cells.items()) if rid in existing]
        if rows:
            dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
            insert = dialect.insert(ReadCount)
            db.session.execute(insert.on_conflict_do_update(
                index_elements=[ReadCount.resource_id, ReadCount.week],
                set_={"count": ReadCount.count + insert.excluded["count"]}), rows)
        db.session.commit()
        return len(rows)
    except Exception:
        db.session.rollback()
        for key, amount in totals.items():
            add_to_counter(READS, key, amount)
        raise


def _bump(model, resource_id: int, week: str, column: str) -> None:
    col = getattr(model, column)
    changed = db.session.execute(update(model).where(model.resource_id == resource_id, model.week == week)
                                 .values({column: col + 1}).execution_options(synchronize_session=False)).rowcount
    if not changed:
        try:
            with db.session.begin_nested():
                db.session.add(model(resource_id=resource_id, week=week, **{column: 1}))
        except Exception:  # a concurrent first vote or read made the row: add to it
            db.session.execute(update(model).where(model.resource_id == resource_id, model.week == week)
                               .values({column: col + 1}).execution_options(synchronize_session=False))


def _member_key(resource_id: int, week: str) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(secret, f"resources-vote|{week}|{current_user.id}|{resource_id}".encode(), hashlib.sha256)
    return "resources-vote/" + digest.hexdigest()


def vote(resource_id: int, helpful: bool) -> bool:
    """Count a vote unless this person voted on this resource this week; True when counted."""
    week = iso_week()
    remembered = session.get(SESSION_KEY) or {}
    ids = list(remembered.get("ids", [])) if remembered.get("week") == week else []
    if resource_id in ids:
        return False
    if getattr(current_user, "is_authenticated", False):
        if limiter.storage.incr(_member_key(resource_id, week), seconds_left_in_week()) > 1:
            return False
    ids.append(resource_id)
    session[SESSION_KEY] = {"week": week, "ids": ids[-200:]}
    _bump(VoteCount, resource_id, week, "yes" if helpful else "no")
    return True


def has_voted(resource_id: int) -> bool:
    remembered = session.get(SESSION_KEY) or {}
    return remembered.get("week") == iso_week() and resource_id in remembered.get("ids", [])


def weekly_figures(resource_id: int, weeks: int = 8) -> list[dict]:
    """Reads and votes for the last ``weeks`` weeks, each cell under 5 hidden (None)."""
    today = datetime.now(UTC).date()
    labels = [iso_week(today - timedelta(weeks=n)) for n in range(weeks)]
    rows = db.session.execute(union_all(
        db.select(ReadCount.week, literal("reads"), ReadCount.count, literal(0))
        .where(ReadCount.resource_id == resource_id, ReadCount.week.in_(labels)),
        db.select(VoteCount.week, literal("votes"), VoteCount.yes, VoteCount.no)
        .where(VoteCount.resource_id == resource_id, VoteCount.week.in_(labels)))).all()
    reads = {w: a for w, what, a, _b in rows if what == "reads"}
    votes = {w: (a, b) for w, what, a, b in rows if what == "votes"}

    def shown(value: int) -> int | None:
        return value if value >= SMALL_CELL else None

    return [{"week": w, "reads": shown(reads.get(w, 0)), "yes": shown(votes.get(w, (0, 0))[0]),
             "no": shown(votes.get(w, (0, 0))[1])} for w in labels]
