"""What the real plugins cost per request in CPU, measured in pairs so a noisy machine cancels out.

``bench/pages.sh`` runs each server flat out for seconds at a time; on a shared 2-core host the
CPU's speed drifts between those seconds (the same loop took 2.6–3.3 s within a minute), so one
run to the next moved a page's plugin cost by ±3 % or more. Here both servers – no plugin and
the real plugins – run one worker each on the same core, this client on the other, and requests
alternate between them in small batches (``--batch``, a fraction of a second each): the two
halves of a pair meet the same machine. The CPU a batch cost is read from the worker's
``/proc/PID/schedstat`` (nanoseconds). For each page the report gives the cost as all the CPU
the real plugins' side took over all the CPU the other took (the same number of requests), a
95 % confidence interval of it (bootstrap over the pairs) and, to see how skewed the pairs are,
the median of the pairs' own costs.

Pairs of one pair of servers still share those servers' luck: the same code measured with fresh
processes moved the post page's cost from +6.3 % to +13.0 % between runs, each with a 95 % interval
of about ±2 % (a fixed ``PYTHONHASHSEED`` did not remove it: memory layout, and which of the host's
cores and caches the worker lands on). So ``bench/plugin_cost.sh`` measures several *rounds*, each
with a new pair of servers, and ``--summarize`` gives each round's cost, their mean and a 95 %
interval over the rounds (Student's t): the rounds, not the pairs, are the independent samples.

Usage (``bench/plugin_cost.sh`` starts the servers and logs in)::

    python bench/plugin_cost.py --none PORT:PID:COOKIE --real PORT:PID:COOKIE --page post=/g/x/p/1 ...
    python bench/plugin_cost.py --summarize ROUND1.tsv ROUND2.tsv ...
"""
from __future__ import annotations

import argparse
import http.client
import random
import statistics
import time

from bench.login import USER_AGENT


class Side:
    """One server: where to send requests, and the worker process whose CPU they cost."""

    def __init__(self, spec: str) -> None:
        port, pid, cookie = spec.split(":", 2)
        self.port, self.pid, self.cookie = int(port), int(pid), cookie

    def cpu_ns(self) -> int:
        with open(f"/proc/{self.pid}/schedstat") as f:
            return int(f.read().split()[0])

    def get(self, path: str) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("GET", path, headers={"Cookie": self.cookie, "User-Agent": USER_AGENT})
            response = connection.getresponse()
            body = response.read()
        finally:
            connection.close()
        if response.status != 200 or b"/logout" not in body:
            raise SystemExit(f"{path} on port {self.port} answered {response.status}, not the logged-in page")

    def batch(self, path: str, size: int) -> float:
        """CPU nanoseconds per request over ``size`` requests."""
        before = self.cpu_ns()
        for _ in range(size):
            self.get(path)
        return (self.cpu_ns() - before) / size


def interval(none_ns: list[float], real_ns: list[float], rounds: int = 2000) -> tuple[float, float]:
    """A 95 % bootstrap confidence interval of the cost (resampling whole pairs)."""
    rng = random.Random(0)
    pairs = list(zip(none_ns, real_ns, strict=True))
    costs = []
    for _ in range(rounds):
        sample = rng.choices(pairs, k=len(pairs))
        costs.append(sum(r for _, r in sample) / sum(n for n, _ in sample) - 1)
    costs.sort()
    return costs[int(rounds * 0.025)], costs[int(rounds * 0.975)]


def measure(none: Side, real: Side, path: str, pairs: int, batch: int) -> tuple[list[float], list[float]]:
    """CPU nanoseconds per request of each side, batch by batch (pair by pair)."""
    for side in (none, real):  # warm: templates compiled, caches filled, the collector settled
        side.batch(path, 3 * batch)
    none_ns: list[float] = []
    real_ns: list[float] = []
    for pair in range(pairs):
        order = (none, real) if pair % 2 == 0 else (real, none)  # neither always goes first
        got = {id(side): side.batch(path, batch) for side in order}
        none_ns.append(got[id(none)])
        real_ns.append(got[id(real)])
    return none_ns, real_ns


def read_rounds(paths: list[str]) -> dict[str, list[tuple[float, float]]]:
    """Each page's rounds from their raw files: (none's CPU, the real plugins' CPU) summed over the round."""
    rounds: dict[str, list[tuple[float, float]]] = {}
    for path in paths:
        totals: dict[str, list[float]] = {}
        with open(path) as f:
            for line in f:
                label, none_ns, real_ns = line.rstrip("\n").split("\t")
                found = totals.setdefault(label, [0.0, 0.0])
                found[0] += float(none_ns)
                found[1] += float(real_ns)
        for label, (none_ns, real_ns) in totals.items():
            rounds.setdefault(label, []).append((none_ns, real_ns))
    return rounds


def summarize(paths: list[str]) -> None:
    """The cost of each page over rounds of fresh servers: each round's, their mean, a 95 % t-interval."""
    from scipy.stats import t

    print(f"{len(paths)} rounds, each a new pair of servers")
    print()
    print("| page | each round's cost | **mean of the rounds** | 95 % interval over the rounds | all pairs pooled |")
    print("|---|---|---:|---|---:|")
    for label, rounds in read_rounds(paths).items():
        costs = [real_ns / none_ns - 1 for none_ns, real_ns in rounds]
        mean = statistics.fmean(costs)
        half = (t.ppf(0.975, len(costs) - 1) * statistics.stdev(costs) / len(costs) ** 0.5
                if len(costs) > 1 else float("nan"))
        pooled = sum(r for _, r in rounds) / sum(n for n, _ in rounds) - 1
        print(f"| {label} | {', '.join(f'{c:+.1%}' for c in costs)} | **{mean:+.1%}** | "
              f"{mean - half:+.1%} … {mean + half:+.1%} | {pooled:+.1%} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--summarize", nargs="+", metavar="RAW", help="summarize rounds' raw files and stop")
    parser.add_argument("--none", help="PORT:PID:COOKIE of the server with no plugin")
    parser.add_argument("--real", help="PORT:PID:COOKIE of the server with the real plugins")
    parser.add_argument("--page", action="append", help="LABEL=PATH (repeat)")
    parser.add_argument("--pairs", type=int, default=150)
    parser.add_argument("--batch", type=int, default=10, help="requests per side in a pair")
    parser.add_argument("--raw", help="write each pair's CPU per request here (page, none ns, real ns)")
    args = parser.parse_args()
    if args.summarize:
        summarize(args.summarize)
        return
    if not (args.none and args.real and args.page):
        parser.error("--none, --real and --page are needed to measure (or --summarize RAW...)")
    none, real = Side(args.none), Side(args.real)
    print(f"{args.pairs} pairs of {args.batch} requests per side, alternating; CPU of each server's one worker")
    print()
    print("| page | none: CPU ms/request | real plugins | **plugins cost** (all CPU, real ÷ none) | 95 % interval | "
          "median of the pairs' costs |")
    print("|---|---:|---:|---:|---|---:|")
    started = time.monotonic()
    raw = open(args.raw, "w") if args.raw else None
    for label, path in (page.split("=", 1) for page in args.page):
        none_ns, real_ns = measure(none, real, path, args.pairs, args.batch)
        if raw is not None:
            raw.writelines(f"{label}\t{n:.0f}\t{r:.0f}\n" for n, r in zip(none_ns, real_ns, strict=True))
            raw.flush()
        cost = sum(real_ns) / sum(none_ns) - 1
        low, high = interval(none_ns, real_ns)
        median = statistics.median(r / n for n, r in zip(none_ns, real_ns, strict=True)) - 1
        print(f"| {label} | {statistics.fmean(none_ns) / 1e6:.2f} | {statistics.fmean(real_ns) / 1e6:.2f} | "
              f"**{cost:+.1%}** | {low:+.1%} … {high:+.1%} | {median:+.1%} |", flush=True)
    print(f"\n({time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
