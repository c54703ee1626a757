"""Notifications mentorship sends; each sentence is built when shown, in the reader's language."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.plugin_api import EmailKind, NotificationKind
from plugins.mentorship.pairing import INTRODUCTION, PAIR_ENDED
from plugins.mentorship.requests import DECLINED, REQUEST

REMINDER = "mentorship_reminder"


def _introduction(note: Any) -> str:
    data = note.data or {}
    if data.get("role") == "mentor":
        text = _(
            "Meet your mentee %(name)s in “%(programme)s”.",
            name=data.get("other", ""),
            programme=data.get("programme", ""),
        )
    else:
        text = _(
            "Meet your mentor %(name)s in “%(programme)s”.",
            name=data.get("other", ""),
            programme=data.get("programme", ""),
        )
    if data.get("first_step"):
        text += " " + _("Your first step: %(step)s.", step=data["first_step"])
    return text


def _ended(note: Any) -> str:
    data = note.data or {}
    if data.get("reason") == "fit":
        text = _("Your pairing ended after the fit check. That happens, and it is nobody's fault.")
    else:
        text = _("Your mentorship pairing has ended. Thank you for the time you gave it.")
    if data.get("rematch"):
        text += " " + _("You will be among the first to be matched again.")
    return text


def _reminder(note: Any) -> str:
    return _("It has been a quiet week in your mentorship pair. A short hello is enough to keep going.")


def _request(note: Any) -> str:
    name = note.actor.display_name if note.actor is not None else _("A member")
    return _(
        "%(name)s would like you as their mentor in “%(programme)s”.",
        name=name,
        programme=(note.data or {}).get("programme", ""),
    )


def _declined(note: Any) -> str:
    return _(
        "Your mentor request in “%(programme)s” was declined. Another mentor may be a better fit.",
        programme=(note.data or {}).get("programme", ""),
    )


def notification_kinds() -> list[NotificationKind]:
    return [
        NotificationKind(INTRODUCTION, _introduction),
        NotificationKind(PAIR_ENDED, _ended),
        NotificationKind(REMINDER, _reminder),
        NotificationKind(REQUEST, _request),
        NotificationKind(DECLINED, _declined),
    ]


def email_kinds() -> list[EmailKind]:
    return [
        EmailKind(INTRODUCTION, label=_l("You are paired in a mentorship programme")),
        EmailKind(PAIR_ENDED, label=_l("Your mentorship pairing ends")),
        EmailKind(REMINDER, label=_l("Gentle reminders when your mentorship pair has been quiet")),
        EmailKind(REQUEST, label=_l("A mentee asks you to be their mentor")),
        EmailKind(DECLINED, label=_l("Your mentor request is declined")),
    ]
