"""The first-run setup form: what the site is called, says about itself and speaks."""
from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates


class SiteSetupSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=80, error=_l(
        "Use at most %(max)s characters.", max=80)), error_messages={"required": _l("Give the site a name.")})
    description = fields.String(load_default="", validate=validate.Length(max=300, error=_l(
        "Use at most %(max)s characters.", max=300)))
    default_locale = fields.String(required=True, error_messages={"required": _l("Choose a language.")})
    plugins = fields.List(fields.String(), load_default=list)

    @validates("name")
    def _not_blank(self, value: str, **_kwargs) -> None:
        if not value.strip():
            raise ValidationError(_l("Give the site a name."))

    @validates("default_locale")
    def _spoken(self, value: str, **_kwargs) -> None:
        if value not in current_app.config["LANGUAGES"]:
            raise ValidationError(_l("Choose one of the languages offered."))
