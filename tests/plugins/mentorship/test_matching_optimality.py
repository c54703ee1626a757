"""Suggested matches are optimal: as many priority mentees, then mentees, matched as possible,
then the highest total score — checked against exhaustive search on small pools and against
a MILP solver (scipy's HiGHS) on medium ones, where the engine's candidate-and-proof loop has
to work for its answer."""
from __future__ import annotations

import random

import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

from plugins.mentorship.matching import suggest_matches
from plugins.mentorship.matching.solver import UNMATCHED, Candidates, assign
from tests.plugins.mentorship.matching_pools import allowed_scores, best_key, random_pool, result_key

pytestmark = pytest.mark.database_independent  # pure: make test runs it once, in the SQLite run

# the first flow sees one mentor per mentee: the proof has to find the rest
SCARCE = Candidates(per_mentee=1, per_mentee_priced=0, per_place=0, per_mentor=0)


@pytest.mark.parametrize("seed", range(12))
def test_small_pools_match_the_best_of_all_assignments(seed):
    rng = random.Random(seed)
    for _ in range(25):
        pool = random_pool(rng, mentors=rng.randint(1, 3), mentees=rng.randint(1, 6))
        result = suggest_matches(pool.mentors, pool.mentees, **pool.arguments())
        assert result_key(pool, result) == best_key(pool)


@pytest.mark.parametrize("seed", range(4))
def test_small_pools_stay_optimal_when_the_first_flow_sees_one_mentor_per_mentee(seed):
    rng = random.Random(100 + seed)
    for _ in range(25):
        pool = random_pool(rng, mentors=rng.randint(2, 3), mentees=rng.randint(3, 6), max_capacity=3)
        result = suggest_matches(pool.mentors, pool.mentees, candidates=SCARCE, **pool.arguments())
        assert result_key(pool, result) == best_key(pool)


def lexicographic_milp(scores: dict[tuple[int, int], int], capacity: list[int], priority: list[bool],
                       mentees: int) -> tuple[int, int, int]:
    """(priority matched, matched, total score), optimised in that order by three MILPs."""
    pairs = sorted(scores)
    if not pairs:
        return (0, 0, 0)
    count = len(pairs)
    mentor_rows = coo_array(([1.0] * count, ([j for j, _ in pairs], range(count))), shape=(len(capacity), count))
    mentee_rows = coo_array(([1.0] * count, ([i for _, i in pairs], range(count))), shape=(mentees, count))
    constraints = [LinearConstraint(mentor_rows, 0, capacity), LinearConstraint(mentee_rows, 0, 1)]
    objectives = [np.array([float(priority[i]) for _, i in pairs]), np.ones(count),
                  np.array([float(scores[pair]) for pair in pairs])]
    achieved = []
    for objective in objectives:
        result = milp(-objective, constraints=constraints, integrality=np.ones(count), bounds=Bounds(0, 1))
        assert result.success, result.message
        value = round(-result.fun)
        achieved.append(value)
        constraints.append(LinearConstraint(objective[None, :], value, np.inf))
    return tuple(achieved)


@pytest.mark.parametrize("seed", range(6))
def test_medium_pools_match_a_milp_solver(seed):
    rng = random.Random(1000 + seed)
    pool = random_pool(rng, mentors=15, mentees=rng.choice([30, 60]), max_capacity=4, topics=3)
    result = suggest_matches(pool.mentors, pool.mentees, candidates=SCARCE, **pool.arguments())
    expected = lexicographic_milp(allowed_scores(pool), [mentor.capacity for mentor in pool.mentors],
                                  [mentee.id in pool.priority for mentee in pool.mentees], len(pool.mentees))
    assert result_key(pool, result) == expected


def random_scores(rng: np.random.Generator, mentees: int, mentors: int, density: float) -> np.ndarray:
    """A score matrix with popular mentors (as in real pools), -1 where a pair is not allowed."""
    appeal = rng.integers(0, 40, size=mentors)
    scores = rng.integers(0, 60, size=(mentees, mentors)) + appeal[None, :]
    return np.where(rng.random((mentees, mentors)) < density, scores, -1).astype(np.int32)


def assignment_key(score, capacity, priority, mentor_of) -> tuple[int, int, int]:
    rows = np.flatnonzero(mentor_of != UNMATCHED)
    columns = mentor_of[rows]
    assert (score[rows, columns] >= 0).all()
    assert (np.bincount(columns, minlength=len(capacity)) <= capacity).all()
    return int(priority[rows].sum()), int(rows.size), int(score[rows, columns].sum())


@pytest.mark.parametrize("seed", range(8))
def test_the_proof_loop_reaches_the_milp_optimum_from_scarce_candidates(seed):
    rng = np.random.default_rng(seed)
    mentees, mentors = int(rng.integers(40, 120)), int(rng.integers(8, 30))
    score = random_scores(rng, mentees, mentors, density=float(rng.choice([0.2, 0.6, 1.0])))
    capacity = rng.integers(0, 5, size=mentors)
    priority = rng.random(mentees) < 0.2
    assignment = assign(score, capacity, priority, candidates=SCARCE)
    allowed = {(j, i): int(score[i, j]) for i, j in zip(*np.nonzero(score >= 0), strict=True) if capacity[j] > 0}
    expected = lexicographic_milp(allowed, capacity.tolist(), priority.tolist(), mentees)
    assert assignment_key(score, capacity, priority, assignment.mentor_of) == expected


def test_scarce_candidates_make_the_solver_add_pairs_and_solve_again():
    rng = np.random.default_rng(5)
    score = random_scores(rng, 200, 40, density=1.0)
    capacity = rng.integers(1, 4, size=40)
    assignment = assign(score, capacity, np.zeros(200, dtype=bool), candidates=SCARCE)
    assert assignment.rounds > 1
    assert assignment.arcs < score.size


def test_the_full_graph_fallback_gives_the_same_optimum():
    rng = np.random.default_rng(9)
    score = random_scores(rng, 150, 30, density=0.7)
    capacity = rng.integers(0, 4, size=30)
    priority = rng.random(150) < 0.1
    proved = assign(score, capacity, priority, candidates=SCARCE)
    full = assign(score, capacity, priority, candidates=SCARCE, max_rounds=0)
    assert full.arcs == int(((score >= 0) & (capacity > 0)[None, :]).sum())
    assert assignment_key(score, capacity, priority, proved.mentor_of) == \
        assignment_key(score, capacity, priority, full.mentor_of)
