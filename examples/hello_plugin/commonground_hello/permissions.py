"""Who may do what on the wall, built on core's permission checks."""
from __future__ import annotations

from typing import Any

from core.plugin_api import is_active_member_account, is_site_admin


def can_greet(user: Any) -> bool:
    """Members in good standing may leave a greeting (not suspended, email confirmed)."""
    return is_active_member_account(user)


def can_delete_greeting(user: Any, greeting: Any) -> bool:
    """Authors take back their own greeting; site admins remove any."""
    return is_site_admin(user) or (getattr(user, "id", None) is not None and user.id == greeting.author_id)
