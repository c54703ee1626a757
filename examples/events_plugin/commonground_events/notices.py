"""What events tells members: a reminder before an event they go to, and that one was cancelled.

Only ids, the title and the time are stored with a notification; the sentence is built when it
is shown, in the reader's language (``core.plugin_api.notify``).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from core.plugin_api import EmailKind, NotificationKind
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

REMINDER = "events_reminder"
CANCELLED = "events_cancelled"


def event_data(event: Any) -> dict[str, Any]:
    """What a notification keeps about an event: enough to say it, even after it is deleted."""
    return {"event_id": event.id, "title": event.title, "starts_at": event.starts_at.isoformat()}


def when(data: dict[str, Any]) -> str:
    """The event's time in the reader's language and the site's time zone."""
    return format_datetime(datetime.fromisoformat(data["starts_at"]), "short")


def _strong(value: Any) -> Markup:
    return Markup("<strong>%s</strong>") % value


def reminder_message(note: Any) -> Markup:
    group = note.group.name if note.group is not None else _("your group")
    return Markup(escape(_("%(title)s in %(group)s starts on %(when)s."))) % {
        "title": _strong(note.data["title"]), "group": _strong(group), "when": when(note.data)}


def cancelled_message(note: Any) -> Markup:
    actor = note.actor.display_name if note.actor is not None else _("Someone")
    return Markup(escape(_("%(actor)s cancelled %(title)s on %(when)s."))) % {
        "actor": _strong(actor), "title": _strong(note.data["title"]), "when": when(note.data)}


def notification_kinds() -> list[NotificationKind]:
    return [NotificationKind(REMINDER, reminder_message), NotificationKind(CANCELLED, cancelled_message)]


def email_kinds() -> list[EmailKind]:
    return [
        EmailKind(REMINDER, label=_l("An event you are going to starts soon")),
        EmailKind(CANCELLED, label=_l("An event you are going to is cancelled")),
    ]
