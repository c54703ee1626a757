"""Notify members: an in-app notification and, for kinds with email, a mail in the outbox.

Every notification goes through ``notify`` or ``notify_many`` so the ``can_interact``
policy, the members' email choices and their language are respected in one place. What is
stored is structured (kind, actor, group, url and ``data``); the sentence is built when the
notification is shown (``core.notifications.describe``), in the reader's language.

Notifying many people costs a fixed number of queries, whatever their number: the email
choices of all recipients are read in one query, and the notifications and outbox rows are
written by the caller's commit as one multi-row INSERT each. (A ``can_interact`` plugin is
asked once per recipient and must answer from memory after its first query, as reporting's
blocks do.)

Email goes out only to a confirmed address, for a kind with an email kind of the same name
the member has not switched off, rendered by ``core.mail_render`` in the member's language.
Its templates get ``user``, ``actor``, ``group``, ``data``, ``message`` (the notification's
sentence as text), ``url`` and ``settings_url`` (absolute links).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask_babel import force_locale

from core.extensions import db
from core.mail_render import absolute, mail_locale, render_email
from core.models import Notification, User
from core.models.base import utcnow
from core.notifications.describe import describe_text
from core.notifications.kinds import UnknownKind, registry
from core.notifications.preferences import who_wants_email
from core.outbox import enqueue

PerRecipient = Callable[[User], Any]


def notify(user: User, kind: str, *, actor: User | None = None, group: Any = None, url: str | None = None,
           data: dict | None = None, bypass_policy: bool = False) -> Notification | None:
    """Notify ``user``; returns None when nothing was created (see ``notify_many``)."""
    created = notify_many([user], kind, actor=actor, group=group, url=url, data=data, bypass_policy=bypass_policy)
    return created[0] if created else None


def notify_many(users: Iterable[User], kind: str, *, actor: User | None = None, group: Any = None,
                url: str | PerRecipient | None = None, data: dict | PerRecipient | None = None,
                bypass_policy: bool = False) -> list[Notification]:
    """Notify each of ``users`` once (the caller commits); returns the notifications created.

    ``url`` and ``data`` are the same for everyone, or a function of the recipient. Nobody
    is notified about their own action; people ``actor`` may not reach (``can_interact``) are
    left out unless ``bypass_policy`` (moderation notices, which must reach someone who
    blocked a moderator). Nothing is created while the kind's plugin is disabled (in
    ``group``, for a group plugin). Raises ``UnknownKind`` for a kind nobody declared.
    """
    from core.permissions import can_interact

    kinds = registry()
    entry = kinds.notification.get(kind)
    if entry is None:
        raise UnknownKind(f"no notification kind {kind!r}: declare it with the register_notification_kinds hook")
    if not kinds.is_active(entry.plugin_id, group):
        return []
    recipients: dict[int, User] = {}
    for user in users:
        if user.id in recipients or (actor is not None and actor.id == user.id):
            continue
        if actor is not None and not bypass_policy and not can_interact(actor, user, group):
            continue
        recipients[user.id] = user
    if not recipients:
        return []
    rows = [{"user_id": user.id, "kind": kind, "actor_id": actor.id if actor is not None else None,
             "group_id": group.id if group is not None else None, "url": url(user) if callable(url) else url,
             "data": (data(user) if callable(data) else dict(data or {})) or {}, "created_at": utcnow()}
            for user in recipients.values()]
    # One multi-row INSERT (in batches of 1,000), the new rows returned as objects in no set order.
    created = {note.user_id: note for note in db.session.scalars(db.insert(Notification).returning(Notification),
                                                                   rows)}
    notes = [created[user_id] for user_id in recipients]
    mailed = _email_recipients(kind, recipients.values())
    # The outbox rows are written by the caller's flush, all at once; don't flush them one by one.
    with db.session.no_autoflush:
        for note in notes:
            if note.user_id in mailed:
                _queue_email(note, recipients[note.user_id], actor, group)
    return notes


def _email_recipients(kind: str, users: Iterable[User]) -> set[int]:
    """Ids of those who get this kind's email now: confirmed address, kind on, plugin enabled."""
    kinds = registry()
    entry = kinds.email.get(kind)
    if entry is None or not kinds.is_active(entry.plugin_id):
        return set()
    return who_wants_email(kind, [user.id for user in users if user.email_confirmed])


def _queue_email(note: Notification, user: User, actor: User | None, group: Any) -> None:
    locale = mail_locale(user)
    with force_locale(locale):
        message = describe_text(note)
    mail = render_email(note.kind, user, locale=locale, actor=actor, group=group, data=note.data, message=message,
                        url=absolute(note.url))
    enqueue(user.email, mail.subject, mail.text, mail.html)
