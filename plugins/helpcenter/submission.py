"""What happens when someone sends the referral form: one counter, mail to themselves.

Nothing about the person or their problem is stored. The copy by email (and the reminder two
days later) is a job holding the member's account id and their choices until it is sent; see
``plugins.helpcenter.mail``.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from core.plugin_api import enqueue_job
from plugins.helpcenter.directory import Referral
from plugins.helpcenter.mail import COPY_JOB, REMINDER_JOB

REMINDER_DELAY = timedelta(days=2)


def send_copy(user: Any, referral: Referral, path: str) -> None:
    """Queue the mail of the details the page shows; the worker renders and sends it."""
    enqueue_job(COPY_JOB, user.id, path, referral.country, referral.language)


def schedule_reminder(user: Any, referral: Referral) -> None:
    """Queue the reminder for two days from now: the job's due time is its only schedule."""
    enqueue_job(REMINDER_JOB, user.id, referral.country, referral.language, delay=REMINDER_DELAY)
