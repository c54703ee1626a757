"""Many rows made by the database itself, for tests that need a big table (index use at scale).

40,000 rows built as Python dicts and inserted through the ORM cost a test seconds of CPU; an
``INSERT … SELECT`` over a series the database counts out (a recursive CTE, the same on SQLite and
PostgreSQL) costs the database what the rows cost and no Python object per row.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, String, func, insert, literal, select

from core.extensions import db
from core.models.base import UTCDateTime


def series(count: int) -> ColumnElement:
    """0 … ``count - 1``, counted out by the database."""
    numbers = select(literal(0).label("n")).cte("series", recursive=True)
    numbers = numbers.union_all(select(numbers.c.n + 1).where(numbers.c.n < count - 1))
    return numbers.c.n


def minutes_after(start: datetime, n: ColumnElement) -> ColumnElement:
    """``start`` (whole seconds) plus ``n`` minutes in SQL, stored as the ORM stores a time on either database."""
    if db.engine.dialect.name == "postgresql":
        return literal(start, UTCDateTime) + func.make_interval(0, 0, 0, 0, 0, n)
    moment = start.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S")
    return func.strftime("%Y-%m-%d %H:%M:%S", moment, "+" + func.cast(n, String) + " minutes") + ".000000"


def bulk_insert(model, count: int, first: int = 0, **columns) -> None:
    """``count`` rows of ``model``: each of ``columns`` a value, or a function of the row's number
    ``n`` (``first`` … ``first + count - 1``) giving a SQL expression."""
    n = series(count) + first if first else series(count)
    values = [make(n) if callable(make) else make for make in columns.values()]
    row = [value if isinstance(value, ColumnElement) else literal(value) for value in values]
    db.session.execute(insert(model).from_select(list(columns), select(*row)))
