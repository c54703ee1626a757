"""SQLAlchemy's cache of compiled statements, found by identity for statements built once.

SQLAlchemy finds a statement's compiled SQL by its cache key: a nested tuple with an entry for
every column, clause and bound parameter of the statement, hashed whole on every execution.
Core and plugins build their busiest statements once and run the same object on every request
(the login statement with the plugins' columns, a page's list with its columns); SQLAlchemy
remembers such a statement's cache key on the object, so the tuple is the very same one each
time – yet hashing it walked 4,000–7,500 entries per page (1–2 % of a rendered page, more
with the plugins' columns). ``CompiledCache`` answers a lookup whose cache key is the same
object as one it answered before from a small map keyed by the tuple's identity, and otherwise
as SQLAlchemy's own LRU cache does. It is installed as the engine's ``compiled_cache``
execution option, SQLAlchemy's documented place for a cache of one's own (a site that sets one
in ``SQLALCHEMY_ENGINE_OPTIONS`` keeps its own).
"""
from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy.util import LRUCache

from core.extensions import db

#: How many statements are found by identity: enough for every statement kept for reuse; the
#: statements built per request come and go through it without pushing those out for long.
IDENTITY_SIZE = 256


class CompiledCache(LRUCache):
    """An LRU cache of compiled statements (SQLAlchemy's own) with a lookup by the identity of
    the statement's cache key first. Keys are SQLAlchemy's: ``(dialect, cache key tuple,
    column keys, schema translated, for executemany)``."""

    def __init__(self, capacity: int = 500, identity_size: int = IDENTITY_SIZE) -> None:
        super().__init__(capacity)
        self.identity_size = identity_size
        #: id(cache key tuple) -> (cache key tuple, the rest of the key, compiled). The entry holds
        #: the tuple, so no other object can take its id while the entry exists.
        self._same: dict[int, tuple[Any, tuple[Any, ...], Any]] = {}
        #: Lookups answered by identity (what the tests look at).
        self.identity_hits = 0

    def get(self, key: Any, default: Any = None) -> Any:
        try:
            statement_key = key[1]
            found = self._same.pop(id(statement_key), None)
        except (TypeError, IndexError):
            return super().get(key, default)
        if found is not None and found[0] is statement_key and found[1] == (key[0], *key[2:]):
            self._same[id(statement_key)] = found  # last used: kept longest
            self.identity_hits += 1
            return found[2]
        value = super().get(key, default)
        if value is not default:
            self._remember(key, value)
        return value

    def __setitem__(self, key: Any, value: Any) -> None:
        super().__setitem__(key, value)
        if isinstance(key, tuple) and len(key) > 1:
            self._remember(key, value)

    def _remember(self, key: tuple[Any, ...], value: Any) -> None:
        same = self._same
        same[id(key[1])] = (key[1], (key[0], *key[2:]), value)
        while len(same) > self.identity_size:
            del same[next(iter(same))]

    def clear(self) -> None:
        super().clear()
        self._same.clear()


def init_app(app: Flask) -> None:
    """Give each of the app's engines a ``CompiledCache`` unless the site configured a cache."""
    with app.app_context():
        for engine in db.engines.values():
            if "compiled_cache" not in engine.get_execution_options():
                engine.update_execution_options(compiled_cache=CompiledCache())
