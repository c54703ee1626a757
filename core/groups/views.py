"""The groups blueprint (``/g``): its pages live in small modules that register on ``bp``."""
from __future__ import annotations

from core.groups import bp, directory, feed, members, notify_level, posts, reaction_pages, reads, settings
from core.groups.group_page import group_page_helpers

__all__ = ["bp", "directory", "feed", "members", "notify_level", "posts", "reaction_pages", "reads", "settings"]


@bp.app_context_processor
def _group_helpers() -> dict:
    """Templates ask ``perms`` (``core.permissions``) what to show; they never test roles themselves.

    App-wide, so a plugin's template that draws group parts (``groups/_macros.html``) has them too."""
    return group_page_helpers()
