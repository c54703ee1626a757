"""Web forms validated by the same marshmallow schemas as the API.

Flask-WTF provides CSRF (checked globally); field validation is marshmallow's, so a rule
lives in exactly one place. Views call ``load_form`` and re-render with ``errors`` and
the submitted ``values`` on failure, so nothing typed is lost.
"""
from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError
from werkzeug.datastructures import MultiDict

from core.schemas.error_messages import field_errors


def form_values(formdata: MultiDict, schema: Schema) -> dict[str, Any]:
    """Raw submitted values for the schema's fields (lists for list fields, strings else)."""
    from marshmallow import fields

    values: dict[str, Any] = {}
    for name, field in schema.load_fields.items():
        key = field.data_key or name
        if isinstance(field, fields.List):
            values[key] = [v for v in formdata.getlist(key) if v.strip()]
        elif isinstance(field, fields.Boolean):
            values[key] = formdata.get(key) in ("on", "true", "1", "y", "yes")
        elif key in formdata:
            values[key] = formdata.get(key)
    return values


def load_form(schema: Schema, formdata: MultiDict, **load_kwargs: Any) -> tuple[dict[str, Any] | None, dict, dict]:
    """Validate ``formdata``; returns (data or None, errors by field, submitted values).

    Errors are plain text, a list of sentences per field (``field_errors``), even where the
    schema's messages are lazy translations.
    """
    values = form_values(formdata, schema)
    try:
        return schema.load(values, **load_kwargs), {}, values
    except ValidationError as err:
        return None, field_errors(err), values
