"""Instructions per request, counted by valgrind (repeatable on a busy machine, unlike time).

Usage (one page of one app per process; the database seeded by ``bench.seed``)::

    valgrind --tool=callgrind --collect-atstart=no --toggle-collect=functools_reduce \\
        --callgrind-out-file=/tmp/cg.out python -m bench.instructions --app cg --path /g/bench-group
    callgrind_annotate /tmp/cg.out | head -20      # "PROGRAM TOTALS" / --requests

The script logs the member in, warms the page up (50 requests), then makes ``--requests``
requests inside one ``functools.reduce`` call: with ``--toggle-collect=functools_reduce`` valgrind
counts only what runs inside it, the requests, not start-up. ``bench/instructions.sh`` does it all.
"""
from __future__ import annotations

import argparse
import functools
import importlib


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--app", choices=("cg", "hello"), default="cg")
    parser.add_argument("--path", default="/g/bench-group")
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    if args.app == "hello":
        client = importlib.import_module("bench.hello_app").app.test_client()
    else:
        from bench.profile_feed import client_logged_in

        client = client_logged_in()
    for _ in range(50):
        assert client.get(args.path).status_code == 200
    answers: list = []

    def one(count: int, _: int) -> int:
        answers.append(client.get(args.path))
        return count + 1

    done = functools.reduce(one, range(args.requests), 0)
    # A count is only worth its page: a measured request answered otherwise (an error, a redirect, a
    # member logged out by the session's idle limit during a slow run) would count a cheaper page.
    wrong = [a.status_code for a in answers if a.status_code != 200 or (args.app == "cg" and b"/logout" not in a.data)]
    if wrong:
        raise SystemExit(f"{len(wrong)} of {done} requests of {args.path} were not the logged-in page: {wrong}")
    print(f"{done} requests of {args.path}")


if __name__ == "__main__":
    main()
