"""Where a warm logged-in request spends its CPU, in-process (Flask test client).

Usage: BENCH_PLUGINS=real COMMONGROUND_SQLALCHEMY_DATABASE_URI=sqlite:////tmp/x.sqlite \\
       COMMONGROUND_SECRET_KEY=x python -m bench.profile_feed [--path /g/bench-group] [--requests 300]
       [--profile]   (cProfile, top functions by own and cumulative time)

The database must be seeded (``python -m bench.seed``). Prints CPU ms per request (median of
five batches) and, with ``--profile``, the hot spots.
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import time

from bench.cg_app import app
from bench.login import PASSWORD, USERNAME


def client_logged_in():
    client = app.test_client()
    form = client.get("/login").text
    token = form.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    client.post("/login", data={"csrf_token": token, "login": USERNAME, "password": PASSWORD})
    return client


def _switch(enabled: list[str]) -> None:
    from core.extensions import db
    from core.models import Group
    from core.plugins import get_plugins
    from core.plugins import state as plugin_state

    with app.app_context():
        plugins = get_plugins()
        group = db.session.scalar(db.select(Group).where(Group.slug == "bench-group"))
        for plugin_id, info in plugins.installed.items():
            plugin_state.set_enabled(plugin_id, plugin_id in enabled)
            if info.meta.scope == "group" and plugin_id in enabled:
                plugin_state.set_group_enabled(plugin_id, group, True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--path", default="/g/bench-group")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--anonymous", action="store_true")
    parser.add_argument("--enable", help="switch exactly these plugins on first (comma-separated; '' = none)")
    args = parser.parse_args()
    if args.enable is not None:
        _switch(args.enable.split(",") if args.enable else [])
    client = app.test_client() if args.anonymous else client_logged_in()
    first = client.get(args.path)
    assert first.status_code == 200, first.status_code
    for _ in range(50):
        client.get(args.path)
    batches = []
    for _ in range(5):
        start = time.process_time()
        for _ in range(args.requests // 5):
            client.get(args.path)
        batches.append((time.process_time() - start) * 1000 / (args.requests // 5))
    print(f"{args.path}: {statistics.median(batches):.2f} ms CPU per request "
          f"(batches: {', '.join(f'{b:.2f}' for b in batches)})")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.requests):
            client.get(args.path)
        profiler.disable()
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(35)
        stats.sort_stats("cumulative").print_stats(70)


if __name__ == "__main__":
    main()
