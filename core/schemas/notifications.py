"""Notifications: list arguments, output shapes and email preferences (web form and API)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates

from core.schemas.groups import PersonSchema


class NotificationArgsSchema(Schema):
    before = fields.String(load_default=None, metadata={"description": "Cursor from the previous page's next."})
    limit = fields.Integer(load_default=20, validate=validate.Range(1, 100))
    unread = fields.Boolean(load_default=False, metadata={"description": "Only notifications not read yet."})


class NotificationGroupSchema(Schema):
    slug = fields.String()
    name = fields.String()


class NotificationSchema(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"description": "join_request, request_approved, post_reply, ... or a plugin's."})
    text = fields.Method("_text", metadata={"description": "A sentence in the caller's language."})
    url = fields.String(allow_none=True, metadata={"description": "Where the notification leads (site path)."})
    actor = fields.Nested(PersonSchema, allow_none=True)
    group = fields.Nested(NotificationGroupSchema, allow_none=True)
    data = fields.Dict()
    created_at = fields.DateTime()
    read_at = fields.DateTime(allow_none=True)
    read = fields.Function(lambda note: note.read_at is not None)

    def _text(self, note) -> str:
        from core.notifications.describe import describe_text

        return describe_text(note)


class NotificationPageSchema(Schema):
    items = fields.List(fields.Nested(NotificationSchema))
    next = fields.String(allow_none=True, metadata={"description": "Pass as ?before= for older ones; null at the end."})
    unread_count = fields.Integer(metadata={"description": "Unread notifications, counted up to 100 (100 or more)."})


class ReadAllResultSchema(Schema):
    marked = fields.Integer(metadata={"description": "How many notifications were marked read."})


class EmailPreferencesSchema(Schema):
    """Which kinds of notification also send an email. The set of kinds grows with enabled plugins,
    so it is a mapping checked against ``core.notifications.preferences.active_email_kinds()`` when loaded."""

    email = fields.Dict(keys=fields.String(), values=fields.Boolean(), required=True,
                        metadata={"description": "kind -> true to get an email; kinds left out keep their setting.",
                                  "example": {"post_reply": False}})

    @validates("email")
    def _known_kinds(self, value: dict, **kwargs) -> None:
        from core.notifications.preferences import active_email_kinds

        unknown = sorted(set(value) - set(active_email_kinds()))
        if unknown:
            raise ValidationError({kind: [str(_l("Unknown kind of notification."))] for kind in unknown})


class EmailPreferencesOutSchema(Schema):
    email = fields.Dict(keys=fields.String(), values=fields.Boolean(),
                        metadata={"description": "Every kind -> whether it sends an email.",
                                  "example": {"join_request": True, "post_reply": False}})
    labels = fields.Dict(keys=fields.String(), values=fields.String(),
                         metadata={"description": "Every kind -> what it is called, in the caller's language."})
