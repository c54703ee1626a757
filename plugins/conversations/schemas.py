"""Input for messages, new conversations and preferences; the forms and the API share them."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from core.plugin_api import MAX_ID
from plugins.conversations.models import TEAM_STATUSES, WHO_MAY_MESSAGE

BODY_MAX = 10000


class BodyField(fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


def _body() -> BodyField:
    return BodyField(required=True, validate=validate.Length(
        min=1, max=BODY_MAX, error=_l("Write between 1 and %(n)d characters.", n=BODY_MAX)),
        error_messages={"required": _l("Write a message.")})


class ReplySchema(Schema):
    body = _body()


class TeamMessageSchema(Schema):
    body = _body()
    internal = fields.Boolean(load_default=False)


class StartConversationSchema(Schema):
    recipients = fields.List(fields.String(validate=validate.Length(min=1, max=80)), required=True,
                             validate=validate.Length(min=1, max=50,
                                                      error=_l("Choose at least one person to write to.")),
                             error_messages={"required": _l("Choose at least one person to write to.")})
    subject = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    body = _body()


class PreferenceSchema(Schema):
    who_may_message = fields.String(required=True, validate=validate.OneOf(WHO_MAY_MESSAGE))
    email_content = fields.Boolean(load_default=False)


class TeamUpdateSchema(Schema):
    status = fields.String(load_default=None, validate=validate.OneOf(TEAM_STATUSES))
    assignee_id = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=0, max=MAX_ID))


class TeamSettingSchema(Schema):
    sign_as_team = fields.Boolean(load_default=False)


class ConversationsSettings(Schema):
    """Site settings (admin form generated from this)."""

    max_participants = fields.Integer(
        load_default=8, validate=validate.Range(min=2, max=50),
        metadata={"label": _l("People a conversation can have at most, including whoever starts it")})
    request_cooldown_days = fields.Integer(
        load_default=30, validate=validate.Range(min=0, max=365),
        metadata={"label": _l("Days before a declined message request may be sent again")})
    email_interval_minutes = fields.Integer(
        load_default=60, validate=validate.Range(min=5, max=10080),
        metadata={"label": _l("At most one email per conversation within this many minutes")})
    retention_days = fields.Integer(
        load_default=0, validate=validate.Range(min=0, max=3650),
        metadata={"label": _l("Delete conversations untouched for this many days (0 keeps them)"),
                  "description": _l("Participants are told a week before.")})
    new_account_days = fields.Integer(
        load_default=7, validate=validate.Range(min=0, max=365),
        metadata={"label": _l("Accounts younger than this many days are new accounts")})
    conversations_per_hour = fields.Integer(
        load_default=20, validate=validate.Range(min=1, max=1000),
        metadata={"label": _l("New conversations one member may start per hour")})
    new_account_conversations_per_hour = fields.Integer(
        load_default=3, validate=validate.Range(min=1, max=1000),
        metadata={"label": _l("New conversations a new account may start per hour")})


# --- API ----------------------------------------------------------------------------------------


class ConversationListArgs(Schema):
    state = fields.String(load_default="inbox", validate=validate.OneOf(("inbox", "requests")))
    before = fields.Integer(load_default=None, validate=validate.Range(min=1, max=MAX_ID))


class TeamInboxArgs(Schema):
    status = fields.String(load_default=None, validate=validate.OneOf(TEAM_STATUSES))
    before = fields.Integer(load_default=None, validate=validate.Range(min=1, max=MAX_ID))


class MuteSchema(Schema):
    muted = fields.Boolean(required=True)


class CountsOut(Schema):
    unread = fields.Integer(metadata={"description": "Unread conversations that are not muted"})
    requests = fields.Integer(metadata={"description": "Message requests waiting for an answer"})
    team_open = fields.Integer(metadata={"description": "Open conversations in the team inboxes of the groups "
                                                        "you are owner, admin or moderator of"})
    capped_at = fields.Integer(metadata={"description": "Counts stop at this number"})


class ConversationMessageOut(Schema):
    id = fields.Integer()
    author = fields.String(allow_none=True, metadata={"description": "Name as shown to the reader"})
    body_html = fields.String()
    created_at = fields.DateTime()
    deleted = fields.Boolean()
    internal = fields.Boolean()


class ConversationOut(Schema):
    id = fields.Integer()
    kind = fields.String()
    subject = fields.String(allow_none=True)
    group = fields.String(allow_none=True)
    state = fields.String(metadata={"description": "active (inbox) or request"})
    unread = fields.Boolean()
    muted = fields.Boolean()
    with_ = fields.List(fields.String(), data_key="with")
    last_activity_at = fields.DateTime()


class ConversationPageOut(Schema):
    items = fields.List(fields.Nested(ConversationOut))
    next = fields.Integer(allow_none=True)


class ConversationDetailOut(ConversationOut):
    messages = fields.List(fields.Nested(ConversationMessageOut))
    older = fields.Integer(allow_none=True)


class TeamConversationOut(Schema):
    id = fields.Integer()
    member = fields.String(allow_none=True)
    status = fields.String()
    assignee = fields.String(allow_none=True)
    last_activity_at = fields.DateTime()


class TeamPageOut(Schema):
    items = fields.List(fields.Nested(TeamConversationOut))
    next = fields.Integer(allow_none=True)


class TeamDetailOut(TeamConversationOut):
    messages = fields.List(fields.Nested(ConversationMessageOut))
