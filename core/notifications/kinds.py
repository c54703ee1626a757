"""The app's notification kinds and email kinds, declared by core and plugins through hooks.

Each app builds its own registry once, while it is built (``init_app``), from
``register_notification_kinds`` and ``register_email_kinds`` of every installed plugin, and
keeps it at ``app.extensions["commonground.kinds"]``: nothing is module-global, so two apps
in one process (tests, several workers) never see each other's kinds. A kind remembers the
plugin that declared it, which is how a disabled plugin's notifications and email settings
disappear (and come back when it is enabled again) without touching the stored rows.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app
from sqlalchemy import ColumnElement, and_, exists, false, or_, select

from core.plugins.specs import EmailKind, NotificationKind
from core.sql_constants import sql_constant

log = logging.getLogger("commonground.notifications")

EXTENSION = "commonground.kinds"
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class UnknownKind(LookupError):
    """``notify`` or ``render_email`` was asked for a kind nobody declared."""


@dataclass(frozen=True)
class Registered:
    """A declared kind and the plugin (or ``"core"``) that declared it."""

    kind: Any
    plugin_id: str

    @property
    def name(self) -> str:
        return self.kind.name


class KindRegistry:
    """Notification kinds and email kinds of one app, each with the plugin that declared it."""

    def __init__(self) -> None:
        self.notification: dict[str, Registered] = {}
        self.email: dict[str, Registered] = {}
        self._per_state: tuple[Any, dict[str, Any]] = (None, {})

    def declare(self, table: dict[str, Registered], kind: Any, plugin_id: str, what: str) -> None:
        """Add one kind; a second declaration of a name stops start-up naming both plugins."""
        from core.plugins import PluginError

        expected = NotificationKind if what == "notification" else EmailKind
        if not isinstance(kind, expected):
            raise PluginError(f"plugin {plugin_id!r}: register_{what}_kinds must return {expected.__name__} "
                              f"objects, not {kind!r}")
        if not NAME_PATTERN.match(kind.name or ""):
            raise PluginError(f"plugin {plugin_id!r} declares the {what} kind {kind.name!r}: a kind's name is "
                              "lowercase letters, digits and underscores, at most 40 characters")
        earlier = table.get(kind.name)
        if earlier is not None:
            by = "itself" if earlier.plugin_id == plugin_id else f"plugin {earlier.plugin_id!r}"
            raise PluginError(f"plugin {plugin_id!r} declares the {what} kind {kind.name!r}, which {by} "
                              "already declared; give the kind another name (start it with your plugin id)")
        table[kind.name] = Registered(kind, plugin_id)

    # --- which kinds count now ------------------------------------------------------------------

    def is_active(self, plugin_id: str, group: Any = None) -> bool:
        """Whether the plugin that declared a kind is enabled (in ``group``, for group plugins)."""
        from core.plugins import CORE_PLUGIN_ID, get_plugins

        if plugin_id == CORE_PLUGIN_ID:
            return True
        plugins = get_plugins()
        plugins._ensure_state()
        return plugins.is_enabled(plugin_id, group)

    def notification_kind(self, name: str) -> Registered:
        found = self.notification.get(name)
        if found is None:
            raise UnknownKind(f"no notification kind {name!r}: declare it with the register_notification_kinds hook")
        return found

    def email_kind(self, name: str) -> Registered:
        found = self.email.get(name)
        if found is None:
            raise UnknownKind(f"no email kind {name!r}: declare it with the register_email_kinds hook")
        return found

    def choosable_email_kinds(self) -> dict[str, EmailKind]:
        """Email kinds members may switch on or off now: labelled, of core or an enabled plugin."""
        return {name: entry.kind for name, entry in self.email.items()
                if entry.kind.label is not None and self.is_active(entry.plugin_id)}

    def per_state(self, key: str, build: Callable[[], Any]) -> Any:
        """``build()``, remembered until the plugin state changes (SQL built from which kinds count)."""
        from core.plugins import get_plugins

        current = get_plugins().current_state()
        state, memo = self._per_state
        if state is not current:
            memo = {}
            self._per_state = (current, memo)
        if key not in memo:
            memo[key] = build()
        return memo[key]

    def visible(self, note: Any) -> ColumnElement[bool]:
        """SQL condition for notifications a member sees now (``note`` is the ``Notification`` model).

        Core's kinds and those of enabled site plugins always; a group plugin's kinds outside
        groups, or in groups that switched it on; kinds nobody declares (an uninstalled plugin)
        never. Built once per plugin-state version, so a request pays nothing for it.
        """
        return self.per_state("visible", lambda: self._build_visible(note))

    def _build_visible(self, note: Any) -> ColumnElement[bool]:
        from core.models import GroupPluginState
        from core.plugins import get_plugins

        plugins = get_plugins()
        everywhere: list[str] = []
        per_group: dict[str, list[str]] = {}
        for name, entry in sorted(self.notification.items()):
            if not self.is_active(entry.plugin_id):
                continue
            info = plugins.installed.get(entry.plugin_id)
            if info is not None and info.meta.scope == "group":
                per_group.setdefault(entry.plugin_id, []).append(name)
            else:
                everywhere.append(name)
        parts: list[ColumnElement[bool]] = []
        if everywhere:
            parts.append(note.kind.in_(_values(everywhere)))
        for plugin_id, names in per_group.items():
            switched_on = exists(select(GroupPluginState.id).where(
                GroupPluginState.group_id == note.group_id, GroupPluginState.plugin_id == sql_constant(plugin_id),
                GroupPluginState.enabled.is_(True)))
            parts.append(and_(note.kind.in_(_values(names)), or_(note.group_id.is_(None), switched_on)))
        return or_(*parts) if parts else false()


def _values(names: list[str]) -> list[Any]:
    """Each kind as a constant in the SQL (``kind IN ('reply', …)``): not an expanding ``IN``, which
    SQLAlchemy renders into the SQL again each time the unread count runs (every logged-in page),
    and not a bound parameter per kind, which it processes on each run (each plugin adds kinds).
    Safe to write out: a kind's name is lowercase letters, digits and underscores (``NAME_PATTERN``,
    checked again here)."""
    for name in names:
        if not NAME_PATTERN.match(name):
            raise ValueError(f"not a notification kind's name: {name!r}")
    return [sql_constant(name) for name in names]


def registry(app: Flask | None = None) -> KindRegistry:
    """The registry of ``app`` (default: the current app)."""
    return (app or current_app).extensions[EXTENSION]


def init_app(app: Flask) -> KindRegistry:
    """Ask every installed plugin (and core) for its kinds; call after the plugins are loaded.

    A plugin whose hook raises loses its kinds (logged with its id), as with its blueprints;
    a malformed or twice-declared kind stops start-up.
    """
    from core.plugins import CORE_PLUGIN_ID, PluginError, get_plugins

    plugins = get_plugins(app)
    kinds = KindRegistry()
    for hook, table, what in (("register_notification_kinds", kinds.notification, "notification"),
                              ("register_email_kinds", kinds.email, "email")):
        # Core first, so a plugin reusing one of core's names is the one named as declaring it twice.
        outcomes = sorted(plugins.outcomes(hook), key=lambda o: o.plugin_id != CORE_PLUGIN_ID)
        for outcome in outcomes:
            if outcome.error is not None:  # the runner logged it with the plugin's id
                if app.config.get("PLUGINS_RAISE_ERRORS"):
                    raise outcome.error
                if outcome.plugin_id == CORE_PLUGIN_ID:
                    raise PluginError(f"core failed to declare its {what} kinds: {outcome.error}") from outcome.error
                continue
            for kind in outcome.result or []:
                kinds.declare(table, kind, outcome.plugin_id, what)
    app.extensions[EXTENSION] = kinds
    return kinds
