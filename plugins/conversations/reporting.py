"""A private message as reportable content, through the reporting plugin's ``content_types`` hook.

The report's snapshot holds only the reported message; ``context`` (the few before it) is
added only when the reporter asks for it. A message is visible to a reporter who is in the
conversation; the reporting plugin's moderators see the snapshot, never the conversation.
"""
from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l

from core.plugin_api import ContentType, db
from plugins.conversations.access import participation
from plugins.conversations.models import ACTIVE, REQUEST, Message


def _load(message_id: int) -> Message | None:
    message = db.session.get(Message, message_id)
    if message is None or message.internal or message.deleted_at is not None:
        return None
    return message


def _visible_to(message: Message, user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return participation(user, message.conversation_id, (ACTIVE, REQUEST)) is not None


def _snapshot(message: Message) -> str:
    name = message.author.display_name if message.author is not None else "?"
    return f"{name}: {message.body_source}"


CONTEXT_MESSAGES = 3


def _snapshot_with_context(message: Message) -> str:
    """The reported message after the few before it – never more of the conversation."""
    from sqlalchemy import select

    before = list(db.session.scalars(
        select(Message).where(Message.conversation_id == message.conversation_id, Message.id < message.id,
                              Message.internal.is_(False), Message.deleted_at.is_(None))
        .order_by(Message.id.desc()).limit(CONTEXT_MESSAGES)))
    return "\n".join([_snapshot(m) for m in reversed(before)] + [">>> " + _snapshot(message)])


def message_content_types() -> list[ContentType]:
    return [message_content_type(), message_content_type(with_context=True)]


def message_content_type(with_context: bool = False) -> ContentType:
    return ContentType(
        name="conversation_message_context" if with_context else "conversation_message",
        label=_l("private message"),
        load=_load,
        visible_to=_visible_to,
        author_id=lambda m: m.author_id,
        group_id=lambda m: None,
        snapshot=_snapshot_with_context if with_context else _snapshot,
        url=lambda m: url_for("conversations.show", conversation_id=m.conversation_id) + f"#message-{m.id}",
    )
