"""Template globals shared by every page: navigation from plugins, unread count, form error lists."""
from __future__ import annotations

from flask import Flask, g
from flask_babel import format_decimal
from flask_login import current_user

from core.extensions import db
from core.plugins import get_plugins


def nav_items() -> list:
    items = get_plugins().call_flat("nav_items", user=current_user)
    return sorted(items, key=lambda item: (item.order, str(item.label)))


def unread_notifications() -> int:
    """Unread count for the header (visible kinds only); one COUNT query, memoised for the request."""
    from core.notifications.inbox import unread_count_select

    if not current_user.is_authenticated:
        return 0
    if "_unread" not in g:
        g._unread = db.session.scalar(db.select(unread_count_select(current_user.id))) or 0
    return g._unread


def init_app(app: Flask) -> None:
    from core.avatars import avatar
    from core.errors import _size_text
    from core.schemas.error_messages import message_list
    from core.storage import file_url, image_srcset

    app.jinja_env.globals.update(nav_items=nav_items, unread_notifications=unread_notifications, avatar=avatar,
                                 file_url=file_url, image_srcset=image_srcset)
    app.jinja_env.filters["error_list"] = message_list
    app.jinja_env.filters["filesize"] = _size_text
    app.jinja_env.filters["format_number"] = format_decimal  # 10000 -> "10,000" / "10.000" by language
