"""The plugin's tables: programmes, sign-ups, pairs and what happens inside a pair.

Programme copy (steps, questions, topics) is stored as JSON on the programme: it is edited
as a whole, read as a whole, and a programme never changes its template's file. Every table
uses AUTOINCREMENT on SQLite so an id is never reused (a deleted pair's id must never point
at someone else's pair).

Core's page cache shows mentorship only on the member's home page (the step each of their
pairs is on); the group tab and the nav item never change. So a pair names its two people's
pages, a programme its group's (its members' home pages carry that group's version), and
what only the plugin's own pages show — sign-ups, requests, posts and notes inside a pair —
names none: a message in a pair space retires two people's pages, not the site's.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.plugin_api import NotOnCachedPages, UTCDateTime, db, page_cache_group_key, page_cache_user_key, utcnow

STATES = ("draft", "open", "running", "finished")
KINDS = ("career_advancement", "skill_development", "encouragement_support", "custom")
ROLES = ("mentor", "mentee")
PAIR_STATUSES = ("active", "completed", "ended")
END_REASONS = ("ended_by_member", "not_a_good_fit", "blocked", "account_erased")
FIT_ANSWERS = ("good_fit", "still_deciding", "not_a_good_fit")
AUTOINCREMENT = {"sqlite_autoincrement": True}


class Programme(db.Model):
    """A mentorship programme in a group, made from a template and then edited freely."""

    __tablename__ = "mentorship_programmes"
    __table_args__ = (Index("ix_mentorship_programmes_group", "group_id", "id"), AUTOINCREMENT)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(32), nullable=False, default="custom")
    template_key: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    duration_weeks: Mapped[int] = mapped_column(Integer, nullable=False)
    steps: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False, default=list)
    questions: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    topics: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    state: Mapped[str] = mapped_column(String(16), nullable=False, default="draft")
    admin_matching: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    member_requests: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    partner_name: Mapped[str] = mapped_column(String(120), nullable=False, default="")
    partner_url: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    partner_description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_support(self) -> bool:
        return self.kind == "encouragement_support"

    def page_cache_keys(self) -> tuple[str, ...]:
        """Its name and steps show on its pairs' home pages, which carry the group's version."""
        return (page_cache_group_key(self.group_id),)


class Signup(NotOnCachedPages, db.Model):
    """A member's sign-up in one role; withdrawing deletes it (nothing is kept about them)."""

    __tablename__ = "mentorship_signups"
    __table_args__ = (
        UniqueConstraint("programme_id", "user_id", "role", name="uq_mentorship_signups_role"),
        AUTOINCREMENT,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("mentorship_programmes.id", ondelete="CASCADE"), nullable=False, index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    role: Mapped[str] = mapped_column(String(8), nullable=False)
    goals: Mapped[str] = mapped_column(Text, nullable=False, default="")
    topics: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    # stated preference: languages they would rather talk in (a subset of ``languages``); scored, never required
    preferred_languages: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    time_zone: Mapped[str] = mapped_column(String(64), nullable=False)
    availability: Mapped[list[list[int]]] = mapped_column(JSON, nullable=False, default=list)
    answers: Mapped[dict[str, str]] = mapped_column(JSON, nullable=False, default=dict)
    capacity: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    priority: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)


class Pair(db.Model):
    """A mentor and a mentee working through the programme's steps; kept in both histories."""

    __tablename__ = "mentorship_pairs"
    __table_args__ = (Index("ix_mentorship_pairs_programme", "programme_id", "status"), AUTOINCREMENT)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("mentorship_programmes.id", ondelete="CASCADE"), nullable=False
    )
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    mentee_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="active")
    end_reason: Mapped[str | None] = mapped_column(String(20))
    steps_done: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    fit_mentor: Mapped[str | None] = mapped_column(String(16))
    fit_mentee: Mapped[str | None] = mapped_column(String(16))
    feedback_mentor: Mapped[str] = mapped_column(Text, nullable=False, default="")
    feedback_mentee: Mapped[str] = mapped_column(Text, nullable=False, default="")
    keep_mentor: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    keep_mentee: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    reminded_week: Mapped[str | None] = mapped_column(String(10))
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def role_of(self, user_id: int | None) -> str | None:
        if user_id == self.mentor_id:
            return "mentor"
        if user_id == self.mentee_id:
            return "mentee"
        return None

    def other_id(self, user_id: int) -> int:
        return self.mentee_id if user_id == self.mentor_id else self.mentor_id

    def page_cache_keys(self) -> tuple[str, ...]:
        """The step it is on shows on its two people's home pages only."""
        return (page_cache_user_key(self.mentor_id), page_cache_user_key(self.mentee_id))


class PairPost(NotOnCachedPages, db.Model):
    """A post (``parent_id`` None) or a comment inside a pair; Markdown rendered at save."""

    __tablename__ = "mentorship_pair_posts"
    __table_args__ = (Index("ix_mentorship_pair_posts_pair", "pair_id", "id"), AUTOINCREMENT)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("mentorship_pairs.id", ondelete="CASCADE"), nullable=False)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("mentorship_pair_posts.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    step: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    body_html: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)


class PairNote(NotOnCachedPages, db.Model):
    """The mentor's private notes on a pair: only the mentor ever reads them."""

    __tablename__ = "mentorship_pair_notes"
    __table_args__ = (Index("ix_mentorship_pair_notes_pair", "pair_id", "id"), AUTOINCREMENT)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("mentorship_pairs.id", ondelete="CASCADE"), nullable=False)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    body_html: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)


class MatchRequest(NotOnCachedPages, db.Model):
    """A mentee asking a mentor (member-requests pairing); the mentor accepts or declines."""

    __tablename__ = "mentorship_requests"
    __table_args__ = (Index("ix_mentorship_requests_mentor", "mentor_id", "status"), AUTOINCREMENT)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("mentorship_programmes.id", ondelete="CASCADE"), nullable=False, index=True
    )
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    mentee_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    message: Mapped[str] = mapped_column(Text, nullable=False, default="")
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="pending")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)


class Exclusion(NotOnCachedPages, db.Model):
    """A mentor–mentee pair never to suggest again in a programme (an admin rejected it)."""

    __tablename__ = "mentorship_exclusions"
    __table_args__ = (
        UniqueConstraint("programme_id", "mentor_id", "mentee_id", name="uq_mentorship_exclusions"),
        AUTOINCREMENT,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("mentorship_programmes.id", ondelete="CASCADE"), nullable=False
    )
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    mentee_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
