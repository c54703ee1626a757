"""Signed links to a decision, for people who cannot log in (a suspended account may still appeal)."""
from __future__ import annotations

from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

SALT = "reporting.decision"
MAX_AGE = 60 * 60 * 24 * 400  # longer than any appeal window; the window itself is checked separately


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def decision_token(decision: Any) -> str:
    return _serializer().dumps({"d": decision.id, "u": decision.target_user_id})


def token_matches(token: str | None, decision: Any) -> bool:
    """True if ``token`` was issued for this decision and its person."""
    if not token:
        return False
    try:
        data = _serializer().loads(token, max_age=MAX_AGE)
    except BadSignature:
        return False
    return data == {"d": decision.id, "u": decision.target_user_id} and decision.target_user_id is not None
