"""Access helpers for API views: who is calling, and 401/404 answers as JSON.

Each operation's OpenAPI ``security`` is the truth about who may call it: the site default
(token or session) means authentication is required, and core answers 401 to an anonymous
write before anything else looks at it (``requires_authentication``); ``PUBLIC`` means anyone,
``OPTIONAL_AUTH`` anyone, with more to see when authenticated (a private group's content).
"""
from __future__ import annotations

from typing import Any

from flask import current_app, request
from flask_login import current_user
from flask_smorest import abort

from core.models import User

PUBLIC: list = []
OPTIONAL_AUTH: list = [{}, {"bearerAuth": []}, {"cookieAuth": []}]
AUTHENTICATION_REQUIRED = "Authentication required: log in or send 'Authorization: Bearer <token>'."


def requires_authentication() -> bool:
    """Whether the API operation this request is for declares that it needs an authenticated caller."""
    view: Any = current_app.view_functions.get(request.endpoint or "")
    doc = getattr(view, "_apidoc", None)
    if doc is None:
        return False  # not an API operation (docs, assets)
    security = doc.get("manual_doc", {}).get("security")
    if security is None:
        return True  # the site-wide default: token or session
    return bool(security) and {} not in security


def require_user() -> User:
    """The authenticated caller (session or token), else 401."""
    if not current_user.is_authenticated:
        abort(401, message=AUTHENTICATION_REQUIRED)
    return current_user._get_current_object()


def not_found(what: str = "Not found") -> None:
    """Forbidden and unknown objects look the same: 404."""
    abort(404, message=what)
