"""Who may do what with events, built on core's permission checks and the group's own settings.

Seeing a group's events follows its content (``content_or_404`` on the pages): everyone for a
public group, members only for a private one.
"""
from __future__ import annotations

from typing import Any

from core.plugin_api import (
    can_moderate,
    can_view_group_content,
    get_group_settings,
    is_active_member_account,
    is_member,
    utcnow,
)

PLUGIN_ID = "events"


def group_settings(group: Any) -> dict[str, Any]:
    """The group's settings for events over their defaults (one query per request)."""
    return get_group_settings(PLUGIN_ID, group)


def can_see_events(user: Any, group: Any) -> bool:
    return can_view_group_content(user, group)


def can_create_event(user: Any, group: Any) -> bool:
    """Members in good standing; only moderators and up if the group chose so."""
    if group_settings(group)["who_creates"] == "moderators":
        return is_active_member_account(user) and can_moderate(user, group)
    return is_active_member_account(user) and is_member(user, group)


def can_attend(user: Any, group: Any, event: Any) -> bool:
    """Members say they are going to events that have not started yet."""
    return is_active_member_account(user) and is_member(user, group) and event.starts_at > utcnow()


def can_cancel_event(user: Any, group: Any, event: Any) -> bool:
    """Whoever added it, and the group's moderators."""
    return can_moderate(user, group) or (is_active_member_account(user) and user.id == event.created_by_id)
