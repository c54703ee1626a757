"""Export and erasure: a member's own messages leave with them; others see "deleted account"."""
from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import joinedload, selectinload

from core.plugin_api import db, utcnow
from plugins.conversations.models import Conversation, Message, Participant, Preference


def export(user: Any) -> dict:
    """Each conversation the member took part in: who else was in it (names as shown) and their own messages."""
    conversations = list(db.session.scalars(
        select(Conversation).join(Participant, Participant.conversation_id == Conversation.id)
        .options(joinedload(Conversation.group), selectinload(Conversation.participants).joinedload(Participant.user))
        .where(Participant.user_id == user.id).order_by(Conversation.id)))
    own: dict[int, list[Message]] = {}
    for message in db.session.scalars(select(Message).where(Message.author_id == user.id, Message.internal.is_(False))
                                      .order_by(Message.id)):
        own.setdefault(message.conversation_id, []).append(message)
    pref = db.session.scalar(select(Preference).where(Preference.user_id == user.id))
    return {
        "settings": {"who_may_message": pref.who_may_message, "email_content": pref.email_content} if pref else None,
        "conversations": [{
            "kind": c.kind,
            "subject": c.subject,
            "group": c.group.name if c.group is not None else None,
            "with": [p.user.display_name for p in c.participants if p.user_id != user.id],
            "messages": [{"sent_at": m.created_at.isoformat(), "text": m.body_source,
                          "deleted": m.deleted_at is not None} for m in own.get(c.id, [])],
        } for c in conversations],
    }


def erase(user: Any) -> None:
    """Their messages' text is removed and signed "deleted account"; their places and settings go."""
    db.session.execute(update(Message).where(Message.author_id == user.id).values(
        author_id=None, author_erased=True, body_source="", body_html="", body_inert="",
        deleted_at=utcnow()).execution_options(synchronize_session=False))
    db.session.execute(update(Conversation).where(Conversation.assignee_id == user.id).values(assignee_id=None)
                       .execution_options(synchronize_session=False))
    db.session.execute(update(Conversation).where(Conversation.created_by_id == user.id).values(created_by_id=None)
                       .execution_options(synchronize_session=False))
    db.session.execute(delete(Participant).where(Participant.user_id == user.id)
                       .execution_options(synchronize_session=False))
    db.session.execute(delete(Preference).where(Preference.user_id == user.id)
                       .execution_options(synchronize_session=False))
