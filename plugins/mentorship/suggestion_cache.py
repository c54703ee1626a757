"""Suggested matches remembered per programme, keyed by the matching engine's exact input.

Core has no cache facility, and a GET must never write, so the store is a small bounded
LRU cache in each process (cachetools; ``MAX_PROGRAMMES`` programmes, least recently used dropped first).
It can never serve stale suggestions, in any worker: the key is not a version someone must
remember to bump but the engine's whole input itself – every mentor with the places they have
left, every waiting mentee with their priority, the ruled-out pairs (blocks, "not a good fit",
rejected suggestions), the reference week and the weights – built from the pool each view loads
anyway (a few queries, constant in its size) and compared by equality, not by a digest: equal
input, equal suggestions, and nothing can collide. Any change to sign-ups, pairs, blocks or
capacities changes the input, hence a recomputation; an unchanged pool skips the scoring, the
solver and the explanations (about half a second of CPU for 5,000 × 1,000) for some 20–40 ms of
building and comparing the key. Several workers each keep their own copy; that costs memory,
never correctness.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterable
from datetime import date
from typing import TYPE_CHECKING

from cachetools import LRUCache

from plugins.mentorship.matching import DEFAULT_WEIGHTS, Mentee, Mentor

if TYPE_CHECKING:
    from plugins.mentorship.matching import MatchResult

MAX_PROGRAMMES = 16

_store: LRUCache[int, tuple[Hashable, MatchResult]] = LRUCache(maxsize=MAX_PROGRAMMES)
_lock = threading.Lock()


def fingerprint(
    mentors: Iterable[Mentor],
    mentees: Iterable[Mentee],
    *,
    week: date,
    forbidden: Iterable[tuple[int, int]],
    priority: Iterable[int],
) -> Hashable:
    """The engine's whole input as one comparable value (its people are frozen values): equal, same result."""
    return (
        frozenset(mentors),
        frozenset(mentees),
        week,
        frozenset(forbidden),
        frozenset(priority),
        DEFAULT_WEIGHTS,
    )


def remembered(programme_id: int, key: Hashable, compute: Callable[[], MatchResult]) -> MatchResult:
    """The suggestions for ``key``: from the store when this programme's input is unchanged."""
    with _lock:
        found = _store.get(programme_id)  # a hit is also a use: it moves to the recent end
    if found is not None and found[0] == key:  # compared outside the lock: a big pool takes some ms
        return found[1]
    result = compute()  # outside the lock: another programme's view need not wait for this solver
    with _lock:
        _store[programme_id] = (key, result)
    return result


def forget() -> None:
    """Empty the store (tests; a process that wants its memory back)."""
    with _lock:
        _store.clear()
