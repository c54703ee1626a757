"""Notifications: list arguments, output shapes and email preferences (web form and API)."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from core.notify import EMAIL_KINDS
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
    unread_count = fields.Integer(metadata={"description": "Unread notifications in total."})


class ReadAllResultSchema(Schema):
    marked = fields.Integer(metadata={"description": "How many notifications were marked read."})


def _preferences_schema(name: str, *, required: bool) -> type[Schema]:
    return Schema.from_dict(
        {
            kind: fields.Boolean(required=required, metadata={"description": f"Email for '{kind}' notifications."})
            for kind in EMAIL_KINDS
        },
        name=name,
    )


# One boolean per email kind: true = send an email for it. The settings form sends every kind;
# the API's PUT may send only the kinds it changes.
EmailPreferencesSchema = _preferences_schema("EmailPreferencesSchema", required=True)
EmailPreferencesUpdateSchema = _preferences_schema("EmailPreferencesUpdateSchema", required=False)
