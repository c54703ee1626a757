"""Plugin settings: the schema a plugin declares, stored values, and the form made from it.

A plugin author writes one marshmallow schema (hook ``settings_schema``; a group-scope
plugin may add ``group_settings_schema`` for each group's own settings) and gets a
validated form and a documented API endpoint. Labels and help come from the field's
``metadata`` (``label``, ``description``); a field without a label gets its name with
underscores turned into spaces. Site-wide values live in ``PluginState.settings``, a
group's in ``GroupPluginState.settings``.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from flask import g, has_request_context
from marshmallow import Schema, ValidationError, fields, missing, validate

from core.extensions import db
from core.models import GroupPluginState
from core.plugins.registry import get_plugins
from core.plugins.state import NotGroupScoped, bump_version, require_installed, state_row

log = logging.getLogger("commonground.plugins")


class NoSettings(LookupError):
    """The plugin has no settings schema."""


@dataclass(frozen=True)
class SettingsField:
    """One input: ``kind`` is text, email, url, number, checkbox, select or textarea."""

    name: str
    label: str
    kind: str
    required: bool = False
    help: str | None = None
    choices: tuple[tuple[str, str], ...] = ()
    step: str | None = None
    min: Any = None
    max: Any = None
    maxlength: int | None = None
    default: Any = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "label": self.label, "kind": self.kind, "required": self.required,
            "help": self.help, "choices": [{"value": v, "label": lbl} for v, lbl in self.choices],
            "step": self.step, "min": self.min, "max": self.max, "maxlength": self.maxlength,
            "default": self.default,
        }


def _validators(field: fields.Field, kind: type) -> list:
    return [v for v in field.validators if isinstance(v, kind)]


def _kind(field: fields.Field) -> tuple[str, str | None]:
    if _validators(field, validate.OneOf):
        return "select", None
    if isinstance(field, fields.Boolean):
        return "checkbox", None
    if isinstance(field, fields.Integer):
        return "number", "1"
    if isinstance(field, fields.Number):
        return "number", "any"
    if isinstance(field, fields.Email) or _validators(field, validate.Email):
        return "email", None
    if isinstance(field, fields.Url) or _validators(field, validate.URL):
        return "url", None
    if field.metadata.get("multiline"):
        return "textarea", None
    return "text", None


def describe_field(name: str, field: fields.Field) -> SettingsField:
    kind, step = _kind(field)
    choices: tuple[tuple[str, str], ...] = ()
    for one_of in _validators(field, validate.OneOf):
        choices = tuple((str(value), str(label or value)) for value, label in one_of.options())
    minimum = maximum = maxlength = None
    for rng in _validators(field, validate.Range):
        minimum, maximum = rng.min, rng.max
    for length in _validators(field, validate.Length):
        maxlength = length.max
    default = field.load_default
    if default is missing:
        default = None
    elif callable(default):
        default = default()
    return SettingsField(
        name=field.data_key or name,
        label=str(field.metadata.get("label") or name.replace("_", " ").capitalize()),
        kind=kind,
        required=bool(field.required),
        help=str(field.metadata["description"]) if field.metadata.get("description") else None,
        choices=choices,
        step=step,
        min=minimum,
        max=maximum,
        maxlength=maxlength,
        default=default,
    )


def describe_schema(schema: Schema) -> list[SettingsField]:
    """The schema's loadable fields in declaration order."""
    return [describe_field(name, field) for name, field in schema.load_fields.items()]


def settings_schema(plugin_id: str) -> type[Schema] | None:
    """The plugin's settings schema class, or None (also when its hook fails: logged)."""
    plugins = get_plugins()
    require_installed(plugins, plugin_id)
    schema = plugins.call_first("settings_schema", only=plugin_id)
    return type(schema) if isinstance(schema, Schema) else schema


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
    require_installed(plugins, plugin_id)
    plugins.enabled_ids()  # loads state outside requests
    cached = plugins.state.loaded_settings.get(plugin_id)
    if cached is None:
        stored = plugins.state.settings.get(plugin_id, {})
        schema_cls = settings_schema(plugin_id)
        cached = dict(stored) if schema_cls is None else _load_stored(plugin_id, schema_cls(), stored)
        plugins.state.loaded_settings[plugin_id] = cached
    return dict(cached)


def save_settings(plugin_id: str, data: dict[str, Any], *, commit: bool = True) -> dict[str, Any]:
    """Validate with the plugin's schema (raises ``ValidationError``) and store."""
    require_installed(get_plugins(), plugin_id)
    schema_cls = settings_schema(plugin_id)
    if schema_cls is None:
        raise NoSettings(plugin_id)
    loaded = schema_cls().load(data)
    row = state_row(plugin_id)
    row.settings = schema_cls().dump(loaded)
    bump_version()
    db.session.flush()
    get_plugins().refresh(force=True)
    if commit:
        db.session.commit()
    return loaded


def group_settings_schema(plugin_id: str) -> type[Schema] | None:
    """A group-scope plugin's per-group settings schema class, or None (none, or its hook failed: logged)."""
    plugins = get_plugins()
    if require_installed(plugins, plugin_id).meta.scope != "group":
        return None
    schema = plugins.call_first("group_settings_schema", only=plugin_id)
    return type(schema) if isinstance(schema, Schema) else schema


def _group_row(plugin_id: str, group: Any) -> GroupPluginState | None:
    return db.session.scalar(db.select(GroupPluginState).where(GroupPluginState.group_id == group.id,
                                                               GroupPluginState.plugin_id == plugin_id))


def get_group_settings(plugin_id: str, group: Any) -> dict[str, Any]:
    """``group``'s settings for a group-scope plugin over the schema's defaults (one query per request)."""
    memo = g.setdefault("_group_plugin_settings", {}) if has_request_context() else {}
    key = (plugin_id, group.id)
    if key not in memo:
        row = _group_row(plugin_id, group)
        stored = dict(row.settings or {}) if row is not None else {}
        schema_cls = group_settings_schema(plugin_id)
        memo[key] = stored if schema_cls is None else _load_stored(plugin_id, schema_cls(), stored)
    return dict(memo[key])


def save_group_settings(plugin_id: str, group: Any, data: dict[str, Any], *, commit: bool = True) -> dict[str, Any]:
    """Validate ``group``'s settings for a plugin with its group schema (raises ``ValidationError``
    naming each field; nothing is stored then) and store them."""
    info = require_installed(get_plugins(), plugin_id)
    if info.meta.scope != "group":
        raise NotGroupScoped(plugin_id)
    schema_cls = group_settings_schema(plugin_id)
    if schema_cls is None:
        raise NoSettings(plugin_id)
    loaded = schema_cls().load(data)
    row = _group_row(plugin_id, group)
    if row is None:
        row = GroupPluginState(group_id=group.id, plugin_id=plugin_id, enabled=False)
        db.session.add(row)
    row.settings = schema_cls().dump(loaded)
    if has_request_context():
        g.setdefault("_group_plugin_settings", {}).pop((plugin_id, group.id), None)
    if commit:
        db.session.commit()
    return loaded
