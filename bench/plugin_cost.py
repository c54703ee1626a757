"""What the real plugins cost per request in CPU, measured in pairs so a noisy machine cancels out.

``bench/pages.sh`` runs each server flat out for seconds at a time; on a shared 2-core host the
CPU's speed drifts between those seconds (the same loop took 2.6–3.3 s within a minute), so one
run to the next moved a page's plugin cost by ±3 % or more. Here both servers – no plugin and
the real plugins – run one worker each on the same core, this client on the other, and requests
alternate between them in small batches (``--batch``, a fraction of a second each): the two
halves of a pair meet the same machine. The CPU a batch cost is read from the worker's
``/proc/PID/schedstat`` (nanoseconds). For each page the report gives the median of the pairs'
ratios (real ÷ none) and a 95 % confidence interval of that median (bootstrap over the pairs).

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


def median_interval(ratios: list[float], rounds: int = 2000) -> tuple[float, float]:
    """A 95 % bootstrap confidence interval of the median of ``ratios``."""
    rng = random.Random(0)
    medians = sorted(statistics.median(rng.choices(ratios, k=len(ratios))) for _ in range(rounds))
    return medians[int(rounds * 0.025)], medians[int(rounds * 0.975)]


def measure(none: Side, real: Side, path: str, pairs: int, batch: int) -> dict[str, float]:
    for side in (none, real):  # warm: templates compiled, caches filled, the collector settled
        side.batch(path, 3 * batch)
    none_ns: list[float] = []
    real_ns: list[float] = []
    for pair in range(pairs):
        order = (none, real) if pair % 2 == 0 else (real, none)  # neither always goes first
        got = {id(side): side.batch(path, batch) for side in order}
        none_ns.append(got[id(none)])
        real_ns.append(got[id(real)])
    ratios = [r / n for r, n in zip(real_ns, none_ns, strict=True)]
    low, high = median_interval(ratios)
    return {"none_ms": statistics.median(none_ns) / 1e6, "real_ms": statistics.median(real_ns) / 1e6,
            "cost": statistics.median(ratios) - 1, "low": low - 1, "high": high - 1,
            "quartiles": tuple(q - 1 for q in statistics.quantiles(ratios, n=4))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--none", required=True, help="PORT:PID:COOKIE of the server with no plugin")
    parser.add_argument("--real", required=True, help="PORT:PID:COOKIE of the server with the real plugins")
    parser.add_argument("--page", action="append", required=True, help="LABEL=PATH (repeat)")
    parser.add_argument("--pairs", type=int, default=150)
    parser.add_argument("--batch", type=int, default=10, help="requests per side in a pair")
    args = parser.parse_args()
    none, real = Side(args.none), Side(args.real)
    print(f"{args.pairs} pairs of {args.batch} requests per side, alternating; CPU of each server's one worker")
    print()
    print("| page | none: CPU ms/request | real plugins | plugins cost (median of pairs) | 95 % interval | "
          "pairs' quartiles |")
    print("|---|---:|---:|---:|---|---|")
    started = time.monotonic()
    for label, path in (page.split("=", 1) for page in args.page):
        found = measure(none, real, path, args.pairs, args.batch)
        q1, _q2, q3 = found["quartiles"]
        print(f"| {label} | {found['none_ms']:.2f} | {found['real_ms']:.2f} | **{found['cost']:+.1%}** | "
              f"{found['low']:+.1%} … {found['high']:+.1%} | {q1:+.1%} … {q3:+.1%} |", flush=True)
    print(f"\n({time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
