"""URL converters: an id in a URL never reaches the database out of its column's range.

Werkzeug's ``int`` converter accepts any number of digits; ``/posts/99999999999999999999`` then
overflows SQLite's INTEGER or PostgreSQL's ``integer`` inside the query and answers 500. Ids
are 32-bit integer columns, so anything above that range cannot exist and is simply no match
(404) — for core and for every plugin's routes, since the converter is registered app-wide
before any blueprint.
"""
from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

#: Largest value of a 32-bit ``INTEGER`` column (PostgreSQL ``integer``), the type of every id.
MAX_ID = 2**31 - 1


class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` capped at :data:`MAX_ID` unless a route asks for its own ``max``."""

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = None, max: int | None = MAX_ID,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def init_app(app: Flask) -> None:
    """Register the bounded converter as ``int``; must run before any route is added."""
    app.url_map.converters["int"] = BoundedIntConverter
