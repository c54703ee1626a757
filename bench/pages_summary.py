"""The table of ``bench/pages.sh``: medians per server and page, ratios to hello and plugin cost."""
from __future__ import annotations

import statistics
import sys
from collections import defaultdict

PAGES = {"feed": "group feed, 20 posts", "post": "post page", "directory": "directory search", "search": "search"}


def main() -> None:
    rps: dict[tuple[str, str], list[float]] = defaultdict(list)
    cpu: dict[tuple[str, str], list[float]] = defaultdict(list)
    with open(sys.argv[1]) as f:
        for line in f:
            server, page, value, cpu_ms = line.split()
            rps[server, page].append(float(value))
            cpu[server, page].append(float(cpu_ms))
    med = {key: statistics.median(v) for key, v in rps.items()}
    mcpu = {key: statistics.median(v) for key, v in cpu.items()}
    hello_key = next(key for key in med if key[0] == "hello")
    hello, hello_cpu = med[hello_key], mcpu[hello_key]
    sides = [s for s in ("none", "real", "before-none", "before-real") if (s, "feed") in med]
    print(f"bare Flask hello: {hello:.0f} req/s, {hello_cpu:.2f} ms CPU/request "
          f"(rounds: {', '.join(f'{v:.0f}' for v in rps[hello_key])})")
    print()
    print("| page | " + " | ".join(f"{s}: req/s · CPU ms · % of hello (req/s, CPU)" for s in sides)
          + " | plugins cost (req/s, CPU) |" + (" before: plugins cost |" if "before-real" in sides else ""))
    print("|---|" + "---|" * len(sides) + "---|" + ("---|" if "before-real" in sides else ""))
    for page, label in PAGES.items():
        cells = [f"{med[s, page]:.0f} · {mcpu[s, page]:.2f} · {med[s, page] / hello:.1%}, "
                 f"{hello_cpu / mcpu[s, page]:.1%}" for s in sides]
        cost = f"{1 - med['real', page] / med['none', page]:.1%}, {mcpu['real', page] / mcpu['none', page] - 1:.1%}"
        row = f"| {label} | " + " | ".join(cells) + f" | {cost} |"
        if "before-real" in sides:
            row += (f" {1 - med['before-real', page] / med['before-none', page]:.1%}, "
                    f"{mcpu['before-real', page] / mcpu['before-none', page] - 1:.1%} |")
        print(row)


if __name__ == "__main__":
    main()
