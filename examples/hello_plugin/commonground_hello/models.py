"""The greeting wall's one table. Plugin tables are prefixed with the plugin id."""
from __future__ import annotations

from datetime import datetime

from core.plugin_api import User, UTCDateTime, db, utcnow
from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

MESSAGE_MAX_LENGTH = 140


class Greeting(db.Model):
    """A short hello a member leaves on the wall; deleted with its author's account."""

    __tablename__ = "hello_greetings"
    __table_args__ = (Index("ix_hello_greetings_wall", "created_at", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    message: Mapped[str] = mapped_column(String(MESSAGE_MAX_LENGTH), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    author: Mapped[User] = relationship(User, lazy="raise")
