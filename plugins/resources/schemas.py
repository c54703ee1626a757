"""Input rules for resources, partners, reviews and votes (the same schemas serve forms and the API)."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, pre_load, validate, validates

from core.plugin_api import MAX_ID, country_codes
from plugins.resources.models import KINDS
from plugins.resources.placeholders import unknown_placeholders

REQUIRED = {"required": _l("This field is required."), "null": _l("This field is required.")}
LENGTH = _l("Use between {min} and {max} characters.")
AT_MOST = _l("Use at most {max} characters.")


class Trimmed(fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


class OptionalTrimmed(Trimmed):
    """Empty input means "none"."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        return text or None


def validate_web_link(value: str | None) -> None:
    """Only complete http(s) addresses: no ``javascript:``, ``data:`` or half-typed links."""
    if value is None:
        return
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https"):
        raise ValidationError(_l("Use a web address starting with http:// or https://."))
    if not parts.netloc or " " in value or "." not in (parts.hostname or ""):
        raise ValidationError(_l("This is not a complete web address."))


def validate_locale(value: str) -> None:
    if value not in current_app.config["LANGUAGES"]:
        raise ValidationError(_l("Choose one of the site's languages."))


class TextSchema(Schema):
    """The words of one locale of a resource; ``version`` is the text's version the editor started from."""

    title = Trimmed(required=True, error_messages=REQUIRED, validate=validate.Length(min=1, max=200, error=LENGTH))
    summary = Trimmed(load_default="", validate=validate.Length(max=500, error=AT_MOST))
    body = fields.String(load_default="", validate=validate.Length(max=50_000, error=AT_MOST))
    audience = Trimmed(load_default="", validate=validate.Length(max=300, error=AT_MOST))
    note = Trimmed(load_default="", validate=validate.Length(max=300, error=AT_MOST))
    version = fields.Integer(load_default=0, validate=validate.Range(min=0, max=MAX_ID))

    @validates("body")
    def _known_placeholders(self, value: str, **kwargs) -> None:
        unknown = unknown_placeholders(value)
        if unknown:
            raise ValidationError(_l("Unknown placeholder: %(names)s. Use {{ helpline:DE }} (a country code) "
                                     "or {{ helpline:topic }}.", names=", ".join(unknown)))


class ResourceSchema(TextSchema):
    """A new resource, or its facts (kind, partner, link, dates) together with the original's words."""

    topic_id = fields.Integer(required=True, error_messages=REQUIRED, validate=validate.Range(min=1, max=MAX_ID))
    kind = fields.String(load_default="article", validate=validate.OneOf(KINDS, error=_l("Choose a type.")))
    partner_id = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1, max=MAX_ID))
    language = fields.String(load_default="en", validate=validate_locale)
    link = OptionalTrimmed(load_default=None, allow_none=True,
                           validate=[validate.Length(max=500, error=AT_MOST), validate_web_link])
    review_by = fields.Date(load_default=None, allow_none=True,
                            error_messages={"invalid": _l("Enter a date as YYYY-MM-DD.")})


class PartnerSchema(Schema):
    name = Trimmed(required=True, error_messages=REQUIRED, validate=validate.Length(min=1, max=200, error=LENGTH))
    description = Trimmed(load_default="", validate=validate.Length(max=5000, error=AT_MOST))
    link = OptionalTrimmed(load_default=None, allow_none=True,
                           validate=[validate.Length(max=500, error=AT_MOST), validate_web_link])
    country = OptionalTrimmed(load_default=None, allow_none=True)
    languages = fields.List(fields.String(validate=validate_locale), load_default=list)

    @validates("country")
    def _country(self, value, **kwargs):
        if value is not None and value.upper() not in country_codes():
            raise ValidationError(_l("Choose a country."))


class ReviewSchema(Schema):
    note = Trimmed(load_default="", validate=validate.Length(max=300, error=AT_MOST))


class RevertSchema(Schema):
    """Revert to an old revision; ``version`` is the text's version the editor saw (omit: the latest)."""

    version = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=0, max=MAX_ID))


class VoteSchema(Schema):
    helpful = fields.String(required=True, error_messages=REQUIRED,
                            validate=validate.OneOf(("yes", "no"), error=_l("Answer yes or no.")))


class EditorSchema(Schema):
    username = Trimmed(required=True, error_messages=REQUIRED, validate=validate.Length(min=1, max=80))


class SearchSchema(Schema):
    """Search within a hub or across hubs, with optional filters (empty means "any")."""

    q = Trimmed(load_default="", validate=validate.Length(max=200, error=AT_MOST))
    topic = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1, max=MAX_ID))
    type = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(KINDS, error=_l("Choose a type.")))
    language = fields.String(load_default=None, allow_none=True, validate=validate_locale)
    partner = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1, max=MAX_ID))
    after = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))

    @pre_load
    def _empty_is_none(self, data, **kwargs):
        return {key: (None if value == "" and key != "q" else value) for key, value in data.items()}


class HubSchema(Schema):
    """A hub or topic: a name in each site language (the first one required), and an introduction."""

    title_en = Trimmed(required=True, error_messages=REQUIRED, validate=validate.Length(min=1, max=120, error=LENGTH))
    title_de = Trimmed(load_default="", validate=validate.Length(max=120, error=AT_MOST))
    intro_en = Trimmed(load_default="", validate=validate.Length(max=1000, error=AT_MOST))
    intro_de = Trimmed(load_default="", validate=validate.Length(max=1000, error=AT_MOST))


class NewHubSchema(HubSchema):
    """A new hub over the API: site-wide, or in the ``group`` (slug) whose admins start it."""

    group = Trimmed(load_default=None, allow_none=True, validate=validate.Length(max=80))


# The help center's helpline topics: ``{{ helpline:topic }}`` in a topic's resources shows these lines.
HELPLINE_TOPICS = ("crisis", "suicide", "self_harm", "loneliness", "relationships", "family", "grief", "violence",
                   "addiction", "eating", "young_people", "lgbtq")


class TopicSchema(HubSchema):
    """A topic: names and introductions, and which helplines ``{{ helpline:topic }}`` shows in it."""

    helpline_topic = OptionalTrimmed(load_default=None, allow_none=True, validate=validate.OneOf(
        HELPLINE_TOPICS, error=_l("Choose one of the help center's topics.")))


class PartnerInSchema(PartnerSchema):
    """A partner organisation over the API; ``verified`` is for site admins only."""

    verified = fields.Boolean(load_default=None, allow_none=True)
