"""Changing plugin state: enable/disable site-wide and per group, settings.

Every change bumps ``StateVersion`` in the same transaction, so every worker process
reloads on its next request. Lifecycle hooks are called on the plugin concerned.
"""
from __future__ import annotations

from typing import Any

from marshmallow import Schema

from core.extensions import db
from core.models import GroupPluginState, PluginState, StateVersion
from core.plugins import Plugins, get_plugins


class UnknownPlugin(LookupError):
    """No installed plugin has that id."""


class NotGroupScoped(ValueError):
    """A site-scope plugin cannot be switched per group."""


class NotEnabledSiteWide(ValueError):
    """A group may only enable a plugin a site admin has enabled."""


def bump_version() -> None:
    row = db.session.get(StateVersion, 1)
    if row is None:
        db.session.add(StateVersion(id=1, version=1))
    else:
        row.version = StateVersion.version + 1


def _require(plugins: Plugins, plugin_id: str):
    info = plugins.installed.get(plugin_id)
    if info is None:
        raise UnknownPlugin(plugin_id)
    return info


def _row(plugin_id: str) -> PluginState:
    row = db.session.get(PluginState, plugin_id)
    if row is None:
        row = PluginState(plugin_id=plugin_id, enabled=False, settings={})
        db.session.add(row)
    return row


def set_enabled(plugin_id: str, enabled: bool, *, commit: bool = True) -> None:
    """Enable or disable a plugin site-wide."""
    plugins = get_plugins()
    _require(plugins, plugin_id)
    row = _row(plugin_id)
    if row.enabled == enabled:
        return
    if not enabled:
        plugins.call("plugin_disabled", only=plugin_id, plugin_id=plugin_id, group=None)
    row.enabled = enabled
    bump_version()
    db.session.flush()
    plugins.refresh(force=True)
    if enabled:
        plugins.call("plugin_enabled", only=plugin_id, plugin_id=plugin_id, group=None)
    if commit:
        db.session.commit()


def set_group_enabled(plugin_id: str, group: Any, enabled: bool, *, commit: bool = True) -> None:
    """Switch a group-scope plugin on or off for one group."""
    plugins = get_plugins()
    info = _require(plugins, plugin_id)
    if info.meta.scope != "group":
        raise NotGroupScoped(plugin_id)
    if enabled and not plugins.is_enabled(plugin_id):
        raise NotEnabledSiteWide(plugin_id)
    row = db.session.scalar(
        db.select(GroupPluginState).where(GroupPluginState.group_id == group.id,
                                          GroupPluginState.plugin_id == plugin_id)
    )
    if row is None:
        row = GroupPluginState(group_id=group.id, plugin_id=plugin_id, enabled=False)
        db.session.add(row)
    if row.enabled == enabled:
        return
    if not enabled:
        plugins.call("plugin_disabled", group=group, only=plugin_id, plugin_id=plugin_id)
    row.enabled = enabled
    bump_version()
    db.session.flush()
    plugins.refresh(force=True)
    if enabled:
        plugins.call("plugin_enabled", group=group, only=plugin_id, plugin_id=plugin_id)
    if commit:
        db.session.commit()


def settings_schema(plugin_id: str) -> type[Schema] | None:
    plugins = get_plugins()
    _require(plugins, plugin_id)
    impls = [i for i in plugins.pm.hook.settings_schema.get_hookimpls() if i.plugin_name == plugin_id]
    return impls[0].function() if impls else None


def get_settings(plugin_id: str) -> dict[str, Any]:
    """Stored settings merged over the schema's defaults (works while disabled too)."""
    schema_cls = settings_schema(plugin_id)
    stored = get_plugins().state.settings.get(plugin_id, {})
    if schema_cls is None:
        return dict(stored)
    schema = schema_cls()
    defaults = schema.load({})
    defaults.update({k: v for k, v in stored.items() if k in schema.fields})
    return defaults


def save_settings(plugin_id: str, data: dict[str, Any], *, commit: bool = True) -> dict[str, Any]:
    """Validate with the plugin's schema (raises ``ValidationError``) and store."""
    schema_cls = settings_schema(plugin_id)
    if schema_cls is None:
        raise UnknownPlugin(plugin_id)
    loaded = schema_cls().load(data)
    row = _row(plugin_id)
    row.settings = schema_cls().dump(loaded)
    bump_version()
    db.session.flush()
    get_plugins().refresh(force=True)
    if commit:
        db.session.commit()
    return loaded
