"""Retention: conversations nobody wrote in for the site-set period are deleted, with a week's notice.

Off while ``retention_days`` is 0. Participants are told (in their language, when they look)
a week before; writing in the conversation meanwhile keeps it. Idempotent: a run repeats
nothing a previous run did.
"""
from __future__ import annotations

from datetime import timedelta

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import delete, select, update
from sqlalchemy.orm import selectinload

from core.plugin_api import NotificationKind, db, get_settings, notify_many, utcnow
from plugins.conversations.models import ACTIVE, Conversation, Participant, page_cache_keys_of

NOTICE = "conversations_retention"
NOTICE_DAYS = 7


def notification_kinds() -> list[NotificationKind]:
    return [NotificationKind(NOTICE, message=lambda note: _(
        "A conversation of yours will be deleted on %(date)s because nobody wrote in it for %(days)s days. "
        "Write in it to keep it.", date=format_date(_parse(note.data["delete_on"])), days=note.data["days"]))]


def _parse(value: str):
    from datetime import datetime

    return datetime.fromisoformat(value)


def delete_untouched() -> tuple[int, int]:
    """The job: (conversations given notice, conversations deleted)."""
    days = get_settings("conversations")["retention_days"]
    if not days:
        return 0, 0
    now = utcnow()
    cutoff = now - timedelta(days=days)
    # The notice's date shows on no cached page; a deletion shows in its people's badges only.
    db.session.execute(update(Conversation).where(Conversation.retention_notice_at.is_not(None),
                                                  Conversation.last_activity_at > Conversation.retention_notice_at)
                       .values(retention_notice_at=None)
                       .execution_options(synchronize_session=False, page_cache_keys=()))
    due = (Conversation.last_activity_at < cutoff, Conversation.retention_notice_at.is_not(None),
           Conversation.retention_notice_at <= now - timedelta(days=NOTICE_DAYS))
    pages = page_cache_keys_of(db.session.connection(), select(Conversation.id).where(*due))
    doomed = db.session.execute(delete(Conversation).where(*due).execution_options(page_cache_keys=pages))
    warn = list(db.session.scalars(
        select(Conversation).options(selectinload(Conversation.participants).selectinload(Participant.user))
        .where(Conversation.last_activity_at < cutoff + timedelta(days=NOTICE_DAYS),
               Conversation.retention_notice_at.is_(None)).limit(500)))
    delete_on = (now + timedelta(days=NOTICE_DAYS)).isoformat()
    for conversation in warn:
        people = [p.user for p in conversation.participants if p.state == ACTIVE]
        notify_many(people, NOTICE, url=f"/messages/{conversation.id}", bypass_policy=True,
                    data={"conversation_id": conversation.id, "delete_on": delete_on, "days": days})
        conversation.retention_notice_at = now
    db.session.commit()
    return len(warn), doomed.rowcount or 0
