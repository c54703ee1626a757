"""Changing plugin state: enable/disable site-wide and per group, settings.

Every change bumps ``StateVersion`` in the same transaction, so every worker process
reloads on its next request. Lifecycle hooks are called on the plugin concerned.
Nothing here checks permissions: views, the API and the CLI ask ``core.permissions``.
"""
from __future__ import annotations

import logging
from typing import Any

from marshmallow import Schema, ValidationError, missing

from core.extensions import db
from core.models import GroupPluginState, PluginState, StateVersion
from core.plugins import PluginInfo, Plugins, get_plugins

log = logging.getLogger("commonground.plugins")


class UnknownPlugin(LookupError):
    """No installed plugin has that id."""


class NotGroupScoped(ValueError):
    """A site-scope plugin cannot be switched per group."""


class NotEnabledSiteWide(ValueError):
    """A group may only enable a plugin a site admin has enabled."""


class NoSettings(LookupError):
    """The plugin has no settings schema."""


def bump_version() -> None:
    """Tell every worker to reload plugin state on its next request (call inside the change)."""
    row = db.session.get(StateVersion, 1)
    if row is None:
        db.session.add(StateVersion(id=1, version=1))
    else:
        row.version = StateVersion.version + 1


def _require(plugins: Plugins, plugin_id: str) -> PluginInfo:
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


def set_enabled(plugin_id: str, enabled: bool, *, commit: bool = True) -> bool:
    """Enable or disable a plugin site-wide; returns whether anything changed.

    Disabling keeps the plugin's data and its per-group switches, so re-enabling brings
    everything back as it was.
    """
    plugins = get_plugins()
    _require(plugins, plugin_id)
    plugins.refresh()
    if plugins.is_enabled(plugin_id) == enabled:
        return False
    if not enabled:
        plugins.call("plugin_disabled", only=plugin_id, plugin_id=plugin_id, group=None)
    _row(plugin_id).enabled = enabled
    bump_version()
    db.session.flush()
    plugins.refresh(force=True)
    if enabled:
        plugins.call("plugin_enabled", only=plugin_id, plugin_id=plugin_id, group=None)
    if commit:
        db.session.commit()
    log.info("plugin %s %s site-wide", plugin_id, "enabled" if enabled else "disabled")
    return True


def set_group_enabled(plugin_id: str, group: Any, enabled: bool, *, commit: bool = True) -> bool:
    """Switch a group-scope plugin on or off for one group; returns whether anything changed."""
    plugins = get_plugins()
    info = _require(plugins, plugin_id)
    if info.meta.scope != "group":
        raise NotGroupScoped(plugin_id)
    plugins.refresh()
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
        return False
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
    log.info("plugin %s %s for group %s", plugin_id, "enabled" if enabled else "disabled", group.slug)
    return True


def settings_schema(plugin_id: str) -> type[Schema] | None:
    """The plugin's settings schema class, or None (also when its hook fails: logged)."""
    plugins = get_plugins()
    _require(plugins, plugin_id)
    for impl in plugins.pm.hook.settings_schema.get_hookimpls():
        if impl.plugin_name != plugin_id:
            continue
        try:
            schema = impl.function()
        except Exception:
            log.exception("plugin %s failed in hook settings_schema; showing no settings", plugin_id)
            return None
        if isinstance(schema, Schema):
            return type(schema)
        return schema
    return None


def _defaults(schema: Schema) -> dict[str, Any]:
    values = {}
    for name, fld in schema.load_fields.items():
        default = fld.load_default
        if default is not missing:
            values[fld.attribute or name] = default() if callable(default) else default
    return values


def _load_stored(plugin_id: str, schema: Schema, stored: dict[str, Any]) -> dict[str, Any]:
    """Stored values loaded through the schema over its defaults; values the schema no
    longer accepts (a plugin upgrade changed a field) fall back to the default, logged."""
    data = {k: v for k, v in stored.items() if k in {f.data_key or n for n, f in schema.load_fields.items()}}
    try:
        loaded = schema.load(data, partial=True)
    except ValidationError as err:
        bad = set(err.messages) if isinstance(err.messages, dict) else set()
        log.warning("plugin %s: stored settings %s no longer valid; using defaults", plugin_id, sorted(bad))
        try:
            loaded = schema.load({k: v for k, v in data.items() if k not in bad}, partial=True)
        except ValidationError:
            loaded = {}
    return {**_defaults(schema), **loaded}


def get_settings(plugin_id: str) -> dict[str, Any]:
    """Stored settings merged over the schema's defaults (works while disabled too)."""
    plugins = get_plugins()
    _require(plugins, plugin_id)
    plugins.enabled_ids()  # loads state outside requests
    cached = plugins.state.loaded_settings.get(plugin_id)
    if cached is None:
        stored = plugins.state.settings.get(plugin_id, {})
        schema_cls = settings_schema(plugin_id)
        cached = dict(stored) if schema_cls is None else _load_stored(plugin_id, schema_cls(), stored)
        plugins.state.loaded_settings[plugin_id] = cached
    return dict(cached)


def settings_form_values(plugin_id: str) -> dict[str, Any]:
    """Current settings as the schema serialises them (what a form or the API shows)."""
    schema_cls = settings_schema(plugin_id)
    if schema_cls is None:
        raise NoSettings(plugin_id)
    return schema_cls().dump(get_settings(plugin_id))


def save_settings(plugin_id: str, data: dict[str, Any], *, commit: bool = True) -> dict[str, Any]:
    """Validate with the plugin's schema (raises ``ValidationError``) and store."""
    _require(get_plugins(), plugin_id)
    schema_cls = settings_schema(plugin_id)
    if schema_cls is None:
        raise NoSettings(plugin_id)
    loaded = schema_cls().load(data)
    row = _row(plugin_id)
    row.settings = schema_cls().dump(loaded)
    bump_version()
    db.session.flush()
    get_plugins().refresh(force=True)
    if commit:
        db.session.commit()
    return loaded
