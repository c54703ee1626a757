"""Reporting tables: reports and the cases that aggregate them, decisions, appeals, blocks.

Every table is prefixed ``reporting_``. Content is referred to by its content-type name
and id (any plugin's content can be reported), so there are no foreign keys to content
tables; a snapshot of the text is kept as evidence instead.

On core's cached pages reporting shows only hidden items, blocks and bans (through
memberships); reports, cases, decisions, appeals, notes and the audit log show on the
moderation pages alone, which are never cached, so writing them retires no cached page.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.plugin_api import (
    PAGE_CACHE_SITE,
    NotOnCachedPages,
    UTCDateTime,
    db,
    page_cache_group_key,
    page_cache_user_key,
    utcnow,
)

OPEN = "open"
RESOLVED = "resolved"


class Case(NotOnCachedPages, db.Model):
    """One queue entry per reported item (per version once resolved), aggregating its reports.

    ``group_id`` routes it: a group's moderators, or the site queue when None; ``escalated``
    also puts a group's case in the site queue, when nobody in the group may handle it (its
    moderators reported it or are its subject). ``content_hash`` is the reported version; a
    resolved case absorbs further reports on that same version. ``snapshot`` is the text
    kept as evidence, ``snapshot_html`` the same content sanitized as readers saw it.
    """

    __tablename__ = "reporting_cases"
    __table_args__ = (
        Index("ix_reporting_cases_queue", "group_id", "state", "priority", "id"),
        Index("ix_reporting_cases_item", "content_type", "content_id"),
        Index("uq_reporting_cases_open_item", "content_type", "content_id", unique=True,
              sqlite_where=text("state = 'open'"), postgresql_where=text("state = 'open'")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    content_type: Mapped[str] = mapped_column(String(40), nullable=False)
    content_id: Mapped[int] = mapped_column(Integer, nullable=False)
    content_url: Mapped[str | None] = mapped_column(String(300))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    state: Mapped[str] = mapped_column(String(10), nullable=False, default=OPEN)
    urgent: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    priority: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    report_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    categories: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    snapshot: Mapped[str] = mapped_column(Text, nullable=False, default="")
    snapshot_html: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    content_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    escalated: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default=false())
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    group = relationship("Group")
    author = relationship("User", foreign_keys=[author_id])
    claimed_by = relationship("User", foreign_keys=[claimed_by_id])

    @property
    def is_open(self) -> bool:
        return self.state == OPEN


class Report(NotOnCachedPages, db.Model):
    """One person's report on one item; the unique constraint makes "already reported" exact."""

    __tablename__ = "reporting_reports"
    __table_args__ = (
        UniqueConstraint("reporter_id", "content_type", "content_id", name="uq_reporting_reports_once"),
        Index("ix_reporting_reports_reporter_time", "reporter_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("reporting_cases.id", ondelete="CASCADE"), nullable=False,
                                         index=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    content_type: Mapped[str] = mapped_column(String(40), nullable=False)
    content_id: Mapped[int] = mapped_column(Integer, nullable=False)
    category: Mapped[str] = mapped_column(String(20), nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    rule: Mapped[str | None] = mapped_column(String(500))
    snapshot: Mapped[str] = mapped_column(Text, nullable=False, default="")
    snapshot_html: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    content_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    case = relationship("Case")
    reporter = relationship("User")


class Decision(NotOnCachedPages, db.Model):
    """What a moderator did about a case: several actions, one explanation, one cited rule."""

    __tablename__ = "reporting_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("reporting_cases.id", ondelete="CASCADE"), nullable=False,
                                         index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    target_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    actions: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    rule: Mapped[str | None] = mapped_column(String(500))
    explanation: Mapped[str] = mapped_column(Text, nullable=False, default="")
    ban_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    suspend_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    overturned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    case = relationship("Case")
    group = relationship("Group")
    moderator = relationship("User", foreign_keys=[moderator_id])
    target_user = relationship("User", foreign_keys=[target_user_id])
    appeal = relationship("Appeal", back_populates="decision", uselist=False)

    @property
    def sanctions(self) -> list[str]:
        """The actions that affect the reported person (what they are told and may appeal)."""
        from plugins.reporting.categories import SANCTIONS

        return [a for a in self.actions if a in SANCTIONS]


class Appeal(NotOnCachedPages, db.Model):
    """The affected person's one appeal against a decision; decided by a different moderator."""

    __tablename__ = "reporting_appeals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("reporting_decisions.id", ondelete="CASCADE"),
                                             nullable=False, unique=True)
    appellant_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    state: Mapped[str] = mapped_column(String(12), nullable=False, default="pending")
    response: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    decision = relationship("Decision", back_populates="appeal")
    decided_by = relationship("User", foreign_keys=[decided_by_id])


class Note(NotOnCachedPages, db.Model):
    """A private moderator note on a case; only the case's moderators see it."""

    __tablename__ = "reporting_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("reporting_cases.id", ondelete="CASCADE"), nullable=False,
                                         index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    author = relationship("User")


class HiddenContent(db.Model):
    """An item hidden by moderation (or automatically): members see a placeholder."""

    __tablename__ = "reporting_hidden"
    __table_args__ = (UniqueConstraint("content_type", "content_id", name="uq_reporting_hidden_item"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    content_type: Mapped[str] = mapped_column(String(40), nullable=False)
    content_id: Mapped[int] = mapped_column(Integer, nullable=False)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("reporting_cases.id", ondelete="SET NULL"))
    automatic: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    def page_cache_keys(self) -> tuple[str, ...]:
        """A hide or unhide changes the pages of the item's group (of every page without one)."""
        return (page_cache_group_key(self.group_id),) if self.group_id is not None else (PAGE_CACHE_SITE,)


class GroupBan(db.Model):
    """A ban from one group, optionally until a date; stops re-joining while it lasts."""

    __tablename__ = "reporting_group_bans"
    __table_args__ = (UniqueConstraint("group_id", "user_id", name="uq_reporting_group_bans_member"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), nullable=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("reporting_decisions.id", ondelete="SET NULL"))
    until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    @property
    def active(self) -> bool:
        return self.until is None or self.until > utcnow()

    def page_cache_keys(self) -> tuple[str, ...]:
        """A ban shows to the banned person on the group's pages (joining is refused)."""
        return (page_cache_group_key(self.group_id), page_cache_user_key(self.user_id))


class Block(db.Model):
    """``blocker`` blocks ``blocked``; the effect is symmetric, the row records who chose it."""

    __tablename__ = "reporting_blocks"
    __table_args__ = (UniqueConstraint("blocker_id", "blocked_id", name="uq_reporting_blocks_pair"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    blocker_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    blocked_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    blocked = relationship("User", foreign_keys=[blocked_id])

    def page_cache_keys(self) -> tuple[str, ...]:
        """A block changes what both people see (each other's posts and comments), nobody else's pages."""
        return (page_cache_user_key(self.blocker_id), page_cache_user_key(self.blocked_id))


class AuditEntry(NotOnCachedPages, db.Model):
    """Every moderation action, for accountability. Never records who reported."""

    __tablename__ = "reporting_audit"
    __table_args__ = (Index("ix_reporting_audit_group_time", "group_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("reporting_cases.id", ondelete="SET NULL"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    target_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(30), nullable=False)
    detail: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    actor = relationship("User", foreign_keys=[actor_id])
    target_user = relationship("User", foreign_keys=[target_user_id])
    group = relationship("Group")

