"""Values remembered by the identity of the objects they are built from.

Plugins hand back the same immutable objects (a select, a column, a tuple of navigation items)
while nothing changed, and core builds something from them on every page: a combined filter, a
clause, a statement, a laid-out menu. Building is dearer than a dict lookup, and these objects
are not hashable by value (SQL elements) or are cheaper to tell apart by identity.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable
from operator import is_
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class IdentityMemo(Generic[T]):
    """``build()`` remembered by the identity of ``parts`` and by ``values`` (hashable).

    The parts are kept with the value, so their ids stay theirs while it is remembered (an id of a
    collected object may be reused by a new one), and each is checked to be the very same object
    on a hit. Bounded: cleared when ``size`` values are held, then filled again as used."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.found: dict[tuple[Hashable, ...], tuple[tuple[Any, ...], T]] = {}

    def get(self, parts: tuple[Any, ...], values: tuple[Hashable, ...], build: Callable[[], T]) -> T:
        key = (*map(id, parts), *values)
        found = self.found.get(key)
        # the very same objects, compared in C (``is_``) rather than a generator's frame: asked several times a page
        if found is not None and len(found[0]) == len(parts) and all(map(is_, found[0], parts)):
            return found[1]
        value = build()
        if len(self.found) >= self.size:
            self.found.clear()
        self.found[key] = (parts, value)
        return value

    def clear(self) -> None:
        self.found.clear()

    def __len__(self) -> int:
        return len(self.found)
