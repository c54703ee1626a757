"""The events plugin's tables: events of a group, and who is going. Names start with ``events_``.

Ids are AUTOINCREMENT on SQLite, so a report about a deleted event never attaches to a new
one; both tables go with their group or their member (``ON DELETE CASCADE``).
"""
from __future__ import annotations

from datetime import datetime

from core.plugin_api import Group, User, UTCDateTime, db, utcnow
from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

TITLE_MAX_LENGTH = 120
LOCATION_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 2000


class Event(db.Model):
    """Something a group meets for: a time, a place, a description; reminded once."""

    __tablename__ = "events_events"
    __table_args__ = (Index("ix_events_events_upcoming", "group_id", "starts_at", "id"),
                      Index("ix_events_events_due", "reminded_at", "starts_at"),
                      {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), nullable=False)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False,
                                               index=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX_LENGTH), nullable=False)
    location: Mapped[str] = mapped_column(String(LOCATION_MAX_LENGTH), nullable=False, default="")
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    creator: Mapped[User] = relationship(User, lazy="raise")
    group: Mapped[Group] = relationship(Group, lazy="raise")


class Attendance(db.Model):
    """A member going to an event."""

    __tablename__ = "events_attendances"

    event_id: Mapped[int] = mapped_column(ForeignKey("events_events.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    user: Mapped[User] = relationship(User, lazy="raise")
