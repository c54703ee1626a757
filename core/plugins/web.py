"""The plugin machinery's web side: blueprints, the gate, templates, translations.

Blueprints are registered once when the app is built, whatever a plugin's state; a gate
before every request answers 404 for a disabled plugin's routes, so switching a plugin
needs no restart.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask, abort, g, request

from core.plugins.registry import Plugins

log = logging.getLogger("commonground.plugins")


def install_gate(app: Flask, plugins: Plugins) -> None:
    """Refresh state on every request and 404 a disabled plugin's routes (before anything else)."""

    def plugin_gate() -> None:
        """Refresh state if another worker changed it; 404 for a disabled plugin's routes."""
        if request.endpoint == "static":
            return
        plugins.refresh()
        pid = plugins.plugin_for_blueprint(request.blueprint)
        if pid is None:
            return
        g.current_plugin = pid
        slug = (request.view_args or {}).get("slug")
        if not plugins.is_enabled(pid) or (slug is not None and not plugins.is_enabled_for_slug(pid, slug)):
            abort(404)

    # First, so a disabled plugin's routes answer 404 before CSRF or login checks run.
    app.before_request_funcs.setdefault(None, []).insert(0, plugin_gate)


def register_blueprints(app: Flask, plugins: Plugins) -> None:
    """Blueprints are always registered; the gate answers 404 while a plugin is disabled."""
    from flask_smorest import Blueprint as ApiBlueprint

    api = app.extensions["commonground.api"]
    for outcome in plugins.outcomes("register_blueprints", app=app):
        pid = outcome.plugin_id
        for bp in outcome.result or []:
            try:
                if isinstance(bp, ApiBlueprint):
                    api.register_blueprint(bp, plugin_id=pid)
                else:
                    app.register_blueprint(bp)
            except Exception:
                log.exception("plugin %s: blueprint %s could not be registered", pid, getattr(bp, "name", bp))
                continue
            plugins.own_blueprint(pid, bp.name)
            _check_template_namespace(pid, bp)


def _check_template_namespace(plugin_id: str, bp: Any) -> None:
    """Templates go under ``templates/<id>/`` so one plugin's cannot shadow another's."""
    if not bp.template_folder:
        return
    folder = Path(bp.root_path) / bp.template_folder
    if not folder.is_dir():
        return
    stray = sorted(p.name for p in folder.iterdir() if p.name != plugin_id and not p.name.startswith("."))
    if stray:
        log.warning("plugin %s: templates should live under %s/%s/ (found %s)", plugin_id, folder, plugin_id,
                    ", ".join(stray))


def add_translations(app: Flask, plugins: Plugins) -> None:
    """Put each plugin's ``translations`` directory into Flask-Babel's merged catalog.

    Plugin directories go before core's: the catalogs are merged in order and later ones
    win, so a plugin can add messages but never change how a core message reads.
    """
    from core.extensions import babel

    config = app.extensions.get("babel")
    if config is None:
        return
    dirs = [str(info.translations_dir) for info in plugins.installed.values() if info.translations_dir]
    config.translation_directories[:0] = [d for d in dirs if d not in config.translation_directories]
    # The default domain's catalog cache is shared by every app in the process (tests build
    # many); start it afresh so this app's directories are used.
    domain = babel.__dict__.get("domain_instance")
    if domain is not None:
        domain.cache.clear()
