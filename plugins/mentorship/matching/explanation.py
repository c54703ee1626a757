"""Why a pair scores what it scores: each factor with its points, adding up to the score.

Computed from the people's own sets and exact UTC minutes — independently of the bulk
scorer's bitsets — for the suggested pairs, and for any pair an admin looks at by hand.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from plugins.mentorship.matching.availability import Interval, intersect, utc_intervals, week_monday, windows
from plugins.mentorship.matching.participants import Mentee, Mentor
from plugins.mentorship.matching.weights import DEFAULT_WEIGHTS, Weights


class FactorCode(StrEnum):
    """Stable codes of the score's factors (for translation); params listed per code."""

    SHARED_TOPICS = "shared_topics"  # topics: sorted tuple, counted: how many earned points
    SHARED_LANGUAGES = "shared_languages"  # languages: sorted tuple, counted
    AVAILABILITY_OVERLAP = "availability_overlap"  # minutes: per week, windows: ((start, end) UTC datetimes)
    MENTEE_WISHES_MET = "mentee_wishes_met"  # languages, traits: the mentee's wishes the mentor meets; counted
    MENTOR_WISHES_MET = "mentor_wishes_met"  # the same, the other way round


class Obstacle(StrEnum):
    """Why a pair can never be suggested, whatever its points."""

    SAME_PERSON = "same_person"
    NO_SHARED_LANGUAGE = "no_shared_language"
    NO_SHARED_TOPIC = "no_shared_topic"


@dataclass(frozen=True)
class Factor:
    code: FactorCode
    points: int
    params: Mapping[str, object]


@dataclass(frozen=True)
class Explanation:
    """The factors of a pair's score; ``score`` is their sum, so the two can never disagree."""

    factors: tuple[Factor, ...]
    obstacles: tuple[Obstacle, ...] = ()

    @property
    def score(self) -> int:
        return sum(factor.points for factor in self.factors)

    @property
    def matchable(self) -> bool:
        return not self.obstacles

    def factor(self, code: FactorCode) -> Factor | None:
        return next((factor for factor in self.factors if factor.code == code), None)


IntervalsOf = Callable[[Mentor | Mentee], tuple[Interval, ...]]


def explain_pair(mentor: Mentor, mentee: Mentee, *, week: date, weights: Weights = DEFAULT_WEIGHTS) -> Explanation:
    """Score one pair with its explanation and obstacles (for pairing by hand, say).

    ``week``: any day of the reference week whose clocks are compared (see ``availability``).
    """
    monday = week_monday(week)
    return build_explanation(mentor, mentee, monday, weights,
                             lambda person: utc_intervals(person.availability, person.time_zone, monday))


def build_explanation(mentor: Mentor, mentee: Mentee, monday: date, weights: Weights,
                      intervals_of: IntervalsOf) -> Explanation:
    topics = sorted(mentor.topics & mentee.topics)
    languages = sorted(mentor.languages & mentee.languages)
    common = intersect(intervals_of(mentor), intervals_of(mentee))
    minutes = sum(end - start for start, end in common)
    factors = [
        Factor(FactorCode.SHARED_TOPICS, weights.topic_points(len(topics)),
               {"topics": tuple(topics), "counted": min(len(topics), weights.max_counted_topics)}),
        Factor(FactorCode.SHARED_LANGUAGES, weights.language_points(len(languages)),
               {"languages": tuple(languages), "counted": min(len(languages), weights.max_counted_languages)}),
        Factor(FactorCode.AVAILABILITY_OVERLAP, weights.overlap_points(minutes),
               {"minutes": minutes, "windows": windows(common, monday)}),
    ]
    for code, wisher, other in ((FactorCode.MENTEE_WISHES_MET, mentee, mentor),
                                (FactorCode.MENTOR_WISHES_MET, mentor, mentee)):
        wished_languages = sorted(wisher.preferences.languages & other.languages)
        wished_traits = sorted(wisher.preferences.traits & other.traits)
        met = len(wished_languages) + len(wished_traits)
        if met:
            factors.append(Factor(code, weights.wish_points(met),
                                  {"languages": tuple(wished_languages), "traits": tuple(wished_traits),
                                   "counted": min(met, weights.max_counted_wishes)}))
    obstacles = []
    if mentor.id == mentee.id:
        obstacles.append(Obstacle.SAME_PERSON)
    if not languages:
        obstacles.append(Obstacle.NO_SHARED_LANGUAGE)
    if weights.require_shared_topic and mentee.topics and not topics:
        obstacles.append(Obstacle.NO_SHARED_TOPIC)
    return Explanation(tuple(factors), tuple(obstacles))
