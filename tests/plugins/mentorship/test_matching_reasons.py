"""Mentees left without a suggestion come with the first hurdle they did not clear, as a
stable code with parameters."""
from __future__ import annotations

import random
from collections import Counter

import pytest

from plugins.mentorship.matching import Mentee, Mentor, Reason, explain_pair, suggest_matches
from tests.plugins.mentorship.matching_pools import WEEK, random_pool

pytestmark = pytest.mark.database_independent  # pure: make test runs it once, in the SQLite run


def mentor(id, capacity=1, topics=("baking",), languages=("en",)) -> Mentor:
    return Mentor(id=id, capacity=capacity, topics=set(topics), languages=set(languages), time_zone="UTC")


def mentee(id, topics=("baking",), languages=("en",)) -> Mentee:
    return Mentee(id=id, topics=set(topics), languages=set(languages), time_zone="UTC")


def only_reason(mentors, mentees, **arguments):
    result = suggest_matches(mentors, mentees, week=WEEK, **arguments)
    (unmatched,) = result.unmatched
    return unmatched.reason, unmatched.params


def test_a_pool_without_mentors_says_so():
    assert only_reason([], [mentee(10)]) == (Reason.NO_MENTORS, {})


def test_no_mentor_sharing_a_language_is_named_with_the_mentees_languages():
    assert only_reason([mentor(1, languages={"en"})], [mentee(10, languages={"tr", "de"})]) == \
        (Reason.NO_SHARED_LANGUAGE, {"languages": ("de", "tr")})


def test_no_mentor_sharing_a_topic_is_named_with_the_mentees_topics():
    mentors = [mentor(1, topics={"baking"}), mentor(2, topics={"career"}, languages={"de"})]
    assert only_reason(mentors, [mentee(10, topics={"soap", "business"})]) == \
        (Reason.NO_SHARED_TOPIC, {"topics": ("business", "soap"), "mentors_sharing_a_language": 1})


def test_language_and_topic_must_be_shared_by_the_same_mentor():
    mentors = [mentor(1, topics={"soap"}, languages={"de"}), mentor(2, topics={"baking"}, languages={"en"})]
    reason, _ = only_reason(mentors, [mentee(10, topics={"soap"}, languages={"en"})])
    assert reason == Reason.NO_SHARED_TOPIC


def test_every_fitting_mentor_ruled_out_is_reported_without_saying_why():
    mentors = [mentor(1), mentor(2), mentor(3, topics={"career"})]
    assert only_reason(mentors, [mentee(10)], forbidden={(1, 10), (2, 10)}) == (Reason.RULED_OUT, {"mentors": 2})


def test_fitting_mentors_all_taken_by_others_are_reported_as_full():
    mentors = [mentor(1, topics={"baking", "career"}), mentor(2, topics={"baking", "career"})]
    mentees = [mentee(10, topics={"baking", "career"}), mentee(11, topics={"baking", "career"}), mentee(12)]
    assert only_reason(mentors, mentees, forbidden={(2, 12)}) == \
        (Reason.MENTORS_FULL, {"mentors": 1, "ruled_out": 1})


def test_a_mentor_with_no_places_left_counts_as_full():
    assert only_reason([mentor(1, capacity=0)], [mentee(10)]) == (Reason.MENTORS_FULL, {"mentors": 1, "ruled_out": 0})


def test_a_mentee_is_not_counted_as_their_own_mentor():
    mentors = [mentor(10, languages={"tr"}), mentor(1, languages={"en"})]
    assert only_reason(mentors, [mentee(10, languages={"tr"})]) == (Reason.NO_SHARED_LANGUAGE, {"languages": ("tr",)})


@pytest.mark.parametrize("seed", range(5))
def test_a_mentee_reported_as_facing_full_mentors_could_only_have_gone_to_full_mentors(seed):
    rng = random.Random(seed)
    checked = 0
    for _ in range(20):
        pool = random_pool(rng, mentors=rng.randint(1, 5), mentees=rng.randint(5, 25), max_capacity=2)
        result = suggest_matches(pool.mentors, pool.mentees, **pool.arguments())
        load = Counter(suggestion.mentor for suggestion in result.suggestions)
        mentees = {person.id: person for person in pool.mentees}
        for unmatched in result.unmatched:
            fitting = [m for m in pool.mentors
                       if explain_pair(m, mentees[unmatched.mentee], week=WEEK).matchable]
            allowed = [m for m in fitting if (m.id, unmatched.mentee) not in pool.forbidden]
            if unmatched.reason == Reason.MENTORS_FULL:
                checked += 1
                assert allowed and all(load[m.id] == m.capacity for m in allowed)
                assert unmatched.params == {"mentors": len(allowed), "ruled_out": len(fitting) - len(allowed)}
            elif unmatched.reason == Reason.RULED_OUT:
                assert fitting and not allowed
            else:
                assert not fitting
    assert checked
