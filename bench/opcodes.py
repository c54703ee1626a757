"""Python bytecode instructions per request (``sys.settrace`` opcode events): a quick proxy for
``bench/instructions.sh`` when valgrind is too slow on a loaded machine.

It counts only what runs as Python (not SQLite, not C extensions such as markupsafe's or
SQLAlchemy's), so it measures Python-level overhead – hook calls, statement building, templates –
and, like valgrind's count, does not depend on the machine's load. Compare its figures with each
other, never with valgrind's.

Usage (a database seeded by ``bench.seed``)::

    BENCH_PLUGINS=real COMMONGROUND_SQLALCHEMY_DATABASE_URI=sqlite:////tmp/x.sqlite COMMONGROUND_SECRET_KEY=x \\
        python -m bench.opcodes --enable reporting,helpcenter,mentorship,resources,conversations \\
        --path /g/bench-group --requests 10
"""
from __future__ import annotations

import argparse
import sys

from bench.profile_feed import _switch, client_logged_in


def count(client, path: str, requests: int) -> int:
    """Opcodes executed by ``requests`` warm requests of ``path``."""
    executed = 0

    def tracer(frame, event, arg):
        nonlocal executed
        if event == "call":
            frame.f_trace_lines = False
            frame.f_trace_opcodes = True
        elif event == "opcode":
            executed += 1
        return tracer

    sys.settrace(tracer)
    try:
        for _ in range(requests):
            client.get(path)
    finally:
        sys.settrace(None)
    return executed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--path", default="/g/bench-group")
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--enable", help="switch exactly these plugins on first (comma-separated; '' = none)")
    args = parser.parse_args()
    if args.enable is not None:
        _switch(args.enable.split(",") if args.enable else [])
    client = client_logged_in()
    for _ in range(50):
        assert client.get(args.path).status_code == 200
    total = count(client, args.path, args.requests)
    print(f"{args.path}\t{total / args.requests / 1000:.1f}\tthousand opcodes per request")


if __name__ == "__main__":
    main()
