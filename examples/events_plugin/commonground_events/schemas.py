"""Input rules: an event, going or not, the list's cursor, and each group's settings.

Times are typed in the site's time zone (``<input type="datetime-local">``) and stored in UTC.
"""
from __future__ import annotations

from datetime import UTC, datetime

from core.plugin_api import utcnow
from flask_babel import lazy_gettext as _l
from flask_babel import to_utc
from marshmallow import Schema, ValidationError, fields, validate, validates

from commonground_events.models import DESCRIPTION_MAX_LENGTH, LOCATION_MAX_LENGTH, TITLE_MAX_LENGTH

REQUIRED = {"required": _l("This field is required."), "null": _l("This field is required.")}
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
LENGTH = _l("Use between {min} and {max} characters.")


class Trimmed(fields.String):
    """A string with surrounding whitespace removed before it is validated."""

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


class LocalDateTime(fields.Field):
    """A wall-clock time in the site's time zone (``2026-12-24T18:30``), loaded as an aware UTC datetime."""

    default_error_messages = {**REQUIRED, "invalid": _l("Enter a date and time, e.g. 2026-12-24 18:30.")}

    def _deserialize(self, value, attr, data, **kwargs):
        text = str(value or "").strip().replace(" ", "T")[:16]
        if not text:
            raise self.make_error("required")
        try:
            local = datetime.strptime(text, LOCAL_FORMAT)
        except ValueError as err:
            raise self.make_error("invalid") from err
        return to_utc(local).replace(tzinfo=UTC)


class EventSchema(Schema):
    title = Trimmed(required=True, error_messages=REQUIRED,
                    validate=validate.Length(min=1, max=TITLE_MAX_LENGTH, error=LENGTH))
    starts_at = LocalDateTime(required=True)
    location = Trimmed(load_default="", validate=validate.Length(max=LOCATION_MAX_LENGTH,
                                                                  error=_l("Use at most {max} characters.")))
    description = Trimmed(load_default="", validate=validate.Length(max=DESCRIPTION_MAX_LENGTH,
                                                                     error=_l("Use at most {max} characters.")))

    @validates("starts_at")
    def _in_the_future(self, value: datetime, **kwargs) -> None:
        if value <= utcnow():
            raise ValidationError(_l("Choose a time in the future."))


class AttendSchema(Schema):
    going = fields.Boolean(load_default=False)


class ListArgsSchema(Schema):
    """``?after=<microseconds since 1970>.<id>``: the last event of the previous page."""

    after = fields.String(load_default=None, validate=validate.Regexp(r"^\d{1,17}\.\d{1,10}$",
                                                                      error=_l("This page link is broken.")))


class GroupSettings(Schema):
    """Each group's admins set these on the group's Features page; every field has a default."""

    who_creates = fields.String(
        load_default="members",
        validate=validate.OneOf(["members", "moderators"], labels=[_l("Every member"), _l("Moderators and admins")]),
        metadata={"label": _l("Who may add events")},
    )
    reminder_hours = fields.Integer(
        load_default=24,
        validate=validate.Range(min=1, max=168, error=_l("Choose a number from {min} to {max}.")),
        metadata={"label": _l("Reminder (hours before)"),
                  "description": _l("When those going get a reminder: 24 is the day before.")},
    )
