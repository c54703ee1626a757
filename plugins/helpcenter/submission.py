"""What happens when someone sends the referral form: one counter, mail to themselves.

Nothing about the person or their problem is stored. The copy by email goes to the member's
own confirmed address through the outbox and is deleted from it once delivered.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import current_app

from core.plugin_api import RenderedEmail, enqueue_mail, render_email, utcnow
from plugins.helpcenter.directory import Referral

REMINDER_DELAY = timedelta(days=2)


def can_receive_copy(user: Any) -> bool:
    """Only a signed-in member with a confirmed address; the form never takes an address."""
    return bool(getattr(user, "is_authenticated", False) and user.email_confirmed_at is not None)


def mail_locale(user: Any, language: str) -> str:
    """The language the person asked for if the site speaks it, else their own setting."""
    languages = current_app.config["LANGUAGES"]
    if language in languages:
        return language
    if user.locale in languages:
        return user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _render(kind: str, user: Any, referral: Referral, path: str) -> RenderedEmail:
    return render_email(kind, user, locale=mail_locale(user, referral.language), referral=referral, path=path)


def send_copy(user: Any, referral: Referral, path: str) -> None:
    """Queue the same details the page shows, to the member's own address; purged once delivered."""
    mail = _render("helpcenter_referral", user, referral, path)
    enqueue_mail(user.email, mail.subject, mail.text, mail.html, purge_on_send=True)


def schedule_reminder(user: Any, referral: Referral) -> None:
    """A mail that waits in the outbox for two days; the outbox's due time is the only schedule."""
    mail = _render("helpcenter_reminder", user, referral, "worried")
    message = enqueue_mail(user.email, mail.subject, mail.text, mail.html, purge_on_send=True)
    message.next_attempt_at = utcnow() + REMINDER_DELAY
