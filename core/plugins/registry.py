"""The plugin registry: discovery, the blocked list, metadata and each worker's view of state.

Plugins are found through the ``commonground.plugins`` entry-point group (built-in
ones too). Each plugin is a module with a ``META = PluginMeta(...)`` attribute and
``@hookimpl`` functions. State lives in the database; a version counter makes every
worker process pick up a change on its next request.

The registry never calls a hook itself: ``core.plugins.runner`` is the one place that does.
Core's own default implementations are registered by ``create_app`` (``register_core``).
"""
from __future__ import annotations

import importlib
import inspect
import logging
import re
import types
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pluggy
from flask import Flask, current_app, has_app_context
from flask.globals import _cv_app

from core.extensions import db
from core.plugins import specs as hookspecs
from core.plugins.runner import CORE_PLUGIN_ID, SLOTS_ATTRIBUTE, HookRunner

log = logging.getLogger("commonground.plugins")

ENTRY_POINT_GROUP = "commonground.plugins"
SCOPES = ("site", "group")
PLUGIN_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


class PluginError(RuntimeError):
    """A plugin is malformed (no META, id mismatch, unknown hook, bad hook arguments)."""


class HookContractError(PluginError):
    """A plugin breaks the hook contract (a hook or argument that does not exist): start-up stops."""


@dataclass(frozen=True)
class PluginMeta:
    """What a plugin says about itself (module attribute ``META``).

    ``id`` is the entry-point name, the prefix of the plugin's tables and its template
    namespace: lowercase letters, digits and underscores. ``scope="group"`` plugins are
    switched on per group by group admins once a site admin enabled them.
    ``default_enabled=True`` makes a newly installed plugin start enabled site-wide until an
    admin disables it (plugins start disabled otherwise).
    """

    id: str
    name: str
    version: str
    description: str = ""
    scope: str = "site"
    default_enabled: bool = False

    def __post_init__(self) -> None:
        if not PLUGIN_ID_PATTERN.match(self.id or ""):
            raise PluginError(f"plugin id {self.id!r} must be lowercase letters, digits and underscores")
        if self.id == CORE_PLUGIN_ID:
            raise PluginError(f"plugin id {CORE_PLUGIN_ID!r} is reserved")
        if self.scope not in SCOPES:
            raise PluginError(f"plugin {self.id!r}: scope must be one of {SCOPES}, not {self.scope!r}")


@dataclass
class PluginInfo:
    meta: PluginMeta
    module: Any
    blueprints: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def package_dir(self) -> Path | None:
        """The plugin's package directory (None for single-module plugins)."""
        paths = list(getattr(self.module, "__path__", None) or [])
        return Path(paths[0]) if paths else None

    @property
    def translations_dir(self) -> Path | None:
        package = self.package_dir
        if package is not None and (package / "translations").is_dir():
            return package / "translations"
        return None


@dataclass(frozen=True)
class PluginStatus:
    """One plugin as the admin page, the API and the CLI show it."""

    id: str
    name: str
    version: str
    description: str
    scope: str
    hooks: tuple[str, ...]
    enabled: bool
    group_count: int
    has_settings: bool


class EnabledState:
    """A worker's in-memory view of enabled state, reloaded when the version changes.

    (The database rows it is read from are ``core.models.PluginState``.)
    """

    def __init__(self, version: int | None = None) -> None:
        self.version = version
        self.site_enabled: set[str] = set()
        self.group_enabled: set[tuple[int, str]] = set()
        self.slug_enabled: set[tuple[str, str]] = set()
        self.settings: dict[str, dict] = {}
        self.loaded_settings: dict[str, dict] = {}


class Plugins:
    """The app's plugin registry. Lives at ``app.extensions["commonground.plugins"]``."""

    def __init__(self) -> None:
        self.pm = pluggy.PluginManager(hookspecs.PROJECT)
        self.pm.add_hookspecs(hookspecs)
        self.aliases: dict[str, list[str]] = {}
        if hookspecs.RENAMED_HOOKS:
            self.pm.add_hookspecs(_renamed_specs())
            for old, new in hookspecs.RENAMED_HOOKS.items():
                self.aliases.setdefault(new, []).append(old)
        self.installed: dict[str, PluginInfo] = {}
        self.blocked: set[str] = set()
        self.failed: dict[str, str] = {}
        self.state = EnabledState()
        self._blueprint_owner: dict[str, str] = {}
        self.runner = HookRunner(self)

    # --- loading ----------------------------------------------------------------------------

    def register_core(self, module: Any) -> None:
        """Register core's own default implementations (``create_app`` passes them in, so the
        registry never imports the modules those defaults import)."""
        self.pm.register(module, name=CORE_PLUGIN_ID)
        self.runner.forget()

    def load(self, app: Flask, explicit: Iterable[types.ModuleType | str] | None = None) -> None:
        """Register installed plugins (or ``explicit`` ones), then check the contract.

        Entry points named in ``PLUGINS_BLOCKED`` are never imported. An installed plugin
        that fails to import or has no valid ``META`` is logged and skipped; a plugin that
        breaks the hook contract (unknown hook, wrong arguments) stops start-up, naming it.
        """
        self.blocked = set(app.config.get("PLUGINS_BLOCKED") or [])
        if explicit is not None:
            for item in explicit:
                module = importlib.import_module(item) if isinstance(item, str) else item
                self.add(module)
        else:
            self._discover(app.config.get("PLUGINS"))
        try:
            self.pm.check_pending()
        except pluggy.PluginValidationError as exc:
            pid = self.pm.get_name(exc.plugin) or repr(exc.plugin)
            raise HookContractError(
                f"plugin {pid!r} implements a hook that does not exist: {exc}. Fix the name, or set "
                f"COMMONGROUND_PLUGINS_BLOCKED={pid} to start without it."
            ) from exc

    def _discover(self, only: Iterable[str] | None) -> None:
        """Installed entry points in id order, so hooks run in the same order on every host."""
        seen: set[str] = set()
        for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name):
            if ep.name in seen:
                continue
            seen.add(ep.name)
            if ep.name in self.blocked:
                log.warning("plugin %s is blocked by configuration; not imported", ep.name)
                continue
            if only is not None and ep.name not in only:
                continue
            try:
                module = ep.load()
            except Exception as exc:
                log.exception("plugin %s failed to import; skipped", ep.name)
                self.failed[ep.name] = f"{type(exc).__name__}: {exc}"
                continue
            try:
                self.add(module, expected_id=ep.name)
            except HookContractError:
                raise
            except PluginError as exc:
                log.error("plugin %s skipped: %s", ep.name, exc)
                self.failed[ep.name] = str(exc)

    def add(self, module: Any, expected_id: str | None = None) -> PluginInfo | None:
        """Register one plugin object (usually a module) under its ``META.id``."""
        meta = getattr(module, "META", None)
        label = getattr(module, "__name__", repr(module))
        if not isinstance(meta, PluginMeta):
            raise PluginError(f"{label} has no META = PluginMeta(...)")
        if expected_id and meta.id != expected_id:
            raise PluginError(f"entry point {expected_id!r} loads plugin with id {meta.id!r}")
        if meta.id in self.blocked:
            log.warning("plugin %s is blocked by configuration; not registered", meta.id)
            return None
        if meta.id in self.installed:
            raise PluginError(f"two plugins use the id {meta.id!r}")
        self._check_arguments(meta.id, module)
        try:
            self.pm.register(module, name=meta.id)
        except pluggy.PluginValidationError as exc:
            raise HookContractError(f"plugin {meta.id!r} does not match the hook contract: {exc}") from exc
        for caller in self.pm.get_hookcallers(module) or []:
            for impl in caller.get_hookimpls():
                if impl.plugin_name == meta.id and (impl.wrapper or impl.hookwrapper):
                    self.pm.unregister(name=meta.id)
                    raise PluginError(f"plugin {meta.id!r}: hook wrappers are not supported ({caller.name})")
            if caller.name in hookspecs.RENAMED_HOOKS:
                log.warning("plugin %s implements %s, which was renamed to %s", meta.id, caller.name,
                            hookspecs.RENAMED_HOOKS[caller.name])
            if caller.name == "template_slot_list":
                self._check_list_slots(meta.id, caller)
        info = PluginInfo(meta=meta, module=module)
        self.installed[meta.id] = info
        self.runner.forget()
        return info

    def _check_list_slots(self, plugin_id: str, caller: Any) -> None:
        """A ``template_slot_list`` declares its slots, and only list slots (core asks it for those only)."""
        for impl in caller.get_hookimpls():
            if impl.plugin_name != plugin_id:
                continue
            slots = getattr(impl.function, SLOTS_ATTRIBUTE, None)
            wrong = sorted(set(slots or ()) - hookspecs.LIST_SLOTS)
            if slots is None or wrong:
                self.pm.unregister(name=plugin_id)
                problem = f"names {', '.join(map(repr, wrong))}, which are not list slots" if wrong else \
                    "does not declare its slots"
                raise HookContractError(
                    f"plugin {plugin_id!r}: template_slot_list {problem}; declare them with "
                    f"@fills_slots(...) under @hookimpl, from {', '.join(sorted(hookspecs.LIST_SLOTS))}")

    def _check_arguments(self, plugin_id: str, module: Any) -> None:
        """Every hook implementation asks only for arguments its hook has (clearer than pluggy's message)."""
        for attr in dir(module):
            opts = self.pm.parse_hookimpl_opts(module, attr)
            if opts is None:
                continue
            name = opts.get("specname") or attr
            caller = getattr(self.pm.hook, name, None)
            if caller is None or caller.spec is None:
                continue  # an unknown hook name: check_pending reports it
            try:
                asked = list(inspect.signature(getattr(module, attr)).parameters)
            except (TypeError, ValueError):
                continue
            unknown = [arg for arg in asked if arg not in caller.spec.argnames]
            if unknown:
                offered = ", ".join(caller.spec.argnames) or "no arguments"
                raise HookContractError(
                    f"plugin {plugin_id!r} implements hook {name!r} with argument(s) "
                    f"{', '.join(repr(a) for a in unknown)}, which the hook does not have (it offers: {offered}). "
                    f"Fix the signature, or set COMMONGROUND_PLUGINS_BLOCKED={plugin_id} to start without it."
                )

    def load_order(self) -> dict[str, int]:
        """Plugin id -> its place in loading order (core first); the runner calls in this order."""
        return {pid: n for n, pid in enumerate([CORE_PLUGIN_ID, *self.installed])}

    def hooks_of(self, plugin_id: str) -> list[str]:
        """Names of the hooks a plugin implements (as it spelled them)."""
        plugin = self.pm.get_plugin(plugin_id)
        if plugin is None:
            return []
        return sorted({caller.name for caller in self.pm.get_hookcallers(plugin) or []})

    # --- state ------------------------------------------------------------------------------

    def refresh(self, force: bool = False) -> None:
        """Reload state if the database version moved (one cheap query per request)."""
        from core.models import Group, GroupPluginState, PluginState

        version = db.session.connection().execute(_version_statement()).scalar() or 0
        if not force and version == self.state.version:
            return
        state = EnabledState(version)
        decided = set()
        for row in db.session.scalars(db.select(PluginState)):
            if row.plugin_id in self.installed:
                decided.add(row.plugin_id)
                state.settings[row.plugin_id] = dict(row.settings or {})
                if row.enabled:
                    state.site_enabled.add(row.plugin_id)
        for pid, info in self.installed.items():
            if pid not in decided and info.meta.default_enabled:
                state.site_enabled.add(pid)
        rows = db.session.execute(
            db.select(GroupPluginState.group_id, Group.slug, GroupPluginState.plugin_id)
            .join(Group, Group.id == GroupPluginState.group_id)
            .where(GroupPluginState.enabled)
        )
        for group_id, slug, plugin_id in rows:
            if plugin_id in self.installed:
                state.group_enabled.add((group_id, plugin_id))
                state.slug_enabled.add((slug, plugin_id))
        self.state = state

    def _ensure_state(self) -> None:
        """Outside a request (CLI, jobs) load state once; requests refresh in the gate."""
        if self.state.version is None and has_app_context():
            self.refresh()

    def current_state(self) -> EnabledState:
        """The plugin state now, loaded first outside a request: what memos that last until a plugin
        is switched or its settings are saved compare by identity (a change makes a new object)."""
        if self.state.version is None:
            self._ensure_state()
        return self.state

    def is_enabled(self, plugin_id: str, group: Any = None) -> bool:
        """Site-wide state; for group-scope plugins with a group, also the group's switch."""
        if plugin_id == CORE_PLUGIN_ID:
            return True
        info = self.installed.get(plugin_id)
        if info is None or plugin_id not in self.state.site_enabled:
            return False
        if group is not None and info.meta.scope == "group":
            return (getattr(group, "id", group), plugin_id) in self.state.group_enabled
        return True

    def is_enabled_for_slug(self, plugin_id: str, slug: str) -> bool:
        """Like ``is_enabled`` with a group given by its slug (the route gate has no Group)."""
        info = self.installed.get(plugin_id)
        if info is None or not self.is_enabled(plugin_id):
            return False
        return info.meta.scope != "group" or (slug, plugin_id) in self.state.slug_enabled

    def enabled_ids(self, group: Any = None) -> list[str]:
        self._ensure_state()
        return [pid for pid in self.installed if self.is_enabled(pid, group)]

    def group_count(self, plugin_id: str) -> int:
        return sum(1 for _, pid in self.state.group_enabled if pid == plugin_id)

    def status(self, plugin_id: str) -> PluginStatus:
        """What admins see about one installed plugin (``KeyError`` if unknown)."""
        self._ensure_state()
        info = self.installed[plugin_id]
        hooks = tuple(self.hooks_of(plugin_id))
        return PluginStatus(
            id=info.id, name=info.meta.name, version=info.meta.version, description=info.meta.description,
            scope=info.meta.scope, hooks=hooks, enabled=self.is_enabled(plugin_id),
            group_count=self.group_count(plugin_id) if info.meta.scope == "group" else 0,
            has_settings="settings_schema" in hooks,
        )

    def statuses(self) -> list[PluginStatus]:
        return sorted((self.status(pid) for pid in self.installed), key=lambda s: (str(s.name).lower(), s.id))

    def group_features(self, group: Any) -> list[tuple[PluginInfo, bool]]:
        """Group-scope plugins enabled site-wide, with whether ``group`` has them on."""
        self._ensure_state()
        found = [(info, self.is_enabled(pid, group)) for pid, info in self.installed.items()
                 if info.meta.scope == "group" and self.is_enabled(pid)]
        return sorted(found, key=lambda pair: str(pair[0].meta.name).lower())

    # --- calling (the runner does it; these are the short spellings) --------------------------

    def call(self, name: str, /, *, group: Any = None, only: str | None = None, **kwargs: Any) -> list[Any]:
        """``HookRunner.call``: every enabled implementation's non-None result."""
        return self.runner.call(name, group=group, only=only, **kwargs)

    def call_first(self, name: str, /, *, group: Any = None, only: str | None = None, **kwargs: Any) -> Any:
        """``HookRunner.call_first``: the first non-None result, or None."""
        return self.runner.call_first(name, group=group, only=only, **kwargs)

    def outcomes(self, name: str, /, *, group: Any = None, only: str | None = None, **kwargs: Any) -> list:
        """``HookRunner.outcomes``: each plugin's result or error (for callers that must report failures)."""
        return self.runner.outcomes(name, group=group, only=only, **kwargs)

    def call_policy(self, name: str, /, **kwargs: Any) -> bool:
        """``HookRunner.call_policy``: all must agree (fails closed)."""
        return self.runner.call_policy(name, **kwargs)

    def call_flat(self, name: str, /, **kwargs: Any) -> list[Any]:
        """``HookRunner.call_flat``: list results flattened into one list."""
        return self.runner.call_flat(name, **kwargs)

    # --- blueprints -------------------------------------------------------------------------

    def plugin_for_blueprint(self, blueprint: str | None) -> str | None:
        if not blueprint:
            return None
        return self._blueprint_owner.get(blueprint.split(".")[0])

    def own_blueprint(self, plugin_id: str, blueprint_name: str) -> None:
        self._blueprint_owner[blueprint_name] = plugin_id
        if plugin_id in self.installed:
            self.installed[plugin_id].blueprints.append(blueprint_name)


def _renamed_specs() -> type:
    """A namespace of hookspecs for old hook names: the new spec's signature, warning on use."""
    namespace: dict[str, Any] = {}
    for old, new in hookspecs.RENAMED_HOOKS.items():
        spec = getattr(hookspecs, new)
        opts = dict(getattr(spec, f"{hookspecs.PROJECT}_spec", {}))
        opts["warn_on_impl"] = DeprecationWarning(
            f"the hook {old!r} was renamed to {new!r}; rename your implementation (the old name goes away)"
        )
        function = types.FunctionType(spec.__code__, spec.__globals__, old, spec.__defaults__, spec.__closure__)
        setattr(function, hookspecs.CONTRACT_ATTRIBUTE, hookspecs.contract_of(spec))
        namespace[old] = hookspecs.hookspec(**opts)(function)
    return type("RenamedHooks", (), namespace)


def get_plugins(app: Flask | None = None) -> Plugins:
    """The app's plugin registry (the current app's when ``app`` is not given). Asked a dozen times
    a page: the current app is taken from its context, not through the ``current_app`` proxy."""
    if app is None:
        context = _cv_app.get(None)
        app = current_app if context is None else context.app  # no context: Flask's own error
    return app.extensions["commonground.plugins"]


@lru_cache(maxsize=1)
def _version_statement() -> Any:
    """The state version's query, built once: a Core statement on the session's connection (it
    runs on every request, and building and ORM-executing it cost more than running it)."""
    from core.models import StateVersion

    table = StateVersion.__table__
    return db.select(table.c.version).where(table.c.id == 1)
