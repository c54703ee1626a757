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

Usage (``bench/plugin_cost.sh`` starts the servers and logs in)::

    python bench/plugin_cost.py --none PORT:PID:COOKIE --real PORT:PID:COOKIE --page post=/g/x/p/1 ...
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--none", required=True, help="PORT:PID:COOKIE of the server with no plugin")
    parser.add_argument("--real", required=True, help="PORT:PID:COOKIE of the server with the real plugins")
    parser.add_argument("--page", action="append", required=True, help="LABEL=PATH (repeat)")
    parser.add_argument("--pairs", type=int, default=150)
    parser.add_argument("--batch", type=int, default=10, help="requests per side in a pair")
    parser.add_argument("--raw", help="write each pair's CPU per request here (page, none ns, real ns)")
    args = parser.parse_args()
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
