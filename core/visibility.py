"""Hiding people from a viewer inside SQL: the ``hidden_user_ids`` hook as a subquery."""
from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, true, union

from core.extensions import db
from core.plugins.registry import get_plugins


def hidden_user_select(viewer: Any):
    """A union of every enabled plugin's ``hidden_user_ids(viewer)`` select, or None."""
    if not getattr(viewer, "is_authenticated", False):
        return None
    selects = get_plugins().call("hidden_user_ids", viewer=viewer)
    if not selects:
        return None
    return selects[0] if len(selects) == 1 else union(*selects)


def not_hidden(column: ColumnElement, viewer: Any) -> ColumnElement:
    """A WHERE clause: ``column NOT IN (hidden ids)``; embeds in the caller's one query."""
    hidden = hidden_user_select(viewer)
    if hidden is None:
        return true()
    return column.not_in(hidden.scalar_subquery() if hasattr(hidden, "scalar_subquery") else hidden)


def is_hidden_from(viewer: Any, user_id: int) -> bool:
    """One-off check for a single person (profile pages)."""
    hidden = hidden_user_select(viewer)
    if hidden is None:
        return False
    sub = hidden.subquery()
    return db.session.scalar(db.select(sub.c[0]).where(sub.c[0] == user_id).limit(1)) is not None
