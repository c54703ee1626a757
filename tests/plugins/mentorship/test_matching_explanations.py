"""Each suggestion says why: its factors' points add up exactly to its score, and the bulk
scorer (bitsets) agrees with the explanation (plain sets, exact minutes) on every pair."""
from __future__ import annotations

import random
from datetime import UTC, datetime

import numpy as np
import pytest

from plugins.mentorship.matching import (
    FactorCode,
    Mentee,
    Mentor,
    Obstacle,
    Preferences,
    Weights,
    explain_pair,
    suggest_matches,
)
from plugins.mentorship.matching.availability import resolution, week_monday
from plugins.mentorship.matching.scoring import NOT_MATCHABLE, encode_pool, score_pool
from tests.plugins.mentorship.matching_pools import WEEK, random_pool

pytestmark = pytest.mark.database_independent  # pure: make test runs it once, in the SQLite run


@pytest.mark.parametrize("seed", range(5))
def test_every_suggestions_factors_add_up_to_its_score(seed):
    rng = random.Random(seed)
    for _ in range(20):
        pool = random_pool(rng, mentors=rng.randint(1, 6), mentees=rng.randint(1, 25), max_capacity=3)
        for suggestion in suggest_matches(pool.mentors, pool.mentees, **pool.arguments()).suggestions:
            assert sum(factor.points for factor in suggestion.explanation.factors) == suggestion.score
            assert suggestion.explanation.matchable


@pytest.mark.parametrize("weights", [Weights(), Weights(shared_topic=7, max_counted_topics=1, overlap_hour=1,
                                                        max_counted_hours=40, wish_met=2, require_shared_topic=False)])
@pytest.mark.parametrize("seed", range(3))
def test_the_bulk_scorer_agrees_with_the_explanation_on_every_pair(seed, weights):
    pool = random_pool(random.Random(seed), mentors=12, mentees=40, topics=4)
    mentors = sorted(pool.mentors, key=lambda person: person.id)
    mentees = sorted(pool.mentees, key=lambda person: person.id)
    monday = week_monday(WEEK)
    unit = resolution({person.time_zone for person in mentors + mentees}, monday)
    mentor_side, mentee_side = encode_pool(mentors, mentees, monday, unit)
    same = [(i, j) for i, a in enumerate(mentees) for j, b in enumerate(mentors) if a.id == b.id]
    score = score_pool(mentor_side, mentee_side, weights, same).score
    expected = np.array([[explain_pair(mentor, mentee, week=WEEK, weights=weights) for mentor in mentors]
                         for mentee in mentees], dtype=object)
    assert score.tolist() == [[e.score if e.matchable else NOT_MATCHABLE for e in row] for row in expected]
    assert (score >= 0).any() and (score == NOT_MATCHABLE).any()


def test_the_explanation_lists_each_factor_with_what_was_shared():
    mentor = Mentor(id=1, topics={"baking", "business", "soap"}, languages={"de", "en"}, time_zone="Europe/Berlin",
                    availability={(0, 18), (0, 19), (2, 20)}, traits={"founder"},
                    preferences=Preferences(traits={"parent"}))
    mentee = Mentee(id=2, topics={"business", "soap", "career"}, languages={"de", "en", "tr"},
                    time_zone="Europe/Berlin", availability={(0, 19), (0, 20), (2, 20)}, traits={"parent"},
                    preferences=Preferences(languages={"de"}, traits={"founder", "video"}))
    explanation = explain_pair(mentor, mentee, week=WEEK)
    factors = {factor.code: factor for factor in explanation.factors}
    assert factors[FactorCode.SHARED_TOPICS].params == {"topics": ("business", "soap"), "counted": 2}
    assert factors[FactorCode.SHARED_TOPICS].points == 20
    assert factors[FactorCode.SHARED_LANGUAGES].params == {"languages": ("de", "en"), "counted": 2}
    assert factors[FactorCode.SHARED_LANGUAGES].points == 10
    overlap = factors[FactorCode.AVAILABILITY_OVERLAP]
    assert overlap.points == 6 and overlap.params["minutes"] == 120
    assert overlap.params["windows"] == (
        (datetime(2026, 3, 16, 18, tzinfo=UTC), datetime(2026, 3, 16, 19, tzinfo=UTC)),  # Monday 19:00 CET
        (datetime(2026, 3, 18, 19, tzinfo=UTC), datetime(2026, 3, 18, 20, tzinfo=UTC)),  # Wednesday 20:00 CET
    )
    assert factors[FactorCode.MENTEE_WISHES_MET].params == {"languages": ("de",), "traits": ("founder",), "counted": 2}
    assert factors[FactorCode.MENTEE_WISHES_MET].points == 10
    assert factors[FactorCode.MENTOR_WISHES_MET].params == {"languages": (), "traits": ("parent",), "counted": 1}
    assert factors[FactorCode.MENTOR_WISHES_MET].points == 5
    assert explanation.score == 20 + 10 + 6 + 10 + 5
    assert explanation.obstacles == ()


def test_factors_are_counted_up_to_their_caps():
    weights = Weights(shared_topic=10, max_counted_topics=2, overlap_hour=1, max_counted_hours=3)
    mentor = Mentor(id=1, topics={"a", "b", "c"}, languages={"en"}, time_zone="UTC",
                    availability={(0, hour) for hour in range(8)})
    mentee = Mentee(id=2, topics={"a", "b", "c"}, languages={"en"}, time_zone="UTC",
                    availability={(0, hour) for hour in range(8)})
    explanation = explain_pair(mentor, mentee, week=WEEK, weights=weights)
    assert explanation.factor(FactorCode.SHARED_TOPICS).points == 20
    assert explanation.factor(FactorCode.SHARED_TOPICS).params["counted"] == 2
    assert explanation.factor(FactorCode.AVAILABILITY_OVERLAP).points == 3
    assert explanation.factor(FactorCode.AVAILABILITY_OVERLAP).params["minutes"] == 480


def test_wishes_nobody_meets_add_no_factor():
    mentor = Mentor(id=1, topics={"a"}, languages={"en"}, time_zone="UTC")
    mentee = Mentee(id=2, topics={"a"}, languages={"en"}, time_zone="UTC",
                    preferences=Preferences(languages={"de"}, traits={"founder"}))
    codes = [factor.code for factor in explain_pair(mentor, mentee, week=WEEK).factors]
    assert codes == [FactorCode.SHARED_TOPICS, FactorCode.SHARED_LANGUAGES, FactorCode.AVAILABILITY_OVERLAP]


def test_a_pair_without_a_shared_language_or_topic_names_its_obstacles():
    mentor = Mentor(id=1, topics={"a"}, languages={"en"}, time_zone="UTC")
    explanation = explain_pair(mentor, Mentee(id=2, topics={"b"}, languages={"de"}, time_zone="UTC"), week=WEEK)
    assert explanation.obstacles == (Obstacle.NO_SHARED_LANGUAGE, Obstacle.NO_SHARED_TOPIC)
    assert not explanation.matchable


def test_a_mentee_who_named_no_topic_can_be_paired_with_any_mentor_sharing_a_language():
    mentor = Mentor(id=1, topics={"a"}, languages={"en"}, time_zone="UTC")
    explanation = explain_pair(mentor, Mentee(id=2, topics=set(), languages={"en"}, time_zone="UTC"), week=WEEK)
    assert explanation.matchable


def test_without_the_topic_requirement_a_pair_sharing_only_a_language_is_matchable():
    mentor = Mentor(id=1, topics={"a"}, languages={"en"}, time_zone="UTC")
    mentee = Mentee(id=2, topics={"b"}, languages={"en"}, time_zone="UTC")
    assert explain_pair(mentor, mentee, week=WEEK).obstacles == (Obstacle.NO_SHARED_TOPIC,)
    assert explain_pair(mentor, mentee, week=WEEK, weights=Weights(require_shared_topic=False)).matchable
    result = suggest_matches([mentor], [mentee], week=WEEK, weights=Weights(require_shared_topic=False))
    assert [(s.mentor, s.mentee) for s in result.suggestions] == [(1, 2)]


def test_a_person_paired_with_themselves_is_an_obstacle():
    person = {"id": 1, "topics": {"a"}, "languages": {"en"}, "time_zone": "UTC"}
    assert Obstacle.SAME_PERSON in explain_pair(Mentor(**person), Mentee(**person), week=WEEK).obstacles
