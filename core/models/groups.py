"""Groups, their members, join requests and invitations."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from core.extensions import db
from core.models.base import UTCDateTime, utcnow
from core.models.reads import GroupRead

ROLES = ("owner", "admin", "moderator", "member")
ROLE_RANK = {"member": 0, "moderator": 1, "admin": 2, "owner": 3}
#: How much a member hears from a group: every new post, replies and mentions only, or nothing.
NOTIFY_LEVELS = ("watching", "normal", "muted")


class Group(db.Model):
    """A group: its page, rules, who may join and how; ``is_private`` hides its content from non-members."""

    __tablename__ = "groups"
    __table_args__ = (Index("ix_groups_directory", "name", "id"),)  # the directory's order and cursor

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    rules: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    visibility: Mapped[str] = mapped_column(String(10), nullable=False, default="public")
    join_mode: Mapped[str] = mapped_column(String(10), nullable=False, default="open")
    join_question: Mapped[str | None] = mapped_column(String(300))
    member_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    memberships = relationship("Membership", back_populates="group", cascade="all, delete-orphan", passive_deletes=True)

    # Not stored: how many members are hidden from the viewer who loaded the group (set by
    # ``core.groups.queries``, 0 for its staff), so the count shown matches the list shown.
    hidden_member_count = 0

    @property
    def shown_member_count(self) -> int:
        return max(self.member_count - self.hidden_member_count, 0)

    @property
    def is_private(self) -> bool:
        return self.visibility == "private"


class Membership(db.Model):
    """Someone's place in a group with a ``role`` (member, moderator, admin, owner)."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("group_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), nullable=False, index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    role: Mapped[str] = mapped_column(String(10), nullable=False, default="member")
    notify_level: Mapped[str] = mapped_column(String(10), nullable=False, default="normal",
                                              server_default="normal")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    group = relationship("Group", back_populates="memberships")
    user = relationship("User")

    @property
    def rank(self) -> int:
        return ROLE_RANK[self.role]

    @property
    def read_mark(self) -> datetime:
        """Posts created after this are new to the member: their read mark, else when they joined."""
        return self.read_until or self.created_at


# Loaded with every membership, inside the same statement (a primary-key lookup): pages that
# load the viewer's membership know what is new to them at no extra query.
Membership.read_until = column_property(
    db.select(GroupRead.read_until)
    .where(GroupRead.user_id == Membership.user_id, GroupRead.group_id == Membership.group_id)
    .correlate_except(GroupRead).scalar_subquery()
)


class JoinRequest(db.Model):
    """A request to join a by-request group; the answer is visible to group staff only."""

    __tablename__ = "join_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), nullable=False, index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    answer: Mapped[str] = mapped_column(Text, nullable=False, default="")
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="pending")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    group = relationship("Group")
    user = relationship("User", foreign_keys=[user_id])


class Invitation(db.Model):
    """An invitation to a group, ``pending`` until the invited person accepts or declines."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), nullable=False, index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="pending")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    group = relationship("Group")
    user = relationship("User", foreign_keys=[user_id])
    invited_by = relationship("User", foreign_keys=[invited_by_id])
