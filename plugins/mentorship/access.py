"""Who may do what with programmes: group admins manage, members take part."""

from __future__ import annotations

from typing import Any

from flask import abort

from core.plugin_api import GroupContext, can_admin_group, content_or_404, group_or_404
from plugins.mentorship.models import Programme
from plugins.mentorship.programmes import programme_in_group


def can_manage(user: Any, group: Any) -> bool:
    """Programmes are made, edited, started and paired by the group's admins and owner."""
    return can_admin_group(user, group)


def programme_or_404(slug: str, programme_id: int, *, manage: bool = False) -> tuple[GroupContext, Programme]:
    """The programme if the viewer may see it: drafts only for managers; 404 otherwise."""
    from flask_login import current_user

    context = group_or_404(slug) if manage else content_or_404(slug)
    if manage and not can_manage(current_user, context.group):
        abort(404)
    programme = programme_in_group(context.group, programme_id)
    if programme is None or (programme.state == "draft" and not can_manage(current_user, context.group)):
        abort(404)
    return context, programme
