"""Finding people by username, email or display name (admin list and API), newest first."""
from __future__ import annotations

from core.extensions import db
from core.models import User


def search_users(q: str, after: int | None, limit: int) -> tuple[list[User], int | None]:
    """One page of matches below the ``after`` id; returns (users, cursor for the next page or None)."""
    query = db.select(User).order_by(User.id.desc()).limit(limit + 1)
    q = (q or "").strip().lower()
    if q:
        pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            db.or_(
                db.func.lower(User.username).like(pattern, escape="\\"),
                db.func.lower(User.email).like(pattern, escape="\\"),
                db.func.lower(User.display_name).like(pattern, escape="\\"),
            )
        )
    if after is not None:
        query = query.where(User.id < after)
    users = list(db.session.scalars(query))
    if len(users) > limit:
        return users[:limit], users[limit - 1].id
    return users, None
