"""The hook runner: the one place core calls plugin hooks.

Hooks are not called through pluggy's all-or-nothing ``pm.hook.<name>(...)``: core walks
the implementations itself so that a disabled plugin is skipped (per site and per group)
and a failing one is logged with its id and dropped while the others still run.
"""
from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from flask import current_app, has_app_context
from markupsafe import Markup

from core.plugins import specs

if TYPE_CHECKING:
    from core.plugins.registry import Plugins

log = logging.getLogger("commonground.plugins")

CORE_PLUGIN_ID = "core"

# Where a hook's arguments lead to the group an event happened in (group-scope filtering).
_OBJECT_GROUP_PATHS = (("membership", ("group",)), ("post", ("group",)), ("comment", ("post", "group")))

Impl = tuple[Any, str, tuple[str, ...]]


class HookRunner:
    """Calls one app's hook implementations; lives at ``Plugins.runner``."""

    def __init__(self, plugins: Plugins) -> None:
        self.plugins = plugins
        self._impl_cache: dict[str, tuple[Impl, ...]] = {}

    def forget(self) -> None:
        """Drop cached implementation lists (a plugin was registered)."""
        self._impl_cache.clear()

    def _hookimpls(self, name: str) -> tuple[Impl, ...]:
        """(function, plugin id, argument names) of ``name``'s implementations (and of its old
        names) in call order; cached, as hooks run many times per page."""
        impls = self._impl_cache.get(name)
        if impls is None:
            pm = self.plugins.pm
            found = list(reversed(getattr(pm.hook, name).get_hookimpls()))
            for old in self.plugins.aliases.get(name, ()):
                found.extend(reversed(getattr(pm.hook, old).get_hookimpls()))
            impls = self._impl_cache[name] = tuple((i.function, i.plugin_name, tuple(i.argnames)) for i in found)
        return impls

    def _impls(self, name: str, group: Any = None, only: str | None = None) -> Iterator[Impl]:
        """The implementations to call: enabled ones (for ``group``), or only ``only``."""
        plugins = self.plugins
        if plugins.state.version is None:
            plugins._ensure_state()
        every_installed = name in specs.CALLED_EVEN_WHEN_DISABLED
        site_enabled = plugins.state.site_enabled
        for impl in self._hookimpls(name):
            pid = impl[1]
            if only is not None and pid != only:
                continue
            if pid == CORE_PLUGIN_ID or every_installed:
                yield impl
            elif pid in site_enabled and (group is None or plugins.is_enabled(pid, group)):
                yield impl

    def call(self, name: str, /, *, group: Any = None, only: str | None = None, **kwargs: Any) -> list[Any]:
        """Call every enabled implementation; a failing one is logged and dropped.

        ``group`` limits group-scope plugins to those switched on for it and is passed to
        hooks that take a ``group`` argument; without it, core takes the group from a
        ``membership``, ``post`` or ``comment`` argument. ``only`` calls one plugin.
        Returns the non-None results in call order.
        """
        if group is None:
            group = group_of(kwargs)
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
        for function, pid, argnames in self._impls(name, group_of(kwargs)):
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

    def render_slot(self, name: str, /, **context: Any) -> Markup:
        """Join what plugins contribute to a named template slot (the Jinja ``slot`` global).

        An unknown slot name raises while testing or debugging (a typo in a template) and is
        logged and rendered empty in production.
        """
        if name not in specs.SLOTS:
            if current_app.testing or current_app.debug:
                raise KeyError(f"unknown template slot {name!r}")
            log.warning("template asked for unknown slot %r", name)
            return Markup("")
        parts = self.call("template_slot", group=group_of(context), name=name, context=context)
        if not parts:
            return Markup("")
        return Markup("\n").join(Markup(p) for p in parts)


def group_of(kwargs: dict[str, Any]) -> Any:
    """The group a hook call concerns: its ``group`` argument, or that of its post/comment/membership."""
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
