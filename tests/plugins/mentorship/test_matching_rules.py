"""The hard rules of suggested matches: capacities, forbidden pairs, nobody paired with
themselves, priority mentees first, and the same answer for the same question."""
from __future__ import annotations

import random
from collections import Counter

import pytest

from plugins.mentorship.matching import Mentee, Mentor, suggest_matches
from tests.plugins.mentorship.matching_pools import WEEK, random_pool

pytestmark = pytest.mark.database_independent  # pure: make test runs it once, in the SQLite run


def mentor(id, capacity=1, topics=("baking",), **fields) -> Mentor:
    return Mentor(id=id, capacity=capacity, topics=set(topics), languages=fields.pop("languages", {"en"}),
                  time_zone=fields.pop("time_zone", "UTC"), **fields)


def mentee(id, topics=("baking",), **fields) -> Mentee:
    return Mentee(id=id, topics=set(topics), languages=fields.pop("languages", {"en"}),
                  time_zone=fields.pop("time_zone", "UTC"), **fields)


def pairs(result) -> set[tuple]:
    return {(suggestion.mentor, suggestion.mentee) for suggestion in result.suggestions}


@pytest.mark.parametrize("seed", range(5))
def test_no_mentor_gets_more_mentees_than_their_capacity(seed):
    rng = random.Random(seed)
    for _ in range(20):
        pool = random_pool(rng, mentors=rng.randint(1, 8), mentees=rng.randint(5, 30), max_capacity=3)
        result = suggest_matches(pool.mentors, pool.mentees, **pool.arguments())
        load = Counter(suggestion.mentor for suggestion in result.suggestions)
        assert all(load[m.id] <= m.capacity for m in pool.mentors)
        assert len({suggestion.mentee for suggestion in result.suggestions}) == len(result.suggestions)


def test_a_mentor_with_no_places_left_gets_no_mentee():
    result = suggest_matches([mentor(1, capacity=0)], [mentee(10)], week=WEEK)
    assert result.suggestions == ()


def test_a_forbidden_pair_is_not_suggested_even_when_it_is_the_best_one():
    mentors = [mentor(1, topics={"baking", "business"}), mentor(2, topics={"baking"})]
    mentees = [mentee(10, topics={"baking", "business"})]
    assert pairs(suggest_matches(mentors, mentees, week=WEEK)) == {(1, 10)}
    assert pairs(suggest_matches(mentors, mentees, week=WEEK, forbidden={(1, 10)})) == {(2, 10)}


@pytest.mark.parametrize("seed", range(5))
def test_forbidden_pairs_are_never_suggested_in_random_pools(seed):
    rng = random.Random(seed)
    for _ in range(20):
        pool = random_pool(rng, mentors=rng.randint(1, 6), mentees=rng.randint(1, 20))
        result = suggest_matches(pool.mentors, pool.mentees, **pool.arguments())
        assert not pairs(result) & pool.forbidden


def test_forbidden_pairs_of_people_outside_the_pool_are_ignored():
    result = suggest_matches([mentor(1)], [mentee(10)], week=WEEK, forbidden={(1, 99), (98, 10)})
    assert pairs(result) == {(1, 10)}


def test_someone_who_signed_up_in_both_roles_is_never_paired_with_themselves():
    mentors = [mentor(7, topics={"baking", "business"}, capacity=2), mentor(8)]
    mentees = [mentee(7, topics={"baking", "business"}), mentee(10)]
    result = suggest_matches(mentors, mentees, week=WEEK)
    assert pairs(result) == {(8, 7), (7, 10)}


def test_a_priority_mentee_gets_the_last_place_over_a_better_scoring_one():
    mentors = [mentor(1, topics={"baking", "business", "career"})]
    mentees = [mentee(10, topics={"baking"}), mentee(11, topics={"baking", "business", "career"})]
    assert pairs(suggest_matches(mentors, mentees, week=WEEK)) == {(1, 11)}
    assert pairs(suggest_matches(mentors, mentees, week=WEEK, priority={10})) == {(1, 10)}


def test_priority_never_costs_another_mentee_their_match():
    # 10 can only go to mentor 1; priority 11 could take mentor 1 or 2
    mentors = [mentor(1, topics={"baking", "career"}), mentor(2, topics={"career"})]
    mentees = [mentee(10, topics={"baking"}), mentee(11, topics={"career"})]
    result = suggest_matches(mentors, mentees, week=WEEK, priority={11})
    assert pairs(result) == {(1, 10), (2, 11)}


def test_more_mentees_matched_beats_a_higher_total_score():
    # mentor 1 is the best match of both, but only mentor 1 can take mentee 11
    mentors = [mentor(1, topics={"baking", "business", "career"}), mentor(2, topics={"baking"})]
    mentees = [mentee(10, topics={"baking", "business", "career"}), mentee(11, topics={"business"})]
    assert pairs(suggest_matches(mentors, mentees, week=WEEK)) == {(2, 10), (1, 11)}


def test_equal_input_gives_equal_results():
    pool = random_pool(random.Random(3), mentors=8, mentees=40, max_capacity=3)
    first = suggest_matches(pool.mentors, pool.mentees, **pool.arguments())
    second = suggest_matches(pool.mentors, pool.mentees, **pool.arguments())
    assert first == second


def test_the_order_of_the_input_does_not_change_the_result():
    rng = random.Random(4)
    pool = random_pool(rng, mentors=8, mentees=40, max_capacity=3)
    first = suggest_matches(pool.mentors, pool.mentees, **pool.arguments())
    rng.shuffle(pool.mentors)
    rng.shuffle(pool.mentees)
    second = suggest_matches(pool.mentors, pool.mentees, **pool.arguments())
    assert first == second


def test_suggestions_are_sorted_by_mentor_then_mentee():
    pool = random_pool(random.Random(5), mentors=6, mentees=30, max_capacity=3)
    result = suggest_matches(pool.mentors, pool.mentees, **pool.arguments())
    keys = [(suggestion.mentor, suggestion.mentee) for suggestion in result.suggestions]
    assert keys == sorted(keys) and len(keys) > 3
    assert [unmatched.mentee for unmatched in result.unmatched] == sorted(u.mentee for u in result.unmatched)


def test_string_ids_work_as_well_as_numbers():
    result = suggest_matches([mentor("ada")], [mentee("bob"), mentee("cy", topics={"knitting"})], week=WEEK)
    assert pairs(result) == {("ada", "bob")}
    assert [unmatched.mentee for unmatched in result.unmatched] == ["cy"]


def test_an_empty_pool_gives_an_empty_result():
    result = suggest_matches([], [], week=WEEK)
    assert result.suggestions == () and result.unmatched == ()


def test_the_result_names_the_monday_of_the_reference_week():
    assert suggest_matches([], [], week=WEEK.replace(day=19)).week == WEEK  # Thursday → Monday 16 March


def test_the_garbage_collector_is_left_as_it_was():
    import gc

    pool = random_pool(random.Random(6), mentors=3, mentees=10)
    assert gc.isenabled()
    suggest_matches(pool.mentors, pool.mentees, **pool.arguments())
    assert gc.isenabled()
    gc.disable()
    try:
        suggest_matches(pool.mentors, pool.mentees, **pool.arguments())
        assert not gc.isenabled()
    finally:
        gc.enable()
