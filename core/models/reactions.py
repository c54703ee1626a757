"""Reactions: a small, kind set of responses to a post or a comment, one per kind per person.

Two tables rather than one with a nullable target, so the database itself enforces "one
reaction per kind per person" with a plain unique constraint, and deleting the post or the
comment deletes its reactions.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models.base import UTCDateTime, utcnow

#: The reaction kinds, in the order they are shown.
REACTION_KINDS = ("like", "heart", "support", "thanks")


class PostReaction(db.Model):
    """One person's reaction of one kind to a post."""

    __tablename__ = "post_reactions"
    # (post_id, kind, user_id): the counts per kind and "did I react" are index lookups.
    __table_args__ = (UniqueConstraint("post_id", "kind", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), nullable=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)


class CommentReaction(db.Model):
    """One person's reaction of one kind to a comment."""

    __tablename__ = "comment_reactions"
    __table_args__ = (UniqueConstraint("comment_id", "kind", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), nullable=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
