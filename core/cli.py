"""Register the core's ``flask`` commands (each group lives beside what it manages)."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from core.commands import outbox, plugin_cli, seed, users

    for module in (users, outbox, seed, plugin_cli):
        app.cli.add_command(module.cli)
