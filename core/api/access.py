"""Access helpers for API views: who is calling, and 401/404 answers as JSON."""
from __future__ import annotations

from flask_login import current_user
from flask_smorest import abort

from core.models import User


def require_user() -> User:
    """The authenticated caller (session or token), else 401."""
    if not current_user.is_authenticated:
        abort(401, message="Authentication required: log in or send 'Authorization: Bearer <token>'.")
    return current_user._get_current_object()


def not_found(what: str = "Not found") -> None:
    """Forbidden and unknown objects look the same: 404."""
    abort(404, message=what)
