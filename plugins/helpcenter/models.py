"""The helpline directory and the only trace a use of the referral form leaves: a weekly counter.

Nothing here refers to a user: the directory is public reference data and the counter is
keyed by ISO week, country and path alone.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.plugin_api import UTCDateTime, db, utcnow

PATHS = ("support", "worried")
STALE_AFTER = timedelta(days=365)


def is_stale(verified_on: date | None, today: date | None = None) -> bool:
    """Unverified data, or data last verified more than a year ago, needs an admin's look."""
    if verified_on is None:
        return True
    return verified_on < (today or utcnow().date()) - STALE_AFTER


class Helpline(db.Model):
    """A support service people can contact; retired entries are kept but never shown publicly."""

    __tablename__ = "helpcenter_helplines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    country: Mapped[str] = mapped_column(String(2), nullable=False, index=True)
    # {"en": "...", "de": "..."}: one text per site language.
    description: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    open_24_7: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    hours: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    free: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    anonymous: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    languages: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    topics: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    source_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    source_url: Mapped[str | None] = mapped_column(String(500))
    verified_on: Mapped[date | None] = mapped_column(Date)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)

    channels: Mapped[list[Channel]] = relationship(
        back_populates="helpline", cascade="all, delete-orphan", order_by="Channel.position"
    )

    @property
    def stale(self) -> bool:
        return is_stale(self.verified_on)

    @property
    def verified(self) -> bool:
        """Shown as verified only with a date within the last twelve months."""
        return not self.stale

    def speaks(self, language: str) -> bool:
        primary = language.split("-")[0].lower()
        return any(code.split("-")[0].lower() == primary for code in self.languages or ())

    def __repr__(self) -> str:
        return f"<Helpline {self.name} ({self.country})>"


class Channel(db.Model):
    """One way to reach a helpline. Phone and SMS values are E.164; the rest are URLs or addresses."""

    __tablename__ = "helpcenter_channels"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    helpline_id: Mapped[int] = mapped_column(
        ForeignKey("helpcenter_helplines.id", ondelete="CASCADE"), nullable=False, index=True
    )
    # "phone", "sms" (E.164 values), "chat", "webform" (URLs) or "email" (an address).
    kind: Mapped[str] = mapped_column(String(10), nullable=False)
    value: Mapped[str] = mapped_column(String(500), nullable=False)
    # How people dial it at home, e.g. "0800 111 0 111" (phone and SMS only).
    display: Mapped[str | None] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    helpline: Mapped[Helpline] = relationship(back_populates="channels")

    @property
    def href(self) -> str:
        if self.kind == "phone":
            return f"tel:{self.value}"
        if self.kind == "sms":
            return f"sms:{self.value}"
        if self.kind == "email":
            return f"mailto:{self.value}"
        return self.value

    @property
    def text(self) -> str:
        """What people read: the national form of a number, a web address without "https://"."""
        if self.display:
            return self.display
        if self.kind in ("chat", "webform"):
            return self.value.split("://", 1)[-1].rstrip("/")
        return self.value


class EmergencyNumber(db.Model):
    """The number to call when someone is in immediate danger, per country."""

    __tablename__ = "helpcenter_emergency_numbers"

    country: Mapped[str] = mapped_column(String(2), primary_key=True)
    number: Mapped[str] = mapped_column(String(10), nullable=False)
    source_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    source_url: Mapped[str | None] = mapped_column(String(500))
    verified_on: Mapped[date | None] = mapped_column(Date)

    @property
    def stale(self) -> bool:
        return is_stale(self.verified_on)

    @property
    def verified(self) -> bool:
        return not self.stale


class UsageCount(db.Model):
    """How often the form was used, per ISO week, country and path. No user, no address, no text."""

    __tablename__ = "helpcenter_usage_counts"

    week: Mapped[str] = mapped_column(String(8), primary_key=True)  # e.g. "2026-W47"
    country: Mapped[str] = mapped_column(String(2), primary_key=True)
    path: Mapped[str] = mapped_column(String(10), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
