"""Schemas for people and accounts: the same classes validate web forms and API bodies.

Input schemas normalise what people type (trimmed, lower-case usernames and emails)
before validating; output schemas decide which fields of a ``User`` leave the server.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, time
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from marshmallow import Schema, ValidationError, fields, post_load, pre_load, validate, validates, validates_schema

from core.auth.passwords import MAX_LENGTH as PASSWORD_MAX_LENGTH
from core.auth.passwords import password_problems
from core.countries import country_codes
from core.extensions import db
from core.models import User
from core.routing import MAX_ID

USERNAME_RE = re.compile(r"^[a-z0-9_]{3,32}$")
# Names that would let someone pose as the site's staff.
RESERVED_USERNAMES = frozenset({
    "admin", "administrator", "root", "support", "help", "moderator", "mod", "staff", "system", "api",
    "commonground", "security", "abuse", "postmaster", "webmaster", "noreply", "no_reply", "null", "undefined",
})


PROFILE_VISIBILITY = ("everyone", "members", "nobody")


def _messages() -> dict[str, Any]:
    return {
        "required": _l("This field is required."),
        "null": _l("This field is required."),
        "invalid": _l("Not a valid value."),
    }


def text(max_length: int, *, required: bool = True, min_length: int = 1, **kw: Any) -> fields.String:
    """A string field with translated messages for missing, blank and too long input."""
    validators = [validate.Length(max=max_length, error=_l("Use at most {max} characters."))]
    if required and min_length:
        validators.insert(0, validate.Length(min=min_length, error=_l("Use at least {min} characters.")
                                             if min_length > 1 else _l("This field is required.")))
    return fields.String(required=required, validate=validators, error_messages=_messages(), **kw)


def password_field(**kw: Any) -> fields.String:
    return fields.String(
        required=True, load_only=True, error_messages=_messages(),
        validate=[validate.Length(min=1, error=_l("This field is required.")),
                  validate.Length(max=PASSWORD_MAX_LENGTH, error=_l("Use at most {max} characters."))],
        metadata={"format": "password"}, **kw,
    )


class EmailAddress(fields.String):
    """An address mail can actually reach.

    Letters beyond ASCII before the ``@`` need a mail server that speaks SMTPUTF8; the operator
    says so with ``MAIL_SMTPUTF8``, otherwise such an address is refused at the field (it could
    never receive its confirmation link). A domain with such letters is stored in its ASCII
    (IDNA) form unless SMTPUTF8 is available, so it is deliverable either way.
    """

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        address = super()._deserialize(value, attr, data, **kwargs)
        if address.isascii() or "@" not in address or current_app.config.get("MAIL_SMTPUTF8"):
            return address
        local, domain = address.rsplit("@", 1)
        if not local.isascii():
            raise ValidationError(_("Our mail server cannot deliver to addresses with letters such as ä or é "
                                    "before the @. Please use another address."))
        try:
            return f"{local}@{domain.encode('idna').decode('ascii')}"
        except UnicodeError:
            raise ValidationError(_("Enter a valid email address, like name@example.org.")) from None


def email_field(**kw: Any) -> fields.String:
    return EmailAddress(
        required=True, error_messages=_messages(), metadata={"format": "email"},
        validate=[validate.Length(max=254, error=_l("Use at most {max} characters.")),
                  validate.Email(error=_l("Enter a valid email address, like name@example.org."))], **kw,
    )


# Characters that reorder how text around them is shown: a name could make the next words
# on the page read backwards ("Anna\u202e...") or pose as someone else.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Letters and symbols that render as nothing (fillers, blank braille), on top of format characters.
INVISIBLE_GLYPHS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def _visible_name(value: str) -> None:
    if not value:
        return  # "required" is the length rule's message
    if any(char in BIDI_CONTROLS for char in value):
        raise ValidationError(_("Remove the invisible characters that change the text direction."))
    if not any(char not in INVISIBLE_GLYPHS and unicodedata.category(char)[0] in "LNPS" for char in value):
        raise ValidationError(_("Use at least one visible letter, digit or symbol."))


def display_name_field(**kw: Any) -> fields.String:
    """A name shown to others: up to 80 characters, something visible, no text-direction tricks."""
    field = text(80, **kw)
    field.validators.append(_visible_name)
    return field


class Normalising(Schema):
    """Trims text fields and turns empty optional fields into None before validation."""

    LOWER: tuple[str, ...] = ()
    UPPER: tuple[str, ...] = ()
    OPTIONAL: tuple[str, ...] = ()
    STRIP: tuple[str, ...] = ()

    @pre_load
    def normalise(self, data: Any, **kwargs: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        for key in (*self.STRIP, *self.LOWER, *self.UPPER, *self.OPTIONAL):
            if isinstance(data.get(key), str):
                data[key] = data[key].strip()
        for key in self.LOWER:
            if isinstance(data.get(key), str):
                data[key] = data[key].lower()
        for key in self.UPPER:
            if isinstance(data.get(key), str):
                data[key] = data[key].upper()
        for key in self.OPTIONAL:
            if data.get(key) == "":
                data[key] = None
        return data


def _check_locale(value: str) -> None:
    if value not in current_app.config["LANGUAGES"]:
        raise ValidationError(_("Choose one of the offered languages."))


def _check_country(value: str | None) -> None:
    if value is not None and value not in country_codes():
        raise ValidationError(_("Choose a country from the list."))


class ProfileSchema(Normalising):
    """What a member edits about themselves (web form and ``PATCH /api/v1/me``)."""

    STRIP = ("display_name",)
    UPPER = ("country",)
    OPTIONAL = ("country",)

    display_name = display_name_field(metadata={"description": "Name shown to others"})
    bio = fields.String(load_default="", validate=validate.Length(max=1000, error=_l("Use at most {max} characters.")),
                        error_messages=_messages(), metadata={"description": "About you (plain text)"})
    locale = fields.String(required=True, error_messages=_messages(), metadata={"description": "en or de"})
    country = fields.String(allow_none=True, load_default=None, error_messages=_messages(),
                            metadata={"description": "ISO 3166-1 alpha-2 code, optional"})
    profile_visibility = fields.String(
        validate=validate.OneOf(PROFILE_VISIBILITY, error=_l("Choose one of the options.")),
        error_messages=_messages(),
        metadata={"description": "Who sees your bio, groups and posts: everyone, members (people in a group "
                                 "with you) or nobody (others see your name only)"})

    @validates("locale")
    def _locale(self, value: str, **kwargs: Any) -> None:
        _check_locale(value)

    @validates("country")
    def _country(self, value: str | None, **kwargs: Any) -> None:
        _check_country(value)


class ProfileChangeSchema(ProfileSchema):
    """``PATCH /api/v1/me``: any of the profile's fields, and at least one (an empty change is a mistake)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, partial=True, **kwargs)

    @validates_schema
    def _something(self, data: dict, **kwargs: Any) -> None:
        if not data:
            raise ValidationError(_("The request body is required: a JSON object with at least one of: %(fields)s.",
                                    fields=", ".join(self.fields)))


class SignupSchema(Normalising):
    """A new account. Duplicate email or username is reported at the field."""

    LOWER = ("email", "username")
    STRIP = ("display_name",)
    UPPER = ("country",)
    OPTIONAL = ("country",)

    email = email_field()
    username = fields.String(required=True, error_messages=_messages(),
                             metadata={"description": "3-32 characters: a-z, 0-9 and _ (case-insensitive)"})
    display_name = display_name_field()
    password = password_field()
    locale = fields.String(load_default="en", error_messages=_messages())
    country = fields.String(allow_none=True, load_default=None, error_messages=_messages())
    adult = fields.Boolean(
        required=True, error_messages={**_messages(), "required": _l("Please confirm that you are 18 or older.")},
        validate=validate.Equal(True, error=_l("You must be 18 or older to join.")),
        metadata={"description": "The person attests they are 18 or older (stored with its time)"},
    )

    def __init__(self, *args: Any, allow_reserved: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allow_reserved = allow_reserved

    @validates("username")
    def _username(self, value: str, **kwargs: Any) -> None:
        if not USERNAME_RE.match(value):
            raise ValidationError(_("Use 3 to 32 characters: letters a-z, digits and underscores."))
        if value in RESERVED_USERNAMES and not self.allow_reserved:
            raise ValidationError(_("This username is reserved. Please choose another."))
        if db.session.scalar(db.select(User.id).where(db.func.lower(User.username) == value)):
            raise ValidationError(_("This username is taken. Please choose another."))

    @validates("email")
    def _email(self, value: str, **kwargs: Any) -> None:
        if db.session.scalar(db.select(User.id).where(db.func.lower(User.email) == value)):
            raise ValidationError(_("An account with this email address already exists. "
                                    "Log in, or reset your password if you forgot it."))

    @validates("locale")
    def _locale(self, value: str, **kwargs: Any) -> None:
        _check_locale(value)

    @validates("country")
    def _country(self, value: str | None, **kwargs: Any) -> None:
        _check_country(value)

    @validates_schema(skip_on_field_errors=False)
    def _password_strength(self, data: dict, **kwargs: Any) -> None:
        if "password" not in data:
            return
        problems = password_problems(data["password"], data.get("username"), data.get("email"))
        if problems:
            raise ValidationError(problems, "password")


class LoginSchema(Normalising):
    STRIP = ("login",)

    login = fields.String(required=True, error_messages=_messages(),
                          validate=[validate.Length(min=1, error=_l("This field is required.")),
                                    validate.Length(max=254, error=_l("Use at most {max} characters."))],
                          metadata={"description": "Email address or username"})
    password = password_field()
    remember = fields.Boolean(load_default=False, metadata={"description": "Stay logged in on this device"})


class _NewPassword(Normalising):
    """A new password for a known person; ``user`` is who it is for (strength rule needs their names)."""

    new_password_field = "password"

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def _who(self) -> User | None:
        if self.user is not None:
            return self.user
        if current_user and getattr(current_user, "is_authenticated", False):
            return current_user
        return None

    def _check_new(self, data: dict, user: User | None) -> None:
        name = self.new_password_field
        password = data[name]
        problems = password_problems(password, user.username if user else None, user.email if user else None)
        if problems:
            raise ValidationError(problems, name)
        confirm = data.get(f"{name}_confirm")
        if confirm is not None and confirm != password:
            raise ValidationError([_("The two passwords don't match.")], f"{name}_confirm")


class PasswordChangeSchema(_NewPassword):
    """Change password while logged in; the current password proves it is really them."""

    new_password_field = "new_password"

    current_password = password_field()
    new_password = password_field()
    new_password_confirm = fields.String(load_only=True, metadata={"description": "Optional repeat"})

    @validates_schema
    def _check(self, data: dict, **kwargs: Any) -> None:
        user = self._who()
        if user is not None and not user.check_password(data["current_password"]):
            raise ValidationError([_("This is not your current password.")], "current_password")
        self._check_new(data, user)


class EmailChangeSchema(Normalising):
    """Ask to move the account to another address; the password proves it is really them.

    Whether the new address already has an account is not checked here: the answer must be
    the same either way (``core.auth.email_change``).
    """

    LOWER = ("email",)

    email = email_field()
    password = password_field()

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    @validates_schema
    def _check(self, data: dict, **kwargs: Any) -> None:
        user = self.user
        if user is None and current_user and getattr(current_user, "is_authenticated", False):
            user = current_user
        if user is None:
            return
        if not user.check_password(data["password"]):
            raise ValidationError([_("This is not your password.")], "password")
        if data["email"] == user.email.lower():
            raise ValidationError([_("This is already your address.")], "email")


class PasswordResetRequestSchema(Normalising):
    LOWER = ("email",)

    email = email_field()


class PasswordResetSchema(_NewPassword):
    """Set a new password with the emailed token; loading yields the token's ``user`` too."""

    token = fields.String(required=True, load_only=True, error_messages=_messages(),
                          validate=validate.Length(max=500, error=_l("This link is invalid or has expired.")))
    password = password_field()
    password_confirm = fields.String(load_only=True, metadata={"description": "Optional repeat"})

    @validates_schema
    def _check(self, data: dict, **kwargs: Any) -> None:
        from core.auth.tokens import user_for_reset

        user = user_for_reset(data["token"])
        if user is None:
            raise ValidationError([_("This password reset link is invalid, expired or already used. "
                                     "Please ask for a new one.")], "token")
        self._check_new(data, user)
        self.user = user

    @post_load
    def _attach_user(self, data: dict, **kwargs: Any) -> dict:
        data["user"] = self.user
        return data


class AccountDeleteSchema(Schema):
    """Deleting an account needs the password, so a borrowed session cannot do it."""

    password = password_field()


class ConfirmEmailSchema(Schema):
    token = fields.String(required=True, load_only=True, error_messages=_messages(),
                          validate=validate.Length(max=500, error=_l("This link is invalid or has expired.")))


class TokenCreateSchema(Normalising):
    STRIP = ("name",)

    name = text(80, metadata={"description": "What the token is for, e.g. 'backup script'"})


class TokenSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(dump_only=True)
    prefix = fields.String(dump_only=True, metadata={"description": "First characters of the secret"})
    created_at = fields.DateTime(dump_only=True)


class TokenCreatedSchema(TokenSchema):
    token = fields.String(dump_only=True, metadata={"description": "The secret; shown only this once"})


class LoginSessionSchema(Schema):
    """One place you are logged in (Settings → Sessions); no address is kept, only what the browser named."""

    id = fields.Integer(dump_only=True)
    browser = fields.String(dump_only=True, allow_none=True, metadata={"description": "e.g. Firefox; null if unknown"})
    system = fields.String(dump_only=True, allow_none=True, attribute="platform",
                           metadata={"description": "e.g. Android; null if unknown"})
    remembered = fields.Boolean(dump_only=True, metadata={"description": "Logged in with 'keep me logged in'"})
    created_at = fields.DateTime(dump_only=True)
    last_seen_at = fields.DateTime(dump_only=True, metadata={"description": "Approximate: updated every few minutes"})
    current = fields.Boolean(dump_only=True, metadata={"description": "The session making this request"})


class SuspendSchema(Normalising):
    """A site admin suspends an account: a reason, and optionally the day it ends."""

    STRIP = ("reason",)
    OPTIONAL = ("until",)

    reason = text(500, metadata={"description": "Shown to the person when they try to log in"})
    until = fields.Date(allow_none=True, load_default=None,
                        error_messages={**_messages(), "invalid": _l("Enter a date like 2030-01-31.")},
                        metadata={"description": "Optional: the suspension ends at the start of this day (UTC)"})

    @validates("until")
    def _future(self, value: date | None, **kwargs: Any) -> None:
        if value is not None and value <= datetime.now(UTC).date():
            raise ValidationError(_("Choose a day in the future."))

    @post_load
    def _until_datetime(self, data: dict, **kwargs: Any) -> dict:
        until = data.get("until")
        data["until"] = datetime.combine(until, time.min, tzinfo=UTC) if until else None
        return data


class UserSearchArgsSchema(Schema):
    q = fields.String(load_default="", validate=validate.Length(max=100, error=_l("Use at most {max} characters.")))
    after = fields.Integer(load_default=None, allow_none=True,
                           validate=validate.Range(min=1, max=MAX_ID, error=_l("Not a valid cursor.")),
                           metadata={"description": "Keyset cursor (user id)"})


class UserPublicSchema(Schema):
    """What anyone who may see a profile gets."""

    username = fields.String(dump_only=True)
    display_name = fields.String(dump_only=True)
    bio = fields.String(dump_only=True)
    created_at = fields.DateTime(dump_only=True)


class ProfileGroupSchema(Schema):
    slug = fields.String(dump_only=True)
    name = fields.String(dump_only=True)


class UserProfileSchema(Schema):
    """A profile as the caller may see it: with ``restricted`` true, only the name and username
    (the person shows their details to members of their groups, or to nobody)."""

    username = fields.String(dump_only=True)
    display_name = fields.String(dump_only=True)
    restricted = fields.Boolean(dump_only=True)
    bio = fields.String(dump_only=True, allow_none=True, metadata={"description": "null when restricted"})
    created_at = fields.DateTime(dump_only=True, allow_none=True, metadata={"description": "null when restricted"})
    groups = fields.List(fields.Nested(ProfileGroupSchema), dump_only=True, allow_none=True, metadata={
        "description": "their groups the caller may know of; null when restricted"})
    groups_in_common = fields.List(fields.Nested(ProfileGroupSchema), dump_only=True, allow_none=True)


class MeSchema(UserPublicSchema):
    """The caller's own account."""

    id = fields.Integer(dump_only=True)
    email = fields.String(dump_only=True)
    locale = fields.String(dump_only=True)
    country = fields.String(dump_only=True, allow_none=True)
    email_confirmed = fields.Boolean(dump_only=True)
    adult_attested_at = fields.DateTime(dump_only=True)
    is_site_admin = fields.Boolean(dump_only=True)
    profile_visibility = fields.String(dump_only=True)


class UserAdminSchema(UserPublicSchema):
    """What a site admin sees in the user list."""

    id = fields.Integer(dump_only=True)
    email = fields.String(dump_only=True)
    email_confirmed = fields.Boolean(dump_only=True)
    is_site_admin = fields.Boolean(dump_only=True)
    is_suspended = fields.Boolean(dump_only=True)
    suspended_at = fields.DateTime(dump_only=True, allow_none=True)
    suspended_until = fields.DateTime(dump_only=True, allow_none=True)
    suspension_reason = fields.String(dump_only=True, allow_none=True)


class UserListSchema(Schema):
    items = fields.List(fields.Nested(UserAdminSchema), dump_only=True)
    next_after = fields.Integer(dump_only=True, allow_none=True,
                                metadata={"description": "Pass as 'after' for the next page; null on the last"})
