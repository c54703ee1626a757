"""Server-side records of logged-in browsers: log-out ends one, Settings lists and ends them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models.base import UTCDateTime, utcnow


class LoginSession(db.Model):
    """One log-in on one device, referenced by the session and remember-me cookies.

    The cookies carry a random secret; only its SHA-256 is stored, so a copy of the database
    opens no session. No IP address and no raw User-Agent are kept: the device is described by
    the browser and system names alone. ``last_seen_at`` is approximate (written at most every
    ``LOGIN_SESSION_TOUCH_SECONDS``), and a session unused for longer than its idle limit ends.
    """

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    remembered: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    browser: Mapped[str | None] = mapped_column(String(40))
    platform: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow, index=True)
