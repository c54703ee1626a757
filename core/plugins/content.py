"""Content other features act on (hook ``content_types``), refused where its plugin is off.

Reporting, export and moderation find any plugin's items through the ``ContentType``s the
hook returns. For a group-scope plugin an item belongs to a group (``ContentType.group_id``);
where the plugin is switched off in that group core answers as if the item did not exist:
``load`` gives None and ``visible_to`` False. No feature acting on content has to remember the
plugin switches, and no plugin has to check its own.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from core.plugins.registry import Plugins, get_plugins
from core.plugins.specs import ContentType


def content_types(group: Any = None) -> list[ContentType]:
    """Every enabled plugin's (and core's) content types, each marked with its ``plugin_id``;
    with ``group``, only those of plugins on in that group."""
    plugins = get_plugins()
    found: list[ContentType] = []
    for outcome in plugins.runner.outcomes("content_types", group=group):
        if outcome.error is not None or not outcome.result:
            continue
        found.extend(_guarded(plugins, outcome.plugin_id, kind) for kind in outcome.result)
    return found


def _guarded(plugins: Plugins, plugin_id: str, kind: ContentType) -> ContentType:
    kind = replace(kind, plugin_id=plugin_id)
    info = plugins.installed.get(plugin_id)
    if info is None or info.meta.scope != "group":
        return kind
    load, visible_to, group_id = kind.load, kind.visible_to, kind.group_id

    def switched_on(item: Any) -> bool:
        where = group_id(item)
        return where is not None and plugins.is_enabled(plugin_id, where)

    def load_where_on(item_id: Any) -> Any:
        item = load(item_id)
        return item if item is not None and switched_on(item) else None

    def visible_where_on(item: Any, user: Any) -> bool:
        return switched_on(item) and bool(visible_to(item, user))

    return replace(kind, load=load_where_on, visible_to=visible_where_on)
