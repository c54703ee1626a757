"""The site's own identity, chosen by the first site admin in the first-run setup."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models.base import UTCDateTime, utcnow


class SiteProfile(db.Model):
    """One row (id 1): name, description, logo and default language shown in the header, on the
    home page and in every mail. ``setup_done_at`` is set once the setup is saved or skipped."""

    __tablename__ = "site_profile"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str | None] = mapped_column(String(80))
    description: Mapped[str | None] = mapped_column(Text)
    logo_key: Mapped[str | None] = mapped_column(String(200))
    default_locale: Mapped[str | None] = mapped_column(String(10))
    setup_done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)
