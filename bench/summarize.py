"""Turn the raw measurements of ``bench/run.sh`` into the report table (markdown on stdout).

Input: a TSV file of ``page  req/s  server-CPU-ms-per-request`` lines, one per measurement.
Throughput depends on what else the machine runs; the CPU the server's workers spent per
request does much less, so both are reported and both give the two ratios.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
from collections import defaultdict
from importlib.metadata import version

PAGES = {
    "hello": "bare Flask hello",
    "feed": "group feed, 20 posts, logged in, no plugins enabled",
    "plugins": "same page, example plugin + 2 no-op plugins enabled",
}


def machine(duration: str, connections: str) -> str:
    with open("/proc/cpuinfo") as f:
        cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "?")
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("\n")[0].split(" [")[0]
    return (f"{os.cpu_count()} cores ({cpu}), Linux {platform.release()}, Python {platform.python_version()}, "
            f"gunicorn {version('gunicorn')} (-w 2, sync workers), {wrk} -t2 -c{connections} -d{duration}s, "
            f"load average after the run {os.getloadavg()[0]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw")
    parser.add_argument("--duration", default="?")
    parser.add_argument("--connections", default="?")
    args = parser.parse_args()
    rps: dict[str, list[float]] = defaultdict(list)
    cpu: dict[str, list[float]] = defaultdict(list)
    with open(args.raw) as f:
        for line in f:
            page, value, cpu_ms = line.split()
            rps[page].append(float(value))
            cpu[page].append(float(cpu_ms))
    med = {page: statistics.median(values) for page, values in rps.items()}
    med_cpu = {page: statistics.median(values) for page, values in cpu.items()}

    print(f"Machine: {machine(args.duration, args.connections)}")
    print()
    print("| page | req/s (median) | req/s per round | server CPU per request (median) |")
    print("|---|---:|---|---:|")
    for page, label in PAGES.items():
        rounds = ", ".join(f"{v:.0f}" for v in rps[page])
        print(f"| {label} | {med[page]:.0f} | {rounds} | {med_cpu[page]:.2f} ms |")
    print()
    ratio, ratio_cpu = med["feed"] / med["hello"], med_cpu["hello"] / med_cpu["feed"]
    cost, cost_cpu = 1 - med["plugins"] / med["feed"], med_cpu["plugins"] / med_cpu["feed"] - 1
    print(f"- feed / hello: {ratio:.1%} by req/s, {ratio_cpu:.1%} by server CPU per request "
          f"(target >= 30%: {'met' if min(ratio, ratio_cpu) >= 0.30 else 'NOT met'})")
    print(f"- plugins cost: {cost:.1%} by req/s, {cost_cpu:.1%} by server CPU per request "
          f"(target < 10%: {'met' if max(cost, cost_cpu) < 0.10 else 'NOT met'})")


if __name__ == "__main__":
    main()
