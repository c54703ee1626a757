"""Changing plugin state: enable/disable site-wide and per group; forget an uninstalled plugin.

Every change bumps ``StateVersion`` in the same transaction, so every worker process
reloads on its next request. Lifecycle hooks are called on the plugin concerned.
Nothing here checks permissions: views, the API and the CLI ask ``core.permissions``.
"""
from __future__ import annotations

import logging
from typing import Any

from core.extensions import db
from core.models import GroupPluginState, PluginState, StateVersion
from core.plugins.registry import PluginInfo, Plugins, get_plugins

log = logging.getLogger("commonground.plugins")


class UnknownPlugin(LookupError):
    """No installed plugin has that id."""


class StillInstalled(ValueError):
    """Only a plugin that is gone from the site can be forgotten; this one is loaded, blocked or failing."""


class NotGroupScoped(ValueError):
    """A site-scope plugin cannot be switched per group."""


class NotEnabledSiteWide(ValueError):
    """A group may only enable a plugin a site admin has enabled."""


def bump_version() -> None:
    """Tell every worker to reload plugin state on its next request (call inside the change)."""
    row = db.session.get(StateVersion, 1)
    if row is None:
        db.session.add(StateVersion(id=1, version=1))
    else:
        row.version = StateVersion.version + 1


def require_installed(plugins: Plugins, plugin_id: str) -> PluginInfo:
    info = plugins.installed.get(plugin_id)
    if info is None:
        raise UnknownPlugin(plugin_id)
    return info


def state_row(plugin_id: str) -> PluginState:
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
    require_installed(plugins, plugin_id)
    plugins.refresh()
    if plugins.is_enabled(plugin_id) == enabled:
        return False
    if not enabled:
        plugins.call("plugin_disabled", only=plugin_id, plugin_id=plugin_id, group=None)
    state_row(plugin_id).enabled = enabled
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
    info = require_installed(plugins, plugin_id)
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


def forget(plugin_id: str) -> bool:
    """Delete the state of a plugin no longer installed (its switches, its settings per site and group);
    returns whether there was any. Its tables are left in place.

    A state row tells the clean-up of stored files (``core.storage.orphans``) that the plugin may
    name files it cannot ask about, so the clean-up waits; after an uninstall for good, forgetting
    the plugin lets it go on, and files only that plugin's tables named are deleted as orphans.
    A blocked plugin, or one failing to load, is still installed: it may come back with its data.
    """
    plugins = get_plugins()
    if plugin_id in plugins.installed or plugin_id in plugins.blocked or plugin_id in plugins.failed:
        raise StillInstalled(plugin_id)
    site = db.session.execute(db.delete(PluginState).where(PluginState.plugin_id == plugin_id)).rowcount
    groups = db.session.execute(db.delete(GroupPluginState).where(GroupPluginState.plugin_id == plugin_id)).rowcount
    if not site and not groups:
        db.session.rollback()
        return False
    bump_version()
    db.session.commit()
    log.info("plugin %s forgotten: its state is deleted (%s group switches)", plugin_id, groups)
    return True
