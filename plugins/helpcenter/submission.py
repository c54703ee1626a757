"""What happens when someone sends the referral form: rate limit, one counter, mail to themselves.

Nothing about the person or their problem is stored. The copy by email (and the reminder two
days later) is a job holding the member's account id and their choices until it is sent; see
``plugins.helpcenter.mail``.
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta
from typing import Any

from flask import current_app
from flask_limiter.util import get_remote_address
from limits import parse_many

from core.plugin_api import enqueue_job, limiter
from plugins.helpcenter.directory import Referral
from plugins.helpcenter.mail import COPY_JOB, REMINDER_JOB

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


def send_copy(user: Any, referral: Referral, path: str) -> None:
    """Queue the mail of the details the page shows; the worker renders and sends it."""
    enqueue_job(COPY_JOB, user.id, path, referral.country, referral.language)


def schedule_reminder(user: Any, referral: Referral) -> None:
    """Queue the reminder for two days from now: the job's due time is its only schedule."""
    enqueue_job(REMINDER_JOB, user.id, referral.country, referral.language, delay=REMINDER_DELAY)
