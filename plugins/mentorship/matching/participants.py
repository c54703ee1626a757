"""Mentors and mentees as the matching engine sees them: plain frozen values.

Each is checked when it is built, so a mistake in the data (an unknown time zone, a slot at
hour 24, a topic list passed as one string) is reported naming the person and the field,
instead of surfacing later as a silently wrong score.
"""
from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

PersonId = Hashable
"""A person's id: use the user id (all ints or all strings), so that someone who signed up
both as mentor and as mentee is never paired with themselves."""

Slot = tuple[int, int]
"""One hour of weekly availability, ``(weekday, hour)`` in the person's own time zone:
weekday 0 = Monday … 6 = Sunday, hour 0–23 (the hour starting then)."""


class InvalidParticipant(ValueError):
    """A mentor's or mentee's data is unusable; names the person and the field."""

    def __init__(self, role: str, person_id: object, field_name: str, problem: str) -> None:
        super().__init__(f"{role} {person_id!r}, {field_name}: {problem}")
        self.role = role
        self.person_id = person_id
        self.field = field_name
        self.problem = problem


@lru_cache(maxsize=512)
def _known_time_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


class _Problem(ValueError):
    """What is wrong with one value; the participant adds who and which field."""


def _words(value: object) -> frozenset[str]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise _Problem("expected a collection of strings, not a single value")
    words = frozenset(value)
    if not all(isinstance(word, str) and word for word in words):
        raise _Problem("every entry must be a non-empty string")
    return words


def _slots(value: object) -> frozenset[Slot]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise _Problem("expected a collection of (weekday, hour) pairs")
    slots = set()
    for slot in value:
        if not (isinstance(slot, tuple | list) and len(slot) == 2
                and all(isinstance(part, int) and not isinstance(part, bool) for part in slot)):
            raise _Problem(f"{slot!r} is not a (weekday, hour) pair of integers")
        weekday, hour = slot
        if not (0 <= weekday <= 6 and 0 <= hour <= 23):
            raise _Problem(f"{slot!r} is out of range (weekday 0–6, hour 0–23)")
        slots.add((weekday, hour))
    return frozenset(slots)


def _time_zone(value: object) -> str:
    if not isinstance(value, str) or not _known_time_zone(value):
        raise _Problem(f"{value!r} is not a known IANA time zone")
    return value


def _capacity(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise _Problem(f"{value!r} is not a whole number of mentees (0 or more)")
    return value


@dataclass(frozen=True, kw_only=True)
class Preferences:
    """What a person hopes for in the other: each wish met earns points, none is required.

    ``languages``: languages they would rather talk in; ``traits``: traits they would like the
    other to have, in the same vocabulary as the participants' ``traits`` (e.g. answers to the
    programme's sign-up questions). Each wish the other meets counts (up to a cap).
    """

    languages: frozenset[str] = frozenset()
    traits: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        for name in ("languages", "traits"):
            try:
                object.__setattr__(self, name, _words(getattr(self, name)))
            except _Problem as problem:
                raise ValueError(f"preferences, {name}: {problem}") from None


@dataclass(frozen=True, kw_only=True)
class _Participant:
    id: PersonId
    topics: frozenset[str]
    languages: frozenset[str]
    time_zone: str
    availability: frozenset[Slot] = frozenset()
    traits: frozenset[str] = frozenset()
    preferences: Preferences = field(default_factory=Preferences)

    _role = "participant"
    _checks = {"topics": _words, "languages": _words, "traits": _words, "availability": _slots,
               "time_zone": _time_zone}

    def __post_init__(self) -> None:
        try:
            hash(self.id)
        except TypeError:
            raise InvalidParticipant(self._role, self.id, "id", "must be hashable (an int or a string)") from None
        for name, check in self._checks.items():
            try:
                object.__setattr__(self, name, check(getattr(self, name)))
            except _Problem as problem:
                raise InvalidParticipant(self._role, self.id, name, str(problem)) from None
        if not isinstance(self.preferences, Preferences):
            raise InvalidParticipant(self._role, self.id, "preferences", "must be a Preferences value")


@dataclass(frozen=True, kw_only=True)
class Mentor(_Participant):
    """A mentor: ``topics`` they can help with, ``capacity`` = how many more mentees they take
    (pass what is left when some of their places are already taken; 0 = full)."""

    capacity: int = 1

    _role = "mentor"
    _checks = {**_Participant._checks, "capacity": _capacity}


@dataclass(frozen=True, kw_only=True)
class Mentee(_Participant):
    """A mentee: ``topics`` are the programme topics of their goals."""

    _role = "mentee"
