"""A plugin's marshmallow settings schema described as form fields.

The admin settings form is generated from this and the API returns it, so a plugin
author writes one schema and gets a validated form and a documented endpoint. Labels
and help come from the field's ``metadata`` (``label``, ``description``); a field
without a label gets its name with underscores turned into spaces.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from marshmallow import Schema, fields, missing, validate


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
