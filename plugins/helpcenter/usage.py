"""The only record of a use of the form: +1 on a counter for (ISO week, country, path).

No user id, no address, no time finer than a week, no text. Statistics hide every cell
below ``MIN_SHOWN`` so a small count cannot point at a person.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.dialects import postgresql, sqlite

from core.plugin_api import db, utcnow
from plugins.helpcenter.models import PATHS, UsageCount

MIN_SHOWN = 5
WEEKS_PER_PAGE = 12


def iso_week(day: date | None = None) -> str:
    year, week, _ = (day or utcnow().date()).isocalendar()
    return f"{year}-W{week:02d}"


_UPSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def record_use(country: str, path: str) -> None:
    """Count one use in the caller's transaction: one upsert, safe under concurrent requests."""
    insert = _UPSERTS[db.session.get_bind().dialect.name]
    db.session.execute(
        insert(UsageCount)
        .values(week=iso_week(), country=country, path=path, count=1)
        .on_conflict_do_update(index_elements=["week", "country", "path"], set_={"count": UsageCount.count + 1})
    )


@dataclass
class StatsRow:
    week: str
    country: str
    cells: dict[str, str]


def shown(count: int) -> str:
    return str(count) if count >= MIN_SHOWN else f"<{MIN_SHOWN}"


def weekly_stats(before: str | None = None) -> tuple[list[StatsRow], str | None]:
    """One page of weeks (newest first) and the cursor for the next page, if any."""
    weeks_query = db.select(UsageCount.week).distinct().order_by(UsageCount.week.desc()).limit(WEEKS_PER_PAGE + 1)
    if before:
        weeks_query = weeks_query.where(UsageCount.week < before)
    weeks = list(db.session.scalars(weeks_query))
    more = len(weeks) > WEEKS_PER_PAGE
    weeks = weeks[:WEEKS_PER_PAGE]
    if not weeks:
        return [], None
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for row in db.session.scalars(db.select(UsageCount).where(UsageCount.week.in_(weeks))):
        counts.setdefault((row.week, row.country), {})[row.path] = row.count
    keys = sorted(counts, key=lambda key: key[1])
    keys.sort(key=lambda key: key[0], reverse=True)  # newest week first, countries A-Z within it
    rows = [StatsRow(week=week, country=country, cells={p: shown(counts[week, country].get(p, 0)) for p in PATHS})
            for week, country in keys]
    return rows, (weeks[-1] if more else None)
