"""The plugin machinery, a module per job.

- ``registry``: discovery (entry points), the blocked list, metadata, each worker's view of state
- ``runner``: the one place hooks are called (fault isolation, policy, slots)
- ``specs``: the hook specifications – the contract plugins implement
- ``defaults``: core's own default implementations (registered by ``create_app``)
- ``state``: enabling and disabling, site-wide and per group
- ``settings``: settings schemas, stored values, the forms generated from them
- ``migrations``: one Alembic branch per plugin
- ``web``: blueprints, the gate that hides a disabled plugin's routes, templates, translations

Plugins themselves import none of this: ``core.plugin_api`` is their whole view of core.
"""
from __future__ import annotations

import types
from collections.abc import Iterable
from typing import Any

from flask import Flask

from core.plugins.registry import (
    ENTRY_POINT_GROUP,
    HookContractError,
    PluginError,
    PluginInfo,
    PluginMeta,
    Plugins,
    PluginStatus,
    get_plugins,
)
from core.plugins.runner import CORE_PLUGIN_ID
from core.plugins.specs import hookimpl

__all__ = [
    "CORE_PLUGIN_ID", "ENTRY_POINT_GROUP", "HookContractError", "PluginError", "PluginInfo", "PluginMeta",
    "PluginStatus", "Plugins", "get_plugins", "hookimpl", "init_app",
]


def init_app(app: Flask, explicit: Iterable[types.ModuleType | str] | None = None, *,
             core_hooks: Any = None) -> Plugins:
    """Build the app's registry: core's defaults, then the plugins, then their setup hooks."""
    from core.plugins import web

    plugins = Plugins()
    app.extensions["commonground.plugins"] = plugins
    if core_hooks is not None:
        plugins.register_core(core_hooks)
    plugins.load(app, explicit)
    web.register_blueprints(app, plugins)
    plugins.call("register_commands", cli=app.cli)
    web.add_translations(app, plugins)
    app.jinja_env.globals["slot"] = plugins.runner.render_slot
    web.install_gate(app, plugins)
    return plugins
