"""Suggested matches for a whole pool: score every pair, assign optimally, explain.

The one entry point the plugin needs (:func:`suggest_matches`); it is pure — plain values
in, plain values out, no database — so the plugin decides what is stored and shown.
"""
from __future__ import annotations

import gc
import time
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from plugins.mentorship.matching.availability import resolution, utc_intervals, week_monday
from plugins.mentorship.matching.explanation import Explanation, build_explanation
from plugins.mentorship.matching.participants import Mentee, Mentor, PersonId
from plugins.mentorship.matching.reasons import Unmatched, reason_for
from plugins.mentorship.matching.scoring import NOT_MATCHABLE, encode_pool, score_pool
from plugins.mentorship.matching.solver import DEFAULT_CANDIDATES, UNMATCHED, Candidates, assign
from plugins.mentorship.matching.weights import DEFAULT_WEIGHTS, Weights

RULED_OUT = -2


@dataclass(frozen=True)
class Suggestion:
    mentor: PersonId
    mentee: PersonId
    score: int
    explanation: Explanation


@dataclass(frozen=True)
class MatchStats:
    """How the run went (for benchmarks and logs; not part of the result's equality)."""

    pairs_scored: int
    pairs_without_obstacle: int
    solver_arcs: int
    solver_rounds: int
    seconds: dict[str, float]


@dataclass(frozen=True)
class MatchResult:
    """Suggestions sorted by (mentor, mentee) id, unmatched mentees sorted by id."""

    suggestions: tuple[Suggestion, ...]
    unmatched: tuple[Unmatched, ...]
    week: date
    stats: MatchStats = field(compare=False, repr=False)

    @property
    def total_score(self) -> int:
        return sum(suggestion.score for suggestion in self.suggestions)


def suggest_matches(mentors: Iterable[Mentor], mentees: Iterable[Mentee], *, week: date,
                    forbidden: Iterable[tuple[PersonId, PersonId]] = (), priority: Iterable[PersonId] = (),
                    weights: Weights = DEFAULT_WEIGHTS, candidates: Candidates = DEFAULT_CANDIDATES) -> MatchResult:
    """The best assignment of ``mentees`` to ``mentors`` with each pair's explanation.

    Optimal in this order: as many ``priority`` mentees (rematches) matched as possible, then
    as many mentees as possible, then the highest total score — respecting each mentor's
    capacity. ``forbidden`` holds ``(mentor id, mentee id)`` pairs never to suggest (those
    ``can_interact`` refuses, those that ended as "not a good fit"); ids not in the pool are
    ignored. A person in both lists is never paired with themselves. ``week``: any day of the
    reference week whose clocks are compared (the programme's first week). The result does
    not depend on the order of the input. ``candidates`` tunes speed only (and which of several
    equally good assignments is returned).
    """
    timer = _Timer()
    mentors = _sorted_by_id(mentors, "mentor")
    mentees = _sorted_by_id(mentees, "mentee")
    monday = week_monday(week)
    unit = resolution({person.time_zone for person in (*mentors, *mentees)}, monday)
    mentor_row = {mentor.id: row for row, mentor in enumerate(mentors)}
    mentee_row = {mentee.id: row for row, mentee in enumerate(mentees)}
    mentor_side, mentee_side = encode_pool(mentors, mentees, monday, unit)
    timer.lap("encode")

    same_person = [(mentee_row[key], mentor_row[key]) for key in mentee_row.keys() & mentor_row.keys()]
    scores = score_pool(mentor_side, mentee_side, weights, same_person)
    score = scores.score
    ruled_out = np.zeros(len(mentees), dtype=np.int32)
    for mentor_id, mentee_id in set(forbidden):
        row, column = mentee_row.get(mentee_id), mentor_row.get(mentor_id)
        if row is not None and column is not None and score[row, column] != NOT_MATCHABLE \
                and score[row, column] != RULED_OUT:
            score[row, column] = RULED_OUT
            ruled_out[row] += 1
    timer.lap("score")

    wanted = set(priority)
    assignment = assign(score, np.array([mentor.capacity for mentor in mentors], dtype=np.int64),
                        np.array([mentee.id in wanted for mentee in mentees], dtype=bool), candidates=candidates)
    timer.lap("solve")

    intervals: dict[tuple[str, PersonId], tuple] = {}

    def intervals_of(person: Mentor | Mentee):
        key = (type(person).__name__, person.id)
        if key not in intervals:
            intervals[key] = utc_intervals(person.availability, person.time_zone, monday)
        return intervals[key]

    suggestions, unmatched = [], []
    with _cyclic_gc_paused():  # thousands of small acyclic objects: refcounting frees them
        for row, mentee in enumerate(mentees):
            column = int(assignment.mentor_of[row])
            if column == UNMATCHED:
                unmatched.append(reason_for(mentee, mentors_in_pool=len(mentors),
                                            sharing_a_language=int(scores.sharing_a_language[row]),
                                            without_obstacle=int(scores.without_obstacle[row]),
                                            ruled_out=int(ruled_out[row])))
                continue
            mentor = mentors[column]
            explanation = build_explanation(mentor, mentee, monday, weights, intervals_of)
            suggestions.append(Suggestion(mentor.id, mentee.id, int(score[row, column]), explanation))
    suggestions.sort(key=lambda suggestion: (mentor_row[suggestion.mentor], mentee_row[suggestion.mentee]))
    timer.lap("explain")

    stats = MatchStats(pairs_scored=score.size, pairs_without_obstacle=int(scores.without_obstacle.sum()),
                       solver_arcs=assignment.arcs, solver_rounds=assignment.rounds, seconds=timer.laps)
    return MatchResult(tuple(suggestions), tuple(unmatched), monday, stats)


def _sorted_by_id(people: Iterable[Mentor | Mentee], role: str) -> list:
    kind = Mentor if role == "mentor" else Mentee
    people = list(people)
    for person in people:
        if not isinstance(person, kind):
            raise TypeError(f"expected {kind.__name__} values among the {role}s, got {type(person).__name__}")
    try:
        people.sort(key=lambda person: person.id)
    except TypeError:
        raise ValueError(f"{role} ids must be of one comparable type (all ints or all strings)") from None
    for first, second in zip(people, people[1:], strict=False):
        if first.id == second.id:
            raise ValueError(f"{role} {first.id!r} appears twice")
    return people


@contextmanager
def _cyclic_gc_paused():
    """Pause the cyclic garbage collector while building explanations: they allocate some
    100,000 small objects, none in a cycle, and each collection would walk the whole pool."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _Timer:
    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = now - self._last
        self._last = now
