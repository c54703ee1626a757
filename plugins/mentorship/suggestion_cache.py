"""Suggested matches remembered per programme, keyed by a fingerprint of everything they depend on.

Core has no cache facility, and a GET must never write, so the store is a small bounded
dictionary in each process (``MAX_PROGRAMMES`` programmes, least recently used dropped first).
It can never serve stale suggestions, in any worker: the key is not a version someone must
remember to bump but a SHA-256 of the matching engine's exact input – every mentor with the
places they have left, every waiting mentee with their priority, the ruled-out pairs (blocks,
"not a good fit", rejected suggestions), the reference week and the weights – computed from
the pool each view loads anyway (a few queries, constant in its size). Any change to
sign-ups, pairs, blocks or capacities changes the input, hence the key, hence a recomputation;
an unchanged pool skips the scoring, the solver and the explanations, which are what cost
(about half a second of CPU for 5,000 × 1,000). Several workers each keep their own copy;
that costs memory, never correctness.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from datetime import date

from plugins.mentorship.matching import DEFAULT_WEIGHTS, MatchResult, Mentee, Mentor

MAX_PROGRAMMES = 16

_store: OrderedDict[int, tuple[str, MatchResult]] = OrderedDict()
_lock = threading.Lock()


def _person(person: Mentor | Mentee) -> tuple:
    capacity = person.capacity if isinstance(person, Mentor) else None
    return (
        person.id,
        sorted(person.topics),
        sorted(person.languages),
        person.time_zone,
        sorted(person.availability),
        sorted(person.traits),
        sorted(person.preferences.languages),
        sorted(person.preferences.traits),
        capacity,
    )


def fingerprint(
    mentors: Iterable[Mentor],
    mentees: Iterable[Mentee],
    *,
    week: date,
    forbidden: Iterable[tuple[int, int]],
    priority: Iterable[int],
) -> str:
    """A digest of the matching engine's whole input: equal digests, equal suggestions."""
    parts = (
        sorted(_person(m) for m in mentors),
        sorted(_person(m) for m in mentees),
        week.isoformat(),
        sorted(forbidden),
        sorted(priority),
        repr(DEFAULT_WEIGHTS),
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def remembered(programme_id: int, key: str, compute: Callable[[], MatchResult]) -> MatchResult:
    """The suggestions for ``key``: from the store when this programme's input is unchanged."""
    with _lock:
        found = _store.get(programme_id)
        if found is not None and found[0] == key:
            _store.move_to_end(programme_id)
            return found[1]
    result = compute()  # outside the lock: another programme's view need not wait for this solver
    with _lock:
        _store[programme_id] = (key, result)
        _store.move_to_end(programme_id)
        while len(_store) > MAX_PROGRAMMES:
            _store.popitem(last=False)
    return result


def forget() -> None:
    """Empty the store (tests; a process that wants its memory back)."""
    with _lock:
        _store.clear()
