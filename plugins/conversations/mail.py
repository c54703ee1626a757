"""Email about new messages: a periodic job, at most one mail per conversation per interval.

Whether a member gets it is core's notification email setting for ``conversations_new_message``
(``who_wants_email``); mail goes in the reader's language and never carries message text
when they chose "no content in email" here. Muted conversations, requests and blocked
senders never send mail.
"""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select

from core.plugin_api import (
    EmailKind,
    User,
    can_interact,
    db,
    enqueue_mail,
    get_settings,
    render_email,
    utcnow,
    who_wants_email,
)
from plugins.conversations.models import ACTIVE, Conversation, Message, Participant, Preference

KIND = "conversations_new_message"
BATCH = 500


def email_kinds() -> list[EmailKind]:
    """Members switch it off on core's notification settings page, like any other email."""
    return [EmailKind(KIND, label=_l("New private messages (at most one email per conversation in a while)"))]


def due(now) -> list:
    """Participants with unread messages newer than their last mail, whose last mail is older than the interval."""
    interval = timedelta(minutes=get_settings("conversations")["email_interval_minutes"])
    return list(db.session.execute(
        select(Participant, Conversation, User)
        .join(Conversation, Conversation.id == Participant.conversation_id)
        .join(User, User.id == Participant.user_id)
        .where(Participant.state == ACTIVE, Participant.muted.is_(False),
               Conversation.last_message_id > Participant.last_read_id,
               or_(Participant.last_emailed_at.is_(None),
                   and_(Participant.last_emailed_at < now - interval,
                        Participant.last_emailed_at < Conversation.last_activity_at)))
        .order_by(Participant.id).limit(BATCH)).all())


def send_new_message_mail() -> int:
    """The job: mail everyone due; returns how many mails were queued."""
    now = utcnow()
    rows = due(now)
    if not rows:
        return 0
    ids = [u.id for _p, _c, u in rows]
    prefs = {p.user_id: p for p in db.session.scalars(select(Preference).where(Preference.user_id.in_(ids)))}
    wanted = who_wants_email(KIND, ids)
    sent = 0
    for participant, conversation, user in rows:
        participant.last_emailed_at = now
        pref = prefs.get(user.id)
        if user.id not in wanted or not user.email or not user.email_confirmed:
            continue
        latest = db.session.scalar(
            select(Message).where(Message.conversation_id == conversation.id, Message.internal.is_(False),
                                  Message.id > participant.last_read_id, Message.author_id != user.id)
            .order_by(Message.id.desc()).limit(1))
        if latest is None:
            continue
        sender = latest.author
        if sender is not None and not latest.from_team and not can_interact(user, sender):
            continue
        show_text = pref is None or pref.email_content
        if latest.from_team and conversation.group is not None:
            from_name = _l("the team of %(group)s", group=conversation.group.name)
        else:
            from_name = sender.display_name if sender is not None else _l("Deleted account")
        mail = render_email(KIND, user, from_name=from_name,
                            text=latest.body_source if show_text and latest.deleted_at is None else None,
                            url=f"{current_app.config['SITE_URL'].rstrip('/')}/messages/{conversation.id}")
        enqueue_mail(user.email, mail.subject, mail.text, mail.html)
        sent += 1
    db.session.commit()
    return sent
