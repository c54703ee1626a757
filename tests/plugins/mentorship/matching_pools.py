"""Seeded random pools and an exhaustive reference solver for the matching tests.

The reference scores pairs with :func:`explain_pair` (plain sets and exact minutes) and tries
every assignment, so it shares nothing with the engine's bitsets, candidates or flow.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from plugins.mentorship.matching import Mentee, Mentor, Preferences, Weights, explain_pair

WEEK = date(2026, 3, 16)  # US clocks already on summer time, European ones not yet
ZONES = ["Europe/Berlin", "Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Sydney", "UTC"]
TOPICS = ["baking", "business", "parenting", "career", "coding"]
LANGUAGES = ["en", "de", "es"]
TRAITS = ["parent", "founder", "video", "text"]


@dataclass
class Pool:
    mentors: list[Mentor]
    mentees: list[Mentee]
    forbidden: set[tuple[int, int]] = field(default_factory=set)
    priority: set[int] = field(default_factory=set)

    def arguments(self) -> dict:
        return {"week": WEEK, "forbidden": self.forbidden, "priority": self.priority}


def _person(rng: random.Random, topics: int) -> dict:
    availability = set()
    for _ in range(rng.randint(0, 3)):
        day, first = rng.randrange(7), rng.randrange(24)
        availability |= {(day, hour) for hour in range(first, min(first + rng.randint(1, 4), 24))}
    return {
        "topics": set(rng.sample(TOPICS, rng.randint(0 if rng.random() < 0.1 else 1, topics))),
        "languages": set(rng.sample(LANGUAGES, rng.randint(1, 2))) if rng.random() > 0.05 else set(),
        "time_zone": rng.choice(ZONES),
        "availability": availability,
        "traits": set(rng.sample(TRAITS, rng.randint(0, 2))),
        "preferences": Preferences(languages=set(rng.sample(LANGUAGES, rng.randint(0, 1))),
                                   traits=set(rng.sample(TRAITS, rng.randint(0, 2)))),
    }


def random_pool(rng: random.Random, *, mentors: int, mentees: int, max_capacity: int = 2,
                topics: int = 2, shared_people: bool = True) -> Pool:
    """Mentor ids 0…, mentee ids 100…; some people are in both roles (same id) when asked."""
    mentor_list = [Mentor(id=number, capacity=rng.randint(0, max_capacity), **_person(rng, topics))
                   for number in range(mentors)]
    mentee_ids = [100 + number for number in range(mentees)]
    if shared_people and mentors and mentees and rng.random() < 0.3:
        mentee_ids[0] = rng.randrange(mentors)  # a mentor who also signed up as a mentee
    mentee_list = [Mentee(id=key, **_person(rng, topics)) for key in mentee_ids]
    forbidden = {(mentor.id, mentee.id) for mentor in mentor_list for mentee in mentee_list if rng.random() < 0.15}
    priority = {mentee.id for mentee in mentee_list if rng.random() < 0.25}
    return Pool(mentor_list, mentee_list, forbidden, priority)


def allowed_scores(pool: Pool, weights: Weights = Weights()) -> dict[tuple[int, int], int]:
    """``{(mentor index, mentee index): score}`` of every pair that may be suggested."""
    scores = {}
    for j, mentor in enumerate(pool.mentors):
        for i, mentee in enumerate(pool.mentees):
            explanation = explain_pair(mentor, mentee, week=WEEK, weights=weights)
            if explanation.matchable and (mentor.id, mentee.id) not in pool.forbidden and mentor.capacity > 0:
                scores[j, i] = explanation.score
    return scores


def best_key(pool: Pool, weights: Weights = Weights()) -> tuple[int, int, int]:
    """(priority mentees matched, mentees matched, total score) of the best assignment, by
    trying them all."""
    scores = allowed_scores(pool, weights)
    load = [0] * len(pool.mentors)
    best = (0, 0, 0)

    def walk(i: int, key: tuple[int, int, int]) -> None:
        nonlocal best
        if i == len(pool.mentees):
            best = max(best, key)
            return
        walk(i + 1, key)
        is_priority = pool.mentees[i].id in pool.priority
        for j, mentor in enumerate(pool.mentors):
            if (j, i) in scores and load[j] < mentor.capacity:
                load[j] += 1
                walk(i + 1, (key[0] + is_priority, key[1] + 1, key[2] + scores[j, i]))
                load[j] -= 1

    walk(0, (0, 0, 0))
    return best


def result_key(pool: Pool, result) -> tuple[int, int, int]:
    return (sum(suggestion.mentee in pool.priority for suggestion in result.suggestions),
            len(result.suggestions), result.total_score)
