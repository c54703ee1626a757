"""Plugins as the API shows them. Settings are validated by each plugin's own schema."""
from __future__ import annotations

from marshmallow import INCLUDE, Schema, fields


class PluginSchema(Schema):
    id = fields.String(metadata={"description": "The plugin id (its entry-point name)."})
    name = fields.String()
    version = fields.String()
    description = fields.String()
    scope = fields.String(metadata={"description": "'site', or 'group' for features switched on per group."})
    hooks = fields.List(fields.String(), metadata={"description": "Hooks the plugin implements."})
    enabled = fields.Boolean(metadata={"description": "Enabled site-wide."})
    group_count = fields.Integer(metadata={"description": "Groups that switched it on (group scope)."})
    has_settings = fields.Boolean()


class ChoiceSchema(Schema):
    value = fields.String()
    label = fields.String()


class SettingsFieldSchema(Schema):
    name = fields.String()
    label = fields.String()
    kind = fields.String(metadata={"description": "text, email, url, number, checkbox, select or textarea"})
    required = fields.Boolean()
    help = fields.String(allow_none=True)
    choices = fields.List(fields.Nested(ChoiceSchema))
    step = fields.String(allow_none=True)
    min = fields.Raw(allow_none=True)
    max = fields.Raw(allow_none=True)
    maxlength = fields.Integer(allow_none=True)
    default = fields.Raw(allow_none=True)


class PluginSettingsSchema(Schema):
    values = fields.Dict(metadata={"description": "Current values (defaults where never saved)."})
    form = fields.List(fields.Nested(SettingsFieldSchema), data_key="fields",
                       metadata={"description": "The settings form: one entry per field."})


class SettingsInputSchema(Schema):
    """Any JSON object; the plugin's settings schema validates it (422 names the fields)."""

    class Meta:
        unknown = INCLUDE


class GroupPluginSchema(Schema):
    id = fields.String()
    name = fields.String()
    version = fields.String()
    description = fields.String()
    enabled = fields.Boolean(metadata={"description": "Switched on for this group."})
