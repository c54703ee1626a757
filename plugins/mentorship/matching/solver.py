"""The optimal assignment: as many mentees as possible, then the highest total score.

It is a maximum-weight b-matching, solved as a min-cost flow with OR-Tools: source → each
mentee (capacity 1) → each allowed mentor (capacity 1, cost −score) → sink (capacity = the
mentor's places). ``solve_max_flow_with_min_cost`` first maximises the flow (mentees matched),
then minimises the cost (maximises the total score). Priority mentees (rematches) carry an
extra −P on their source arc, P larger than any total score, so as many of them as possible
are matched first; since the mentees that can be matched together form a matroid, this never
costs a match, so the order is (priority mentees matched, mentees matched, total score).

A pool of 5,000 mentees and 1,000 mentors has 5 million pairs, and a flow over all of them
takes seconds (1.5–5 s here); the optimum uses a few thousand. So the flow is solved over
*candidates* (each mentee's best few mentors, each mentor's best few mentees: some 40,000
pairs) and its optimality for the **whole** pool is then proved by
LP duality: the shortest distances in the flow's residual graph give each mentee a value
``u`` and each mentor a value ``v`` whose total equals the assignment's weight; if
``u[i] + v[j] ≥ W[i, j]`` holds for every allowed pair, no assignment of the whole pool can
weigh more (weak duality). Pairs breaking it join the candidates and the flow is solved
again (two to four flows in the benchmark). The proof is checked in exact integer arithmetic, with
``W[i, j] = M + P·priority[i] + score[i, j]`` encoding the order above (M > n·(P + max score)).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

MAX_ROUNDS = 6
ROWS_PER_BLOCK = 512
UNMATCHED = -1
_INFINITY = np.iinfo(np.int64).max // 4
_LIMIT = 2**62
_OUT = -(2**40)  # below any priced score


class SolverError(RuntimeError):
    """The flow solver failed or its result did not pass the optimality proof (a bug)."""


@dataclass(frozen=True)
class Candidates:
    """Which pairs the first flow sees; only speed depends on it.

    Each mentor's best ``per_place * capacity + per_mentor`` mentees; each mentee's best
    ``per_mentee`` mentors by score, and best ``per_mentee_priced`` by score *minus the
    mentor's price* — the score of the mentor's ``capacity``-th best mentee, what it takes
    to win a place with them. The priced ones anticipate the competition for popular mentors,
    which is where a first flow over too few pairs is proved wrong.
    """

    per_mentee: int = 2
    per_mentee_priced: int = 4
    per_place: int = 8
    per_mentor: int = 16


DEFAULT_CANDIDATES = Candidates()


@dataclass(frozen=True)
class Assignment:
    """``mentor_of[i]``: the mentor column of mentee row ``i``, or ``UNMATCHED``."""

    mentor_of: np.ndarray
    rounds: int
    arcs: int


def assign(score: np.ndarray, capacity: np.ndarray, priority: np.ndarray, *,
           candidates: Candidates = DEFAULT_CANDIDATES, max_rounds: int = MAX_ROUNDS) -> Assignment:
    """Optimal assignment for ``score`` (mentees × mentors, negative = not allowed).

    ``max_rounds``: after that many flows without a proof, the flow is solved over all
    allowed pairs (exact, only slower).
    """
    n, m = score.shape
    capacity = np.asarray(capacity, dtype=np.int64)
    priority = np.asarray(priority, dtype=bool)
    open_mentor = capacity > 0
    max_score = max(int(score.max(initial=0)), 0)
    p_weight = n * max_score + 1 if priority.any() else 0
    m_weight = n * (p_weight + max_score) + 1
    if (n + 1) * (m_weight + p_weight + max_score) >= _LIMIT:
        raise ValueError("pool too large for exact integer weights: fewer mentees or lower weights")

    chosen = _initial_candidates(score, capacity, candidates)
    rounds = 0
    while True:
        rounds += 1
        if rounds > max_rounds:
            chosen = (score >= 0) & open_mentor[None, :]
        rows, columns = np.divmod(np.flatnonzero(chosen), m)  # flatnonzero: far faster than 2-D nonzero
        mentor_of = np.full(n, UNMATCHED, dtype=np.int64)
        if rows.size == 0:
            return Assignment(mentor_of, rounds, 0)
        weights = score[rows, columns].astype(np.int64)
        used = _solve_flow(n, m, capacity, rows, columns, weights, priority, p_weight)
        mentor_of[rows[used]] = columns[used]
        if rounds > max_rounds:
            return Assignment(mentor_of, rounds, int(rows.size))
        big_weights = weights + m_weight + p_weight * priority[rows]
        mentee_value, mentor_value = _dual_values(n, m, capacity, rows, columns, big_weights, used)
        primal = int(big_weights[used].sum())
        dual = int(mentee_value.sum()) + int((capacity * mentor_value).sum())
        if primal != dual:
            raise SolverError(f"dual value {dual} differs from the assignment's weight {primal}")
        violated = _violations(score, open_mentor, priority, m_weight, p_weight, mentee_value, mentor_value)
        if (violated & chosen).any():
            raise SolverError("dual values infeasible on the solved pairs")
        if not violated.any():
            return Assignment(mentor_of, rounds, int(rows.size))
        chosen |= violated


def _blocks(n: int):
    for start in range(0, n, ROWS_PER_BLOCK):
        yield slice(start, min(start + ROWS_PER_BLOCK, n))


def _initial_candidates(score: np.ndarray, capacity: np.ndarray, candidates: Candidates) -> np.ndarray:
    """The pairs of the first flow (see :class:`Candidates`), all of them allowed."""
    n, m = score.shape
    chosen = np.zeros((n, m), dtype=bool)
    open_mentor = capacity > 0
    wanted = np.minimum(candidates.per_place * capacity + candidates.per_mentor, n) * open_mentor
    price = np.zeros(m, dtype=np.int64)
    for block in _blocks(m):
        by_mentor = score[:, block].T.copy()  # a copy even when the transpose is contiguous
        ranked = _mark_best(by_mentor, wanted[block], chosen[:, block].T)
        places = capacity[block]
        known = (places >= 1) & (places <= ranked.shape[1])
        # a mentor with fewer allowed mentees than places takes anyone: price 0
        price[block][known] = np.maximum(ranked[np.flatnonzero(known), places[known] - 1], 0)
    for block in _blocks(n):
        allowed = score[block] >= 0
        raw = np.where(allowed & open_mentor[None, :], score[block], -1)
        _mark_best(raw, np.full(raw.shape[0], min(candidates.per_mentee, m)), chosen[block])
        priced = np.where(allowed & open_mentor[None, :], score[block] - price[None, :], _OUT)
        _mark_best(priced, np.full(priced.shape[0], min(candidates.per_mentee_priced, m)), chosen[block], floor=_OUT)
    return chosen


def _mark_best(values: np.ndarray, wanted: np.ndarray, marks: np.ndarray, floor: int = -1) -> np.ndarray:
    """Mark, in each row, the ``wanted[row]`` largest values above ``floor`` (repeated argmax:
    far cheaper than a partition when few are wanted). ``values`` is overwritten; returns the
    values taken, by rank (``floor`` where a row had no more)."""
    rows = np.arange(values.shape[0])
    taken = np.full((values.shape[0], int(wanted.max(initial=0))), floor, dtype=values.dtype)
    for rank in range(taken.shape[1]):
        best = values.argmax(axis=1)
        value = values[rows, best]
        take = (value > floor) & (rank < wanted)
        marks[rows[take], best[take]] = True
        taken[take, rank] = value[take]
        values[rows, best] = floor
    return taken


def _solve_flow(n: int, m: int, capacity: np.ndarray, rows: np.ndarray, columns: np.ndarray,
                weights: np.ndarray, priority: np.ndarray, p_weight: int) -> np.ndarray:
    """Max flow with min cost over the given pairs; returns which pairs carry flow."""
    flow = min_cost_flow.SimpleMinCostFlow()
    source, sink = n + m, n + m + 1
    flow.add_arcs_with_capacity_and_unit_cost(
        np.full(n, source, dtype=np.int32), np.arange(n, dtype=np.int32),
        np.ones(n, dtype=np.int64), -(p_weight * priority.astype(np.int64)))
    pair_arcs = flow.add_arcs_with_capacity_and_unit_cost(
        rows.astype(np.int32), (n + columns).astype(np.int32),
        np.ones(rows.size, dtype=np.int64), -weights)
    flow.add_arcs_with_capacity_and_unit_cost(
        (n + np.arange(m)).astype(np.int32), np.full(m, sink, dtype=np.int32),
        capacity, np.zeros(m, dtype=np.int64))
    flow.set_node_supply(source, n)
    flow.set_node_supply(sink, -n)
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise SolverError(f"min-cost flow ended with status {status}")
    return np.asarray(flow.flows(np.asarray(pair_arcs, dtype=np.int32))) > 0


def _dual_values(n: int, m: int, capacity: np.ndarray, rows: np.ndarray, columns: np.ndarray,
                 big_weights: np.ndarray, used: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """LP dual values from the optimal flow over the candidate pairs.

    In the residual graph of the circulation (source → mentee → mentor → sink → source, pair
    arcs costing −W), let δ be every node's shortest distance *to* the sink (Bellman–Ford:
    costs are negative, and there is no negative cycle because the flow is optimal). Then
    a mentor's value is ``v = δ(mentor)`` (0 for a mentor with room), a matched mentee's
    ``u = W(its pair) − v(its mentor)`` and an unmatched mentee's ``u = 0``: feasible and
    complementary-slack, so of the same total as the assignment — checked by the caller.
    """
    source, sink = n + m, n + m + 1
    matched = np.zeros(n, dtype=bool)
    matched[rows[used]] = True
    load = np.bincount(columns[used], minlength=m)
    unmatched_rows = np.flatnonzero(~matched)
    matched_rows = np.flatnonzero(matched)
    with_room = np.flatnonzero(load < capacity)
    with_load = np.flatnonzero(load > 0)
    zero = np.zeros
    tails = [rows[~used], n + columns[used], np.full(unmatched_rows.size, source), matched_rows,
             n + with_room, np.full(with_load.size, sink), [sink], [source]]
    heads = [n + columns[~used], rows[used], unmatched_rows, np.full(matched_rows.size, source),
             np.full(with_room.size, sink), n + with_load, [source], [sink]]
    costs = [-big_weights[~used], big_weights[used], zero(unmatched_rows.size), zero(matched_rows.size),
             zero(with_room.size), zero(with_load.size), [0], [0]]
    tail = np.concatenate([np.asarray(part, dtype=np.int64) for part in tails])
    head = np.concatenate([np.asarray(part, dtype=np.int64) for part in heads])
    cost = np.concatenate([np.asarray(part, dtype=np.int64) for part in costs])
    order = np.argsort(tail, kind="stable")
    tail, head, cost = tail[order], head[order], cost[order]
    firsts = np.flatnonzero(np.r_[True, tail[1:] != tail[:-1]])
    nodes = tail[firsts]
    distance = np.full(n + m + 2, _INFINITY, dtype=np.int64)
    distance[sink] = 0
    for _ in range(n + m + 2):
        via = np.where(distance[head] >= _INFINITY, _INFINITY, cost + distance[head])
        improved = np.minimum(distance[nodes], np.minimum.reduceat(via, firsts))
        if np.array_equal(improved, distance[nodes]):
            break
        distance[nodes] = improved
    else:
        raise SolverError("negative cycle in the residual graph: the flow was not optimal")
    mentor_value = distance[n:n + m]
    mentor_value = np.where(mentor_value >= _INFINITY, 0, mentor_value)
    mentee_value = np.zeros(n, dtype=np.int64)
    mentee_value[rows[used]] = big_weights[used] - mentor_value[columns[used]]
    if (mentor_value < 0).any() or (mentee_value < 0).any():
        raise SolverError("negative dual values: the flow was not optimal")
    return mentee_value, mentor_value


def _violations(score: np.ndarray, open_mentor: np.ndarray, priority: np.ndarray, m_weight: int,
                p_weight: int, mentee_value: np.ndarray, mentor_value: np.ndarray) -> np.ndarray:
    """Allowed pairs whose dual constraint ``u[i] + v[j] ≥ W[i, j]`` fails."""
    violated = np.zeros(score.shape, dtype=bool)
    for block in _blocks(score.shape[0]):
        block_score = score[block]
        big = block_score.astype(np.int64) + (m_weight + p_weight * priority[block].astype(np.int64))[:, None]
        violated[block] = ((block_score >= 0) & open_mentor[None, :]
                           & (big > mentee_value[block, None] + mentor_value[None, :]))
    return violated
