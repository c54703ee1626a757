"""Plugin discovery, enabled state, hook calling and fault isolation.

Plugins are found through the ``commonground.plugins`` entry-point group (built-in
ones too). Each plugin is a module with a ``META = PluginMeta(...)`` attribute and
``@hookimpl`` functions. State lives in the database; a version counter makes every
worker process pick up a change on its next request.

Hooks are not called through pluggy's all-or-nothing ``pm.hook.<name>(...)``: core walks
the implementations itself so that a disabled plugin is skipped (per site and per group)
and a failing one is logged with its id and dropped while the others still run.
"""
from __future__ import annotations

import importlib
import logging
import re
import types
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pluggy
from flask import Flask, abort, current_app, g, has_app_context, request
from markupsafe import Markup

from core import hookspecs
from core.extensions import db

log = logging.getLogger("commonground.plugins")

ENTRY_POINT_GROUP = "commonground.plugins"
CORE_PLUGIN_ID = "core"
SCOPES = ("site", "group")
PLUGIN_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")

# Where a hook's arguments lead to the group an event happened in (group-scope filtering).
_OBJECT_GROUP_PATHS = (("membership", ("group",)), ("post", ("group",)), ("comment", ("post", "group")))


class PluginError(RuntimeError):
    """A plugin is malformed (no META, id mismatch, unknown hook, bad hook arguments)."""


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


class PluginState:
    """A worker's in-memory view of enabled state, reloaded when the version changes."""

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
        self.state = PluginState()
        self._blueprint_owner: dict[str, str] = {}
        self._impl_cache: dict[str, tuple[tuple[Any, str, tuple[str, ...]], ...]] = {}

    # --- loading ----------------------------------------------------------------------------

    def load(self, app: Flask, explicit: Iterable[types.ModuleType | str] | None = None) -> None:
        """Register core defaults, then installed plugins (or ``explicit`` ones), then check.

        Entry points named in ``PLUGINS_BLOCKED`` are never imported. An installed plugin
        that fails to import or has no valid ``META`` is logged and skipped; a plugin that
        breaks the hook contract (unknown hook, wrong arguments) stops start-up, naming it.
        """
        from core import default_hooks

        self.pm.register(default_hooks, name=CORE_PLUGIN_ID)
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
            raise PluginError(
                f"plugin {pid!r} implements a hook that does not exist: {exc}. Fix the name, or set "
                f"COMMONGROUND_PLUGINS_BLOCKED={pid} to start without it."
            ) from exc

    def _discover(self, only: Iterable[str] | None) -> None:
        seen: set[str] = set()
        for ep in entry_points(group=ENTRY_POINT_GROUP):
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
            except PluginError as exc:
                if isinstance(exc.__cause__, pluggy.PluginValidationError):
                    raise
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
        try:
            self.pm.register(module, name=meta.id)
        except pluggy.PluginValidationError as exc:
            raise PluginError(f"plugin {meta.id!r} does not match the hook contract: {exc}") from exc
        for caller in self.pm.get_hookcallers(module) or []:
            for impl in caller.get_hookimpls():
                if impl.plugin_name == meta.id and (impl.wrapper or impl.hookwrapper):
                    self.pm.unregister(name=meta.id)
                    raise PluginError(f"plugin {meta.id!r}: hook wrappers are not supported ({caller.name})")
            if caller.name in hookspecs.RENAMED_HOOKS:
                log.warning("plugin %s implements %s, which was renamed to %s", meta.id, caller.name,
                            hookspecs.RENAMED_HOOKS[caller.name])
        info = PluginInfo(meta=meta, module=module)
        self.installed[meta.id] = info
        self._impl_cache.clear()
        return info

    def hooks_of(self, plugin_id: str) -> list[str]:
        """Names of the hooks a plugin implements (as it spelled them)."""
        plugin = self.pm.get_plugin(plugin_id)
        if plugin is None:
            return []
        return sorted({caller.name for caller in self.pm.get_hookcallers(plugin) or []})

    # --- state ------------------------------------------------------------------------------

    def refresh(self, force: bool = False) -> None:
        """Reload state if the database version moved (one cheap query per request)."""
        from core.models import Group, GroupPluginState, StateVersion
        from core.models import PluginState as StateRow

        version = db.session.scalar(db.select(StateVersion.version).where(StateVersion.id == 1)) or 0
        if not force and version == self.state.version:
            return
        state = PluginState(version)
        decided = set()
        for row in db.session.scalars(db.select(StateRow)):
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

    # --- calling ----------------------------------------------------------------------------

    def _hookimpls(self, name: str) -> tuple[tuple[Any, str, tuple[str, ...]], ...]:
        """(function, plugin id, argument names) of ``name``'s implementations (and of its old
        names) in call order; cached, as hooks run many times per page."""
        impls = self._impl_cache.get(name)
        if impls is None:
            found = list(reversed(getattr(self.pm.hook, name).get_hookimpls()))
            for old in self.aliases.get(name, ()):
                found.extend(reversed(getattr(self.pm.hook, old).get_hookimpls()))
            impls = self._impl_cache[name] = tuple((i.function, i.plugin_name, tuple(i.argnames)) for i in found)
        return impls

    def _impls(self, name: str, group: Any = None, only: str | None = None) -> Iterator[tuple[Any, str, tuple]]:
        """The implementations to call: enabled ones (for ``group``), or only ``only``."""
        if self.state.version is None:
            self._ensure_state()
        every_installed = name in hookspecs.CALLED_EVEN_WHEN_DISABLED
        site_enabled = self.state.site_enabled
        for impl in self._hookimpls(name):
            pid = impl[1]
            if only is not None and pid != only:
                continue
            if pid == CORE_PLUGIN_ID or every_installed:
                yield impl
            elif pid in site_enabled and (group is None or self.is_enabled(pid, group)):
                yield impl

    def call(self, name: str, /, *, group: Any = None, only: str | None = None, **kwargs: Any) -> list[Any]:
        """Call every enabled implementation; a failing one is logged and dropped.

        ``group`` limits group-scope plugins to those switched on for it and is passed to
        hooks that take a ``group`` argument; without it, core takes the group from a
        ``membership``, ``post`` or ``comment`` argument. ``only`` calls one plugin.
        Returns the non-None results in call order.
        """
        if group is None:
            group = _group_of(kwargs)
        kwargs.setdefault("group", group)
        results = []
        for function, pid, argnames in self._impls(name, group, only):
            try:
                result = function(**{k: kwargs[k] for k in argnames if k in kwargs})
            except Exception:
                log.exception("plugin %s failed in hook %s; its contribution is dropped", pid, name)
                if has_app_context() and current_app.config.get("PLUGINS_RAISE_ERRORS"):
                    raise
                continue
            if result is not None:
                results.append(result)
        return results

    def call_first(self, name: str, /, *, group: Any = None, only: str | None = None, **kwargs: Any) -> Any:
        """The first non-None result, or None."""
        results = self.call(name, group=group, only=only, **kwargs)
        return results[0] if results else None

    def call_policy(self, name: str, /, **kwargs: Any) -> bool:
        """All must agree: any False, or any exception, means no (fail closed).

        Group-scope plugins take part where the ``group`` (or ``post``...) argument has them on.
        """
        for function, pid, argnames in self._impls(name, _group_of(kwargs)):
            try:
                if function(**{k: kwargs[k] for k in argnames if k in kwargs}) is False:
                    return False
            except Exception:
                log.exception("plugin %s failed in policy hook %s; denying", pid, name)
                return False
        return True

    def call_flat(self, name: str, /, **kwargs: Any) -> list[Any]:
        """Like ``call`` for hooks returning lists; flattens them into one list."""
        out: list[Any] = []
        for result in self.call(name, **kwargs):
            out.extend(result)
        return out

    # --- web --------------------------------------------------------------------------------

    def render_slot(self, name: str, /, **context: Any) -> Markup:
        """What ``render_slot`` does, for this registry (the app's Jinja ``slot`` global)."""
        if name not in hookspecs.SLOTS:
            if current_app.testing or current_app.debug:
                raise KeyError(f"unknown template slot {name!r}")
            log.warning("template asked for unknown slot %r", name)
            return Markup("")
        parts = self.call("template_slot", group=_group_of(context), name=name, context=context)
        if not parts:
            return Markup("")
        return Markup("\n").join(Markup(p) for p in parts)

    def plugin_for_blueprint(self, blueprint: str | None) -> str | None:
        if not blueprint:
            return None
        return self._blueprint_owner.get(blueprint.split(".")[0])

    def own_blueprint(self, plugin_id: str, blueprint_name: str) -> None:
        self._blueprint_owner[blueprint_name] = plugin_id
        if plugin_id in self.installed:
            self.installed[plugin_id].blueprints.append(blueprint_name)


def _group_of(kwargs: dict[str, Any]) -> Any:
    group = kwargs.get("group")
    if group is not None:
        return group
    for key, path in _OBJECT_GROUP_PATHS:
        obj = kwargs.get(key)
        if obj is None:
            continue
        for attr in path:
            obj = getattr(obj, attr, None)
        if obj is not None:
            return obj
    return None


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
        namespace[old] = hookspecs.hookspec(**opts)(function)
    return type("RenamedHooks", (), namespace)


def get_plugins(app: Flask | None = None) -> Plugins:
    return (app or current_app).extensions["commonground.plugins"]


def call_hook(name: str, /, **kwargs: Any) -> list[Any]:
    """Call a hook on every enabled plugin (fault-isolated); returns non-None results."""
    return get_plugins().call(name, **kwargs)


def render_slot(name: str, **context: Any) -> Markup:
    """Jinja global ``slot(name, **ctx)``: joins what plugins contribute to a named slot.

    An unknown slot name raises while testing or debugging (a typo in a template) and is
    logged and rendered empty in production.
    """
    return get_plugins().render_slot(name, **context)


def init_app(app: Flask, explicit: Iterable[types.ModuleType | str] | None = None) -> Plugins:
    plugins = Plugins()
    app.extensions["commonground.plugins"] = plugins
    plugins.load(app, explicit)
    _register_plugin_blueprints(app, plugins)
    _register_plugin_commands(app, plugins)
    _add_plugin_translations(app, plugins)
    app.jinja_env.globals["slot"] = plugins.render_slot

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
            try:
                if isinstance(bp, ApiBlueprint):
                    api.register_blueprint(bp)
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


def _register_plugin_commands(app: Flask, plugins: Plugins) -> None:
    for impl in plugins.pm.hook.register_commands.get_hookimpls():
        try:
            impl.function(cli=app.cli)
        except Exception:
            log.exception("plugin %s failed in register_commands", impl.plugin_name)


def _add_plugin_translations(app: Flask, plugins: Plugins) -> None:
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
