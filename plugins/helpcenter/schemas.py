"""Input for the helpline directory and the referral form, validated in one place.

Messages are translated when validation runs (inside the request), so an admin reads them
in their own language next to the field that needs fixing.
"""
from __future__ import annotations

import re
from functools import cache
from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, post_load, pre_load, validate, validates_schema

from core.plugin_api import country_codes, country_name, utcnow
from plugins.helpcenter.models import PATHS
from plugins.helpcenter.phones import InvalidPhoneNumber, normalise
from plugins.helpcenter.topics import TOPICS

LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-[A-Za-z]{2}|-[0-9]{3})?$")
EMERGENCY_NUMBER = re.compile(r"^[0-9]{2,6}$")
OPTIONAL_TEXT = ("chat_url", "email", "webform_url", "source_url", "verified_on")


class Lines(fields.Field):
    """A textarea with one item per line (or a JSON list): a list of non-empty stripped strings."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list[str]:
        if value is None:
            return []
        items = value if isinstance(value, list) else str(value).splitlines()
        return [str(item).strip() for item in items if str(item).strip()]

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str:
        return "\n".join(value or [])


class CommaList(fields.Field):
    """"de, en" (or a JSON list) into ["de", "en"]."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list[str]:
        if value is None:
            return []
        items = value if isinstance(value, list) else str(value).split(",")
        return [str(item).strip() for item in items if str(item).strip()]

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str:
        return ", ".join(value or [])


def normalise_language_tag(tag: str) -> str:
    """BCP-47 casing: language lower, script title, region upper ("pt-br" -> "pt-BR")."""
    parts = tag.split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        out.append(part.title() if len(part) == 4 else part.upper())
    return "-".join(out)


def _check_url(value: str) -> None:
    try:
        validate.URL(relative=False, schemes={"http", "https"}, require_tld=True)(value)
    except ValidationError as err:
        raise ValidationError(_("Enter a full web address starting with https://")) from err


def _check_email(value: str) -> None:
    try:
        validate.Email()(value)
    except ValidationError as err:
        raise ValidationError(_("Enter an email address like name@example.org.")) from err


def _check_language_tags(tags: list[str]) -> None:
    if not tags:
        raise ValidationError(_("Give at least one language the helpline speaks."))
    bad = [tag for tag in tags if not LANGUAGE_TAG.match(tag)]
    if bad:
        raise ValidationError(_("Use language codes such as de, en or pt-BR (not: %(tags)s).", tags=", ".join(bad)))


def _check_country(value: str) -> None:
    if value not in country_codes():
        raise ValidationError(_("Choose a country from the list."))


def _check_not_future(value) -> None:
    if value > utcnow().date():
        raise ValidationError(_("The verification date cannot be in the future."))


def _required() -> dict[str, Any]:
    return {"required": _l("This field is required.")}


class SourceFields(Schema):
    """What a directory entry was checked against, and when."""

    source_name = fields.String(load_default="", validate=validate.Length(max=200))
    source_url = fields.String(load_default=None, allow_none=True, validate=[validate.Length(max=500), _check_url])
    verified_on = fields.Date(load_default=None, allow_none=True, validate=_check_not_future,
                              error_messages={"invalid": _l("Enter a valid date.")})

    @pre_load
    def _blank_is_none(self, data: dict, **kwargs: Any) -> dict:
        data = dict(data)
        for key in OPTIONAL_TEXT:
            if isinstance(data.get(key), str) and not data[key].strip():
                data[key] = None
            elif isinstance(data.get(key), str):
                data[key] = data[key].strip()
        return data

    @validates_schema(skip_on_field_errors=False)
    def _verified_needs_source(self, data: dict, **kwargs: Any) -> None:
        # An invalid address is missing from ``data`` and already has its own message.
        if data.get("verified_on") and "source_url" in data and not data["source_url"]:
            raise ValidationError(_("Give the web address you verified the entry against."), "source_url")


class HelplineSchema(SourceFields):
    """A directory entry as an admin enters it; phone numbers become (E.164, display) pairs."""

    name = fields.String(required=True, validate=validate.Length(max=200), error_messages=_required())
    country = fields.String(required=True, validate=_check_country, error_messages=_required())
    phones = Lines(load_default=list)
    sms = Lines(load_default=list)
    chat_url = fields.String(load_default=None, allow_none=True, validate=[validate.Length(max=500), _check_url])
    email = fields.String(load_default=None, allow_none=True, validate=[validate.Length(max=254), _check_email])
    webform_url = fields.String(load_default=None, allow_none=True, validate=[validate.Length(max=500), _check_url])
    open_24_7 = fields.Boolean(load_default=False)
    hours = fields.String(load_default="", validate=validate.Length(max=300))
    free = fields.Boolean(load_default=False)
    anonymous = fields.Boolean(load_default=False)
    languages = CommaList(required=True, validate=_check_language_tags,
                          error_messages={"required": _l("Give at least one language the helpline speaks.")})
    topics = fields.List(fields.String(validate=validate.OneOf(TOPICS)), load_default=list)

    @pre_load
    def _strip(self, data: dict, **kwargs: Any) -> dict:
        data = dict(data)
        for key in ("name", "country", "hours"):
            if isinstance(data.get(key), str):
                data[key] = data[key].strip()
        for key in ("name", "country"):  # blank counts as missing: "This field is required."
            if data.get(key) == "":
                del data[key]
        if isinstance(data.get("country"), str):
            data["country"] = data["country"].upper()
        return data

    @validates_schema(skip_on_field_errors=False)
    def _check_entry(self, data: dict, **kwargs: Any) -> None:
        errors: dict[str, list[str]] = {}
        country = data.get("country", "")
        for key in ("phones", "sms") if country else ():
            for line_no, typed in enumerate(data.get(key) or [], start=1):
                try:
                    normalise(typed, country)
                except InvalidPhoneNumber:
                    errors.setdefault(key, []).append(
                        _("Line %(n)s: “%(value)s” is not a valid phone number in %(country)s.",
                          n=line_no, value=typed, country=country_name(country, _locale()) or country)
                    )
        if not data.get("open_24_7") and not data.get("hours"):
            errors["hours"] = [_("Give the opening hours, or tick “Open 24 hours, 7 days a week”.")]
        if not any(data.get(k) for k in ("phones", "sms", "chat_url", "email", "webform_url")):
            errors["phones"] = errors.get("phones", []) + [_("Give at least one way to reach the helpline.")]
        if errors:
            raise ValidationError(errors)

    @post_load
    def _normalise(self, data: dict, **kwargs: Any) -> dict:
        country = data["country"]
        data["phones"] = [normalise(typed, country) for typed in data["phones"]]
        data["sms"] = [normalise(typed, country) for typed in data["sms"]]
        data["languages"] = list(dict.fromkeys(normalise_language_tag(t) for t in data["languages"]))
        data["topics"] = list(dict.fromkeys(data["topics"]))
        texts = {key.removeprefix("description_"): data.pop(key).strip()
                 for key in [k for k in data if k.startswith("description_")]}
        data["description"] = {lang: text for lang, text in texts.items() if text}
        return data


@cache
def helpline_schema(languages: tuple[str, ...]) -> type[HelplineSchema]:
    """The helpline schema with one description field per site language (``description_de``, ...)."""
    return HelplineSchema.from_dict(
        {f"description_{lang}": fields.String(load_default="", validate=validate.Length(max=2000))
         for lang in languages},
        name="HelplineInput",
    )


class EmergencyNumberSchema(SourceFields):
    country = fields.String(required=True, validate=_check_country, error_messages=_required())
    number = fields.String(required=True, error_messages=_required())

    @pre_load
    def _strip(self, data: dict, **kwargs: Any) -> dict:
        data = dict(data)
        for key in ("country", "number"):
            if isinstance(data.get(key), str):
                data[key] = "".join(data[key].split()).upper()
        return data

    @validates_schema
    def _check_number(self, data: dict, **kwargs: Any) -> None:
        if "number" in data and not EMERGENCY_NUMBER.match(data["number"]):
            raise ValidationError(_("An emergency number has 2 to 6 digits."), "number")


class ReferralSchema(Schema):
    """The referral form: which path, where, which language. Deliberately no free text."""

    path = fields.String(required=True, validate=validate.OneOf(PATHS))
    # Anything unknown falls back to the site default with a notice, so these never fail.
    country = fields.String(load_default="")
    language = fields.String(load_default="")
    remind = fields.Boolean(load_default=False)

    @pre_load
    def _tidy(self, data: dict, **kwargs: Any) -> dict:
        data = dict(data)
        for key in ("country", "language", "path"):
            if isinstance(data.get(key), str):
                data[key] = data[key].strip()
        return data

    def handle_error(self, error: ValidationError, data: Any, **kwargs: Any) -> None:
        """One plain message per field instead of marshmallow's technical ones."""
        if isinstance(error.messages, dict) and "path" in error.messages:
            raise ValidationError({"path": [_("Choose whether you need support or are worried about someone.")]})
        raise error


def _locale() -> str:
    return str(get_locale() or "en")
