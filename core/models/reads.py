"""How far each member has read each of their groups: the "new since your last visit" mark.

One row per (member, group), moved forward only by an explicit POST (``core.groups.reads``):
viewing a page never writes. Without a row, the member's joining time is the mark.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models.base import UTCDateTime


class GroupRead(db.Model):
    """``read_until``: posts created after it are new to ``user_id`` in ``group_id``."""

    __tablename__ = "group_reads"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True, index=True)
    read_until: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
