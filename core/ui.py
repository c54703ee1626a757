"""Template globals shared by every page: navigation from plugins, unread count."""
from __future__ import annotations

from flask import Flask, g
from flask_login import current_user

from core.extensions import db
from core.plugins import get_plugins


def nav_items() -> list:
    items = get_plugins().call_flat("nav_items", user=current_user)
    return sorted(items, key=lambda item: (item.order, str(item.label)))


def unread_notifications() -> int:
    """Unread count for the header; one COUNT query, memoised for the request."""
    from core.models import Notification

    if not current_user.is_authenticated:
        return 0
    if "_unread" not in g:
        g._unread = db.session.scalar(
            db.select(db.func.count(Notification.id)).where(
                Notification.user_id == current_user.id, Notification.read_at.is_(None)
            )
        ) or 0
    return g._unread


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(nav_items=nav_items, unread_notifications=unread_notifications)
