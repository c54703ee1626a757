"""Who may do what with hubs, built on core's permission checks.

A site-wide hub is owned by the site admins, a group's hub by that group's admins; owners
also grant the ``owner`` role per hub. Editors write; a draft is published only by an editor
who did not write it. Partner organisations are verified by site admins only.
"""
from __future__ import annotations

from typing import Any

from core.plugin_api import can_admin_group, can_view_group_content, is_active_member_account, is_site_admin


def hub_role(user: Any, hub: Any, roles: dict[int, str]) -> str | None:
    """``"owner"``, ``"editor"`` or None; ``roles`` is the viewer's {hub id: role} (one query, loaded once)."""
    if not is_active_member_account(user):
        return None
    if is_site_admin(user) if hub.group_id is None else can_admin_group(user, hub.group):
        return "owner"
    return roles.get(hub.id)


def can_see_hub(user: Any, hub: Any) -> bool:
    return hub.group_id is None or can_view_group_content(user, hub.group)


def can_own(user: Any, hub: Any, roles: dict[int, str]) -> bool:
    return hub_role(user, hub, roles) == "owner"


def can_edit(user: Any, hub: Any, roles: dict[int, str]) -> bool:
    return hub_role(user, hub, roles) is not None


def can_publish(user: Any, hub: Any, roles: dict[int, str], revision: Any) -> bool:
    """An editor publishes someone else's draft; nobody approves their own."""
    return can_edit(user, hub, roles) and revision.author_id != getattr(user, "id", None)


def can_verify_partners(user: Any) -> bool:
    return is_site_admin(user)


def can_manage_partners(user: Any, any_hub_role: bool) -> bool:
    """Site admins and anyone editing some hub may add partner organisations (not verify them)."""
    return is_site_admin(user) or (is_active_member_account(user) and any_hub_role)
