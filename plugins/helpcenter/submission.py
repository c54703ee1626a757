"""What happens when someone sends the referral form: rate limit, one counter, mail to themselves.

Nothing about the person or their problem is stored. The copy by email goes to the member's
own confirmed address through the outbox and is deleted from it once delivered.
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta
from typing import Any

from flask import current_app
from flask_limiter.util import get_remote_address
from limits import parse_many

from core.plugin_api import RenderedEmail, enqueue_mail, limiter, render_email, utcnow
from plugins.helpcenter.directory import Referral

# (config key, default): a member may ask a few times; an address (shared by a school or an
# office, say) somewhat more. Beyond either, the page still shows everything but sends no email.
RATE_LIMITS = {
    "member": ("HELPCENTER_RATELIMIT_MEMBER", "5 per hour;20 per day"),
    "address": ("HELPCENTER_RATELIMIT_ADDRESS", "30 per hour;200 per day"),
}
REMINDER_DELAY = timedelta(days=2)


def _limit_key(kind: str, value: str) -> str:
    """Rate-limit storage sees a keyed hash, never an address or a user id."""
    secret = current_app.config["SECRET_KEY"].encode()
    return kind + ":" + hmac.new(secret, value.encode(), hashlib.sha256).hexdigest()[:32]


def within_rate_limit(user: Any) -> bool:
    """Count this submission per address and per member; False once either is over its limit."""
    if not limiter.enabled:
        return True
    who = {"address": get_remote_address() or ""}
    if getattr(user, "is_authenticated", False):
        who["member"] = str(user.id)
    allowed = True
    for kind, value in who.items():
        setting, default = RATE_LIMITS[kind]
        for item in parse_many(current_app.config.get(setting, default)):
            if not limiter.limiter.hit(item, "helpcenter-referral", _limit_key(kind, value)):
                allowed = False
    return allowed


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
