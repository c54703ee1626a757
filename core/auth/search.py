"""Finding people by username, email or display name (admin list and API), newest first."""
from __future__ import annotations

from core.extensions import db
from core.models import User


def search_users(q: str, after: int | None, limit: int) -> tuple[list[User], int | None]:
    """One page of matches below the ``after`` id; returns (users, cursor for the next page or None)."""
    query = db.select(User).order_by(User.id.desc()).limit(limit + 1)
    q = (q or "").strip()
    if q:
        # autoescape: % and _ typed by the admin are matched literally, not as wildcards.
        query = query.where(db.or_(*(column.icontains(q, autoescape=True)
                                     for column in (User.username, User.email, User.display_name))))
    if after is not None:
        query = query.where(User.id < after)
    users = list(db.session.scalars(query))
    if len(users) > limit:
        return users[:limit], users[limit - 1].id
    return users, None
