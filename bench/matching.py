"""Benchmark of the mentorship matching engine: suggested matches for a whole pool.

5,000 mentees × 1,000 mentors (capacities 1–5), at three shared-topic densities; the pool
mixes languages, time zones (with and without daylight saving, half- and quarter-hour
offsets), evening and weekend availability, traits and wishes, 2 % priority mentees and
5,000 forbidden pairs. Each density runs in a fresh subprocess: a warm-up call, then
``--runs`` timed calls of ``suggest_matches`` (encoding + scoring + solving + explaining,
zone caches cleared before each), then one call under ``tracemalloc`` for the peak of
Python and numpy allocations; ``ru_maxrss`` gives the process's peak resident memory (OR-Tools'
C++ memory included). Target: under 2 s per run.

    .venv/bin/python bench/matching.py            # all three densities, 5 runs each
    .venv/bin/python bench/matching.py --runs 3 --density dense
    .venv/bin/python bench/matching.py --runs 1 --full-flow   # also one flow over all pairs (slow)
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from dataclasses import replace
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from plugins.mentorship.matching import Mentee, Mentor, Preferences, suggest_matches  # noqa: E402
from plugins.mentorship.matching.availability import _slot_masks, slot_starts  # noqa: E402
from plugins.mentorship.matching.solver import assign  # noqa: E402
from plugins.mentorship.suggestion_cache import fingerprint  # noqa: E402

MENTEES, MENTORS = 5000, 1000
WEEK = date(2026, 3, 16)  # US clocks already moved, European ones not yet: offsets differ from usual
# name: (size of the programme's topic list, fewest and most topics per person)
DENSITIES = {"sparse": (40, 1, 2), "medium": (14, 1, 3), "dense": (4, 1, 3)}
ZONES = {"Europe/Berlin": 24, "Europe/London": 10, "Europe/Madrid": 8, "Europe/Istanbul": 4,
         "America/New_York": 12, "America/Chicago": 5, "America/Los_Angeles": 6, "America/Sao_Paulo": 5,
         "America/St_Johns": 1, "Africa/Lagos": 5, "Asia/Kolkata": 6, "Asia/Kathmandu": 1, "Asia/Tokyo": 3,
         "Australia/Sydney": 4, "Pacific/Auckland": 2, "UTC": 4}
LANGUAGES = {"en": 0.8, "de": 0.35, "es": 0.15, "fr": 0.1, "tr": 0.05, "ar": 0.05}
TRAITS = [f"answer-{number}" for number in range(8)]


def person_fields(rng: random.Random, density: str) -> dict:
    vocabulary, fewest, most = DENSITIES[density]
    topics = {f"topic-{number}" for number in rng.sample(range(vocabulary), rng.randint(fewest, most))}
    languages = {code for code, share in LANGUAGES.items() if rng.random() < share} or {"en"}
    availability = set()
    for _ in range(rng.randint(2, 5)):
        day = rng.randrange(7)
        first = rng.randint(9, 12) if day >= 5 else rng.randint(17, 21)
        availability |= {(day, hour) for hour in range(first, min(first + rng.randint(1, 3), 24))}
    wished_languages = {rng.choice(sorted(languages))} if rng.random() < 0.2 else set()
    return {"topics": topics, "languages": languages,
            "time_zone": rng.choices(list(ZONES), weights=list(ZONES.values()))[0],
            "availability": availability, "traits": set(rng.sample(TRAITS, rng.randint(0, 3))),
            "preferences": Preferences(languages=wished_languages, traits=set(rng.sample(TRAITS, rng.randint(0, 2))))}


def make_pool(density: str, seed: int = 7):
    rng = random.Random(seed)
    mentors = [Mentor(id=number, capacity=rng.randint(1, 5), **person_fields(rng, density))
               for number in range(MENTORS)]
    mentees = [Mentee(id=MENTORS + number, **person_fields(rng, density)) for number in range(MENTEES)]
    forbidden = {(rng.randrange(MENTORS), MENTORS + rng.randrange(MENTEES)) for _ in range(5000)}
    priority = set(rng.sample([mentee.id for mentee in mentees], MENTEES // 50))
    return mentors, mentees, forbidden, priority


def run_once(pool):
    mentors, mentees, forbidden, priority = pool
    slot_starts.cache_clear()
    _slot_masks.cache_clear()
    start, cpu = time.perf_counter(), time.process_time()
    result = suggest_matches(mentors, mentees, week=WEEK, forbidden=forbidden, priority=priority)
    return time.perf_counter() - start, time.process_time() - cpu, result


def full_flow(pool, result) -> dict:
    """The same pool solved by one flow over every allowed pair, for comparison: same optimum?"""
    import plugins.mentorship.matching.suggest as suggest

    captured = {}

    def keep(score, capacity, priority, **options):
        captured.update(score=score.copy(), capacity=capacity, priority=priority)
        return assign(score, capacity, priority, **options)

    suggest.assign = keep
    try:
        run_once(pool)
    finally:
        suggest.assign = assign
    score, capacity, priority = captured["score"], captured["capacity"], captured["priority"]
    start = time.perf_counter()
    full = assign(score, capacity, priority, max_rounds=0)
    seconds = time.perf_counter() - start
    rows = [row for row, column in enumerate(full.mentor_of) if column >= 0]
    key = (sum(bool(priority[row]) for row in rows), len(rows),
           sum(int(score[row, full.mentor_of[row]]) for row in rows))
    expected = (sum(s.mentee in pool[3] for s in result.suggestions), len(result.suggestions), result.total_score)
    return {"full_flow_seconds": seconds, "full_flow_arcs": full.arcs, "full_flow_same_optimum": key == expected}


def measure(density: str, runs: int, compare_full: bool = False) -> dict:
    started = time.perf_counter()
    pool = make_pool(density)
    build_seconds = time.perf_counter() - started
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    *_, result = run_once(pool)  # warm-up: imports, first-use costs
    timings, cpu_timings, phases = [], [], []
    for _ in range(runs):
        seconds, cpu, result = run_once(pool)
        timings.append(seconds)
        cpu_timings.append(cpu)
        phases.append(result.stats.seconds)
    mentors, mentees, forbidden, priority = pool
    fingerprints = []
    remembered = fingerprint(mentors, mentees, week=WEEK, forbidden=forbidden, priority=priority)
    for _ in range(3):  # what a repeated suggestions view costs instead of a run: build the key, compare it
        start = time.process_time()
        copies = [replace(m) for m in mentors], [replace(m) for m in mentees]  # a new request's own values
        key = fingerprint(*copies, week=WEEK, forbidden=set(forbidden), priority=set(priority))
        assert key == remembered
        fingerprints.append(time.process_time() - start)
    tracemalloc.start()
    run_once(pool)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    stats = result.stats
    reasons: dict[str, int] = {}
    for unmatched in result.unmatched:
        reasons[unmatched.reason.value] = reasons.get(unmatched.reason.value, 0) + 1
    return {
        **(full_flow(pool, result) if compare_full else {}),
        "density": density,
        "topic_density": shared_topic_density(pool),
        "pairs_without_obstacle": stats.pairs_without_obstacle / stats.pairs_scored,
        "build_pool_seconds": build_seconds,
        "runs": timings,
        "median_seconds": statistics.median(timings),
        "median_cpu_seconds": statistics.median(cpu_timings),
        "median_scoring_and_solving": statistics.median(
            phase["encode"] + phase["score"] + phase["solve"] for phase in phases),
        "load_average": os.getloadavg()[0],
        "median_phases": {name: statistics.median(phase[name] for phase in phases) for name in phases[0]},
        "traced_peak_mib": traced_peak / 2**20,
        "maxrss_mib": rss_after / 1024,
        "maxrss_before_mib": rss_before / 1024,
        "matched": len(result.suggestions),
        "capacity": sum(mentor.capacity for mentor in pool[0]),
        "priority_matched": sum(suggestion.mentee in pool[3] for suggestion in result.suggestions),
        "total_score": result.total_score,
        "solver_rounds": stats.solver_rounds,
        "solver_arcs": stats.solver_arcs,
        "unmatched_reasons": reasons,
        "fingerprint_seconds": statistics.median(fingerprints),
    }


def shared_topic_density(pool) -> float:
    """Fraction of all mentor–mentee pairs sharing at least one topic (on a sample)."""
    mentors, mentees = pool[0], pool[1][:500]
    shared = sum(bool(mentor.topics & mentee.topics) for mentor in mentors for mentee in mentees)
    return shared / (len(mentors) * len(mentees))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--density", choices=sorted(DENSITIES), action="append")
    parser.add_argument("--json", action="store_true", help="measure in this process, print JSON")
    parser.add_argument("--full-flow", action="store_true", help="also time one flow over all allowed pairs")
    arguments = parser.parse_args()
    densities = arguments.density or list(DENSITIES)
    if arguments.json:
        print(json.dumps([measure(density, arguments.runs, arguments.full_flow) for density in densities]))
        return
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, load average "
          f"{' '.join(f'{load:.1f}' for load in os.getloadavg())}")
    print("| density | pairs sharing a topic | pairs matchable | wall s, median (runs) | scoring + solving s "
          "| CPU s | encode / score / solve / explain s | traced peak MiB | max RSS MiB | matched / places "
          "| flow rounds, arcs | load |")
    print("|---|---:|---:|---|---:|---:|---|---:|---:|---:|---:|---:|")
    for density in densities:
        command = [sys.executable, __file__, "--json", "--runs", str(arguments.runs), "--density", density]
        output = subprocess.run(command + ["--full-flow"] * arguments.full_flow, check=True, capture_output=True,
                                text=True).stdout
        row = json.loads(output)[0]
        phases = " / ".join(f"{row['median_phases'][name]:.2f}" for name in ("encode", "score", "solve", "explain"))
        runs = ", ".join(f"{seconds:.2f}" for seconds in row["runs"])
        print(f"| {density} | {row['topic_density']:.1%} | {row['pairs_without_obstacle']:.1%} "
              f"| **{row['median_seconds']:.2f}** ({runs}) | {row['median_scoring_and_solving']:.2f} "
              f"| {row['median_cpu_seconds']:.2f} | {phases} | {row['traced_peak_mib']:.0f} "
              f"| {row['maxrss_mib']:.0f} (pool built: {row['maxrss_before_mib']:.0f}) "
              f"| {row['matched']} / {row['capacity']} ({row['priority_matched']} of 100 priority) "
              f"| {row['solver_rounds']}, {row['solver_arcs']} | {row['load_average']:.1f} |")
        print(f"<!-- {density}: {json.dumps(row['unmatched_reasons'])}, total score {row['total_score']}, "
              f"pool built in {row['build_pool_seconds']:.2f} s, a remembered view's key built and compared in "
              f"{row['fingerprint_seconds'] * 1000:.0f} ms of CPU (copying the pool included) -->")
        if "full_flow_seconds" in row:
            print(f"<!-- {density}: one flow over all {row['full_flow_arcs']} allowed pairs: "
                  f"{row['full_flow_seconds']:.2f} s, same optimum: {row['full_flow_same_optimum']} -->")


if __name__ == "__main__":
    main()
