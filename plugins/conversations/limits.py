"""Rate limits on starting conversations: tighter for new accounts, shared across workers."""
from __future__ import annotations

from datetime import timedelta

from flask_login import current_user

from core.plugin_api import get_settings, is_authenticated, utcnow

PLUGIN_ID = "conversations"


def start_rate() -> str:
    """Flask-Limiter calls this per request: the hourly allowance for the person starting one."""
    settings = get_settings(PLUGIN_ID)
    if is_authenticated(current_user):
        young = current_user.created_at > utcnow() - timedelta(days=settings["new_account_days"])
        if young:
            return f"{settings['new_account_conversations_per_hour']}/hour"
    return f"{settings['conversations_per_hour']}/hour"


def start_key() -> str:
    return f"conversations-start:{current_user.get_id() or 'anon'}"
