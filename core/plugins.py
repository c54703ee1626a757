"""Plugin discovery, enabled state, hook calling and fault isolation.

Plugins are found through the ``commonground.plugins`` entry-point group (built-in
ones too). Each plugin is a module with a ``META = PluginMeta(...)`` attribute and
``@hookimpl`` functions. State lives in the database; a version counter makes every
worker process pick up a change on its next request.
"""
from __future__ import annotations

import importlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from types import ModuleType
from typing import Any

import pluggy
from flask import Flask, abort, current_app, g, request
from markupsafe import Markup

from core import hookspecs
from core.extensions import db

log = logging.getLogger("commonground.plugins")

ENTRY_POINT_GROUP = "commonground.plugins"
CORE_PLUGIN_ID = "core"


@dataclass(frozen=True)
class PluginMeta:
    """What a plugin says about itself (module attribute ``META``)."""

    id: str
    name: str
    version: str
    description: str = ""
    scope: str = "site"  # "site" or "group"
    default_enabled: bool = False


@dataclass
class PluginInfo:
    meta: PluginMeta
    module: ModuleType
    blueprints: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.meta.id


class PluginError(RuntimeError):
    """A plugin is malformed (no META, id mismatch, unknown hook)."""


class PluginState:
    """A worker's in-memory view of enabled state, reloaded when the version changes."""

    def __init__(self) -> None:
        self.version: int | None = None
        self.site_enabled: set[str] = set()
        self.group_enabled: set[tuple[int, str]] = set()
        self.settings: dict[str, dict] = {}


class Plugins:
    """The app's plugin registry. Lives at ``app.extensions["commonground.plugins"]``."""

    def __init__(self) -> None:
        self.pm = pluggy.PluginManager(hookspecs.PROJECT)
        self.pm.add_hookspecs(hookspecs)
        self.installed: dict[str, PluginInfo] = {}
        self.blocked: set[str] = set()
        self.state = PluginState()

    # --- loading ----------------------------------------------------------------------------

    def load(self, app: Flask, explicit: Iterable[ModuleType | str] | None = None) -> None:
        """Register core defaults, then installed plugins (or ``explicit`` ones), then check."""
        from core import default_hooks

        self.pm.register(default_hooks, name=CORE_PLUGIN_ID)
        self.blocked = set(app.config.get("PLUGINS_BLOCKED") or [])
        if explicit is not None:
            for item in explicit:
                module = importlib.import_module(item) if isinstance(item, str) else item
                self.add(module)
        else:
            only = app.config.get("PLUGINS")
            for ep in entry_points(group=ENTRY_POINT_GROUP):
                if ep.name in self.blocked:
                    log.warning("plugin %s is blocked by configuration; not imported", ep.name)
                    continue
                if only is not None and ep.name not in only:
                    continue
                try:
                    module = ep.load()
                except Exception:
                    log.exception("plugin %s failed to import; skipped", ep.name)
                    continue
                self.add(module, expected_id=ep.name)
        self.pm.check_pending()

    def add(self, module: ModuleType, expected_id: str | None = None) -> PluginInfo:
        meta = getattr(module, "META", None)
        if not isinstance(meta, PluginMeta):
            raise PluginError(f"{module.__name__} has no META = PluginMeta(...)")
        if expected_id and meta.id != expected_id:
            raise PluginError(f"entry point {expected_id!r} loads plugin with id {meta.id!r}")
        if meta.id in self.blocked:
            log.warning("plugin %s is blocked by configuration; not registered", meta.id)
            return None  # type: ignore[return-value]
        info = PluginInfo(meta=meta, module=module)
        self.installed[meta.id] = info
        self.pm.register(module, name=meta.id)
        return info

    def hooks_of(self, plugin_id: str) -> list[str]:
        plugin = self.pm.get_plugin(plugin_id)
        if plugin is None:
            return []
        return sorted(h.name for h in self.pm.get_hookcallers(plugin) or [])

    # --- state ------------------------------------------------------------------------------

    def refresh(self, force: bool = False) -> None:
        """Reload state if the database version moved (one cheap query per request)."""
        from core.models import GroupPluginState, StateVersion
        from core.models import PluginState as StateRow

        version = db.session.scalar(db.select(StateVersion.version).where(StateVersion.id == 1)) or 0
        if not force and version == self.state.version:
            return
        state = PluginState()
        state.version = version
        for row in db.session.scalars(db.select(StateRow)):
            if row.plugin_id in self.installed:
                state.settings[row.plugin_id] = row.settings or {}
                if row.enabled:
                    state.site_enabled.add(row.plugin_id)
        for gid, pid in db.session.execute(
            db.select(GroupPluginState.group_id, GroupPluginState.plugin_id).where(GroupPluginState.enabled)
        ):
            state.group_enabled.add((gid, pid))
        self.state = state

    def is_enabled(self, plugin_id: str, group: Any = None) -> bool:
        """Site-wide state; for group-scope plugins with a group, also the group's switch."""
        if plugin_id == CORE_PLUGIN_ID:
            return True
        info = self.installed.get(plugin_id)
        if info is None or plugin_id not in self.state.site_enabled:
            return False
        if group is not None and info.meta.scope == "group":
            return (group.id, plugin_id) in self.state.group_enabled
        return True

    def enabled_ids(self, group: Any = None) -> list[str]:
        return [pid for pid in self.installed if self.is_enabled(pid, group)]

    # --- calling ----------------------------------------------------------------------------

    def _impls(self, name: str, group: Any = None, only: str | None = None):
        caller = getattr(self.pm.hook, name)
        # pluggy returns impls in call order reversed (last registered first); call order:
        for impl in reversed(caller.get_hookimpls()):
            pid = impl.plugin_name
            if only is not None and pid != only:
                continue
            if not self.is_enabled(pid, group):
                continue
            yield impl

    def call(self, name: str, *, group: Any = None, only: str | None = None, **kwargs: Any) -> list[Any]:
        """Call every enabled implementation; a failing one is logged and dropped."""
        results = []
        for impl in self._impls(name, group, only):
            args = {k: kwargs[k] for k in impl.argnames if k in kwargs}
            try:
                result = impl.function(**args)
            except Exception:
                log.exception("plugin %s failed in hook %s; its contribution is dropped", impl.plugin_name, name)
                if current_app and current_app.config.get("PLUGINS_RAISE_ERRORS"):
                    raise
                continue
            if result is not None:
                results.append(result)
        return results

    def call_first(self, name: str, *, group: Any = None, only: str | None = None, **kwargs: Any) -> Any:
        results = self.call(name, group=group, only=only, **kwargs)
        return results[0] if results else None

    def call_policy(self, name: str, **kwargs: Any) -> bool:
        """All must agree: any False, or any exception, means no (fail closed)."""
        for impl in self._impls(name):
            args = {k: kwargs[k] for k in impl.argnames if k in kwargs}
            try:
                if impl.function(**args) is False:
                    return False
            except Exception:
                log.exception("plugin %s failed in policy hook %s; denying", impl.plugin_name, name)
                return False
        return True

    def call_flat(self, name: str, **kwargs: Any) -> list[Any]:
        """Like ``call`` for hooks returning lists; flattens them into one list."""
        out: list[Any] = []
        for result in self.call(name, **kwargs):
            out.extend(result)
        return out

    # --- web --------------------------------------------------------------------------------

    def plugin_for_blueprint(self, blueprint: str | None) -> str | None:
        if not blueprint:
            return None
        root = blueprint.split(".")[0]
        for pid, info in self.installed.items():
            if root in info.blueprints:
                return pid
        return None


def get_plugins(app: Flask | None = None) -> Plugins:
    return (app or current_app).extensions["commonground.plugins"]


def call_hook(name: str, **kwargs: Any) -> list[Any]:
    """Call a hook on every enabled plugin (fault-isolated); returns non-None results."""
    return get_plugins().call(name, **kwargs)


def render_slot(name: str, **context: Any) -> Markup:
    """Jinja global ``slot(name, **ctx)``: joins what plugins contribute to a named slot."""
    if name not in hookspecs.SLOTS:
        raise KeyError(f"unknown template slot {name!r}")
    group = context.get("group")
    parts = get_plugins().call("template_slot", group=group, name=name, context=context)
    return Markup("\n").join(Markup(p) for p in parts)


def init_app(app: Flask, explicit: Iterable[ModuleType | str] | None = None) -> Plugins:
    plugins = Plugins()
    app.extensions["commonground.plugins"] = plugins
    plugins.load(app, explicit)
    _register_plugin_blueprints(app, plugins)
    for impl in plugins.pm.hook.register_commands.get_hookimpls():
        try:
            impl.function(cli=app.cli)
        except Exception:
            log.exception("plugin %s failed in register_commands", impl.plugin_name)
    app.jinja_env.globals["slot"] = render_slot

    @app.before_request
    def _plugin_gate():
        if request.endpoint == "static":
            return None
        plugins.refresh()
        pid = plugins.plugin_for_blueprint(request.blueprint)
        if pid is None:
            return None
        g.current_plugin = pid
        if not plugins.is_enabled(pid):
            abort(404)
        return None

    return plugins


def _register_plugin_blueprints(app: Flask, plugins: Plugins) -> None:
    """Blueprints are always registered; the gate answers 404 while a plugin is disabled."""
    from flask_smorest import Blueprint as ApiBlueprint

    api = app.extensions["commonground.api"]
    for impl in plugins.pm.hook.register_blueprints.get_hookimpls():
        pid = impl.plugin_name
        try:
            blueprints = impl.function(app=app) or []
        except Exception:
            log.exception("plugin %s failed in register_blueprints; its pages are unavailable", pid)
            continue
        for bp in blueprints:
            if isinstance(bp, ApiBlueprint):
                api.register_blueprint(bp)
            else:
                app.register_blueprint(bp)
            if pid in plugins.installed:
                plugins.installed[pid].blueprints.append(bp.name)
