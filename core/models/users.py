"""People: accounts, API tokens."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from core.extensions import db
from core.models.base import UTCDateTime, utcnow


class User(UserMixin, db.Model):
    """A member's account: public ``username``/``display_name``, private ``email``, ``locale`` and ``country``."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, nullable=False)
    username: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    display_name: Mapped[str] = mapped_column(String(80), nullable=False)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    locale: Mapped[str] = mapped_column(String(8), nullable=False, default="en")
    country: Mapped[str | None] = mapped_column(String(2))
    bio: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # The uploaded picture in core.storage (a square image); None shows the generated initials avatar.
    avatar_key: Mapped[str | None] = mapped_column(String(100))
    adult_attested_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    is_site_admin: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    suspended_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    suspension_reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    # Who sees the bio, groups and posts on the profile: "everyone", "members" (of a group in
    # common) or "nobody" (others get the reduced view: name and username only).
    profile_visibility: Mapped[str] = mapped_column(String(10), nullable=False, default="everyone",
                                                    server_default="everyone")
    # The email digest of new posts in one's groups: "off", "daily" or "weekly"; the period last
    # sent (e.g. "daily:2026-12-05") keeps the job from sending one period twice.
    digest: Mapped[str] = mapped_column(String(10), nullable=False, default="off", server_default="off")
    digest_sent_period: Mapped[str | None] = mapped_column(String(24))

    tokens = relationship("ApiToken", back_populates="user", cascade="all, delete-orphan")

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    # The secret of the login session being started (see core.auth.login_sessions); never stored.
    login_secret = None

    def get_id(self) -> str:
        """What Flask-Login keeps in the session and remember-me cookies: id and login-session secret."""
        return f"{self.id}:{self.login_secret or ''}"

    @property
    def is_suspended(self) -> bool:
        """Asked by every permission check, dozens of times a page (``is_authenticated`` too): the
        loaded row's value is read from the instance's ``__dict__``, where SQLAlchemy keeps it, instead
        of through the column's descriptor; an unloaded or expired value goes through it (and loads)."""
        loaded = self.__dict__
        suspended_at = loaded["suspended_at"] if "suspended_at" in loaded else self.suspended_at
        if suspended_at is None:
            return False
        return self.suspension_in_force(suspended_at, self.suspended_until)

    @staticmethod
    def suspension_in_force(suspended_at: datetime | None, suspended_until: datetime | None) -> bool:
        """Whether a suspension with these dates holds now (also for a row read without the ORM)."""
        if suspended_at is None:
            return False
        return suspended_until is None or suspended_until > utcnow()

    @property
    def is_active(self) -> bool:  # Flask-Login: suspended accounts cannot log in
        return not self.is_suspended

    #: Flask-Login's is ``is_active`` called through a property of its own: the same one here, one
    #: step fewer for every permission check.
    is_authenticated = is_active

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class ApiToken(db.Model):
    """Personal API token; only a SHA-256 of the secret is stored, the secret is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(80), nullable=False)
    prefix: Mapped[str] = mapped_column(String(12), nullable=False)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    user = relationship("User", back_populates="tokens")

    @staticmethod
    def hash_secret(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str) -> tuple[ApiToken, str]:
        """Create a token; returns (row, secret). The secret is never stored."""
        secret = "cg_" + secrets.token_urlsafe(32)
        token = cls(user=user, name=name, prefix=secret[:10], token_hash=cls.hash_secret(secret))
        db.session.add(token)
        return token, secret
