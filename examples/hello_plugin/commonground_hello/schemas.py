"""Input rules: a greeting, and the plugin's settings (the admin form is generated from it)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from commonground_hello.models import MESSAGE_MAX_LENGTH

REQUIRED = {"required": _l("This field is required."), "null": _l("This field is required.")}


class Trimmed(fields.String):
    """A string with surrounding whitespace removed before it is validated."""

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


class GreetingSchema(Schema):
    message = Trimmed(
        required=True,
        error_messages=REQUIRED,
        validate=validate.Length(min=1, max=MESSAGE_MAX_LENGTH,
                                 error=_l("Use between {min} and {max} characters.")),
    )


class HelloSettings(Schema):
    """Site admins change these on /admin/plugins; every field has a default."""

    headline = Trimmed(
        load_default=_l("Say hello!"),
        validate=validate.Length(min=1, max=80, error=_l("Use between {min} and {max} characters.")),
        metadata={"label": _l("Headline"), "description": _l("Shown above the wall and in the footer link.")},
    )
    max_greetings = fields.Integer(
        load_default=20,
        validate=validate.Range(min=1, max=100, error=_l("Choose a number from {min} to {max}.")),
        metadata={"label": _l("Greetings shown"),
                  "description": _l("How many of the newest greetings the wall shows.")},
    )
