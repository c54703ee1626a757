"""The help center's mail: queued as a job, rendered and sent by the worker, never stored.

The form queues a job holding only what sending needs: the member's account id and what they
chose (path, country, language) – no address, no subject, no text. When the job runs it looks
up the member's current confirmed address, renders the message in their language and hands it
straight to the mail server (``send_mail_now``); nothing waits in the outbox. Sending runs in the
worker, never in the web request.

A mail server that is down or hung makes the job fail with an error that names neither the
person nor the message; it is retried like outbox mail (``OUTBOX_MAX_ATTEMPTS`` tries, waits
from ``OUTBOX_BACKOFF_SECONDS`` doubling) and then dropped. Either way the queued job – the only
trace – is gone once it was sent or given up. An account deleted or unconfirmed in the meantime
gets nothing. Each queued job runs once (core claims every run), so a duplicate delivery of the
same job cannot send the mail twice.
"""
from __future__ import annotations

import logging
from typing import Any

from flask import current_app

from core.plugin_api import MailRefused, User, db, render_email, send_mail_now
from plugins.helpcenter import directory

log = logging.getLogger("commonground.helpcenter")

COPY_JOB = "helpcenter.send_copy"
REMINDER_JOB = "helpcenter.remind"


class MailNotSent(Exception):
    """A temporary delivery failure, described without the address or the message."""


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


def send_copy(user_id: int, path: str, country: str, language: str) -> None:
    """Job: email the member the helplines the form showed them."""
    _deliver("helpcenter_referral", user_id, path, country, language)


def remind(user_id: int, country: str, language: str) -> None:
    """Job: remind the member, two days later, to check on the person they were worried about."""
    _deliver("helpcenter_reminder", user_id, "worried", country, language)


def _deliver(kind: str, user_id: int, path: str, country: str, language: str) -> None:
    user = db.session.get(User, user_id)
    if user is None or not can_receive_copy(user):
        log.info("helpcenter: a %s was not sent: the account is gone or no longer confirmed", kind)
        return
    result = directory.referral(country, language, directory.known_countries(), directory.known_languages())
    mail = render_email(kind, user, locale=mail_locale(user, result.language), referral=result, path=path)
    try:
        send_mail_now(user.email, mail.subject, mail.text, mail.html)
    except MailRefused:
        log.warning("helpcenter: the mail server refused a %s for good; it is dropped", kind)
    except Exception as err:
        # Only the error's type: its message may quote the address, and logs keep it.
        raise MailNotSent(f"a {kind} could not be sent ({type(err).__name__}); it will be retried") from None
