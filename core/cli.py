"""Register the core's ``flask`` commands (each group lives beside what it manages)."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from core.commands import content, dev, outbox, plugin_cli, seed, users
    from core.jobs import commands as jobs

    for module in (users, outbox, seed, plugin_cli, jobs, dev, content):
        app.cli.add_command(module.cli)
