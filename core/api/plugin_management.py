"""API: plugins for site admins (list, enable, settings) and group features for group admins.

Callers who may not manage plugins get 404, as for anything they may not see.
"""
from __future__ import annotations

from flask_smorest import Blueprint, abort
from marshmallow import ValidationError

from core.api.access import not_found, require_user
from core.groups.queries import load_group
from core.models import Group
from core.permissions import can_manage_group_plugins, can_manage_plugins
from core.plugins import PluginStatus, get_plugins
from core.plugins import settings as plugin_settings
from core.plugins import state as plugin_state
from core.plugins.settings import describe_schema
from core.schemas.error_messages import field_errors
from core.schemas.plugin_management import GroupPluginSchema, PluginSchema, PluginSettingsSchema, SettingsInputSchema

blp = Blueprint("api_plugins", __name__, url_prefix="/api/v1", description="plugins")

SECURITY = [{"bearerAuth": []}, {"cookieAuth": []}]


def _admin() -> None:
    if not can_manage_plugins(require_user()):
        not_found("Not found.")


def _status(plugin_id: str) -> PluginStatus:
    _admin()
    plugins = get_plugins()
    if plugin_id not in plugins.installed:
        not_found("Plugin not found.")
    return plugins.status(plugin_id)


@blp.get("/plugins")
@blp.response(200, PluginSchema(many=True))
@blp.doc(security=SECURITY)
def list_plugins():
    """Every installed plugin with version, scope, hooks and state (site admins)."""
    _admin()
    return get_plugins().statuses()


@blp.get("/plugins/<plugin_id>")
@blp.response(200, PluginSchema)
@blp.doc(security=SECURITY)
def get_plugin(plugin_id: str):
    """One installed plugin (site admins)."""
    return _status(plugin_id)


@blp.post("/plugins/<plugin_id>/enable")
@blp.response(200, PluginSchema)
@blp.doc(security=SECURITY)
def enable_plugin(plugin_id: str):
    """Enable site-wide; every worker sees it on its next request."""
    _status(plugin_id)
    plugin_state.set_enabled(plugin_id, True)
    return get_plugins().status(plugin_id)


@blp.post("/plugins/<plugin_id>/disable")
@blp.response(200, PluginSchema)
@blp.doc(security=SECURITY)
def disable_plugin(plugin_id: str):
    """Disable site-wide; its routes answer 404 and its data is kept."""
    _status(plugin_id)
    plugin_state.set_enabled(plugin_id, False)
    return get_plugins().status(plugin_id)


def _settings_schema(plugin_id: str):
    _status(plugin_id)
    schema_cls = plugin_settings.settings_schema(plugin_id)
    if schema_cls is None:
        not_found("This plugin has no settings.")
    return schema_cls


def _settings_body(plugin_id: str, schema_cls) -> dict:
    return {"values": schema_cls().dump(plugin_settings.get_settings(plugin_id)),
            "form": [f.as_dict() for f in describe_schema(schema_cls())]}


@blp.get("/plugins/<plugin_id>/settings")
@blp.response(200, PluginSettingsSchema)
@blp.doc(security=SECURITY)
def get_settings(plugin_id: str):
    """Current settings and the fields that describe them (site admins)."""
    return _settings_body(plugin_id, _settings_schema(plugin_id))


@blp.put("/plugins/<plugin_id>/settings")
@blp.arguments(SettingsInputSchema)
@blp.response(200, PluginSettingsSchema)
@blp.doc(security=SECURITY)
def put_settings(changes: dict, plugin_id: str):
    """Change some or all settings; fields not sent keep their value. 422 names invalid fields."""
    schema_cls = _settings_schema(plugin_id)
    merged = {**schema_cls().dump(plugin_settings.get_settings(plugin_id)), **changes}
    try:
        plugin_settings.save_settings(plugin_id, merged)
    except ValidationError as err:
        abort(422, message="Invalid settings.", messages={"json": field_errors(err)})
    return _settings_body(plugin_id, schema_cls)


def _managed_group(slug: str) -> Group:
    user = require_user()
    context = load_group(slug, user)
    if context is None or not can_manage_group_plugins(user, context.group):
        not_found("Group not found.")
    return context.group


def _group_plugin(group: Group, plugin_id: str):
    plugins = get_plugins()
    info = plugins.installed.get(plugin_id)
    if info is None or info.meta.scope != "group" or not plugins.is_enabled(plugin_id):
        not_found("No such group feature.")
    return info


def _group_plugin_body(info, group: Group) -> dict:
    return {"id": info.id, "name": info.meta.name, "version": info.meta.version,
            "description": info.meta.description, "enabled": get_plugins().is_enabled(info.id, group)}


@blp.get("/groups/<slug>/plugins")
@blp.response(200, GroupPluginSchema(many=True))
@blp.doc(security=SECURITY)
def list_group_plugins(slug: str):
    """Group features a site admin enabled, and whether this group has each on (group admins)."""
    group = _managed_group(slug)
    return [_group_plugin_body(info, group) for info, _on in get_plugins().group_features(group)]


@blp.post("/groups/<slug>/plugins/<plugin_id>/enable")
@blp.response(200, GroupPluginSchema)
@blp.doc(security=SECURITY)
def enable_group_plugin(slug: str, plugin_id: str):
    """Switch a group feature on for this group."""
    group = _managed_group(slug)
    info = _group_plugin(group, plugin_id)
    plugin_state.set_group_enabled(plugin_id, group, True)
    return _group_plugin_body(info, group)


@blp.post("/groups/<slug>/plugins/<plugin_id>/disable")
@blp.response(200, GroupPluginSchema)
@blp.doc(security=SECURITY)
def disable_group_plugin(slug: str, plugin_id: str):
    """Switch a group feature off for this group; its data is kept."""
    group = _managed_group(slug)
    info = _group_plugin(group, plugin_id)
    plugin_state.set_group_enabled(plugin_id, group, False)
    return _group_plugin_body(info, group)


def _group_settings_schema(group: Group, plugin_id: str):
    info = _group_plugin(group, plugin_id)
    schema_cls = plugin_settings.group_settings_schema(plugin_id)
    if schema_cls is None:
        not_found("This group feature has no settings.")
    return info, schema_cls


def _group_settings_body(plugin_id: str, group: Group, schema_cls) -> dict:
    return {"values": schema_cls().dump(plugin_settings.get_group_settings(plugin_id, group)),
            "form": [f.as_dict() for f in describe_schema(schema_cls())]}


@blp.get("/groups/<slug>/plugins/<plugin_id>/settings")
@blp.response(200, PluginSettingsSchema)
@blp.doc(security=SECURITY)
def get_group_settings(slug: str, plugin_id: str):
    """This group's own settings for a group feature, and the fields that describe them (group admins)."""
    group = _managed_group(slug)
    _info, schema_cls = _group_settings_schema(group, plugin_id)
    return _group_settings_body(plugin_id, group, schema_cls)


@blp.put("/groups/<slug>/plugins/<plugin_id>/settings")
@blp.arguments(SettingsInputSchema)
@blp.response(200, PluginSettingsSchema)
@blp.doc(security=SECURITY)
def put_group_settings(changes: dict, slug: str, plugin_id: str):
    """Change some or all of this group's settings for a feature; 422 names the plugin and each invalid field."""
    group = _managed_group(slug)
    info, schema_cls = _group_settings_schema(group, plugin_id)
    merged = {**schema_cls().dump(plugin_settings.get_group_settings(plugin_id, group)), **changes}
    try:
        plugin_settings.save_group_settings(plugin_id, group, merged)
    except ValidationError as err:
        messages = err.messages if isinstance(err.messages, dict) else {"_schema": err.messages}
        abort(422, message=f"Invalid settings for {info.meta.name} ({plugin_id}).", messages={"json": messages})
    return _group_settings_body(plugin_id, group, schema_cls)
