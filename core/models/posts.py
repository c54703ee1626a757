"""Conversations: posts in a group and comments on them.

Markdown is rendered and sanitized once at write time; ``body_html`` is what pages show.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.models.base import UTCDateTime, utcnow


class Post(db.Model):
    """A post in a group's feed; ``body_html`` is the sanitized rendering of ``body_source`` (Markdown)."""

    __tablename__ = "posts"
    __table_args__ = (
        Index("ix_posts_group_feed", "group_id", "created_at", "id"),
        Index("ix_posts_author_newest", "author_id", "created_at", "id"),  # a profile's posts
        Index("ix_posts_group_pinned", "group_id", "pinned_at"),  # the few pinned posts, found at once
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), nullable=False)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    body_source: Mapped[str] = mapped_column(Text, nullable=False)
    body_html: Mapped[str] = mapped_column(Text, nullable=False)
    comment_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # How many rows of post_images: feeds of text-only posts never ask for images.
    image_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set by a group admin: pinned posts come first in the feed, newest pin first.
    pinned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    group = relationship("Group")
    author = relationship("User")
    comments = relationship("Comment", back_populates="post", cascade="all, delete-orphan", passive_deletes=True)
    images = relationship("PostImage", back_populates="post", cascade="all, delete-orphan", passive_deletes=True,
                          order_by="PostImage.position")

    # Not stored: comments hidden from the viewer who loaded the post (set by
    # ``core.groups.queries``), so "3 comments" never promises a comment the viewer cannot see.
    hidden_comment_count = 0
    # Not stored: the reaction counts as the viewer who loaded the post sees them
    # (``core.groups.reactions.Reaction`` values, set by ``core.groups.queries``).
    reactions: tuple = ()

    @property
    def shown_comment_count(self) -> int:
        return max(self.comment_count - self.hidden_comment_count, 0)


class Comment(db.Model):
    """A comment under a post, rendered like a post."""

    __tablename__ = "comments"
    __table_args__ = (Index("ix_comments_post_thread", "post_id", "created_at", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), nullable=False)
    # A reply to a top-level comment (one level of threading); replies to replies attach to the top.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="SET NULL"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    body_source: Mapped[str] = mapped_column(Text, nullable=False)
    body_html: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    post = relationship("Post", back_populates="comments")
    author = relationship("User")

    # Not stored: reaction counts as the viewer sees them (set by ``core.groups.queries``).
    reactions: tuple = ()

    @property
    def thread_id(self) -> int:
        """The top comment of this comment's thread: comments are shown thread by thread."""
        return self.parent_id or self.id


class PostImage(db.Model):
    """An image published with a post: a re-encoded copy in core.storage, with its alt text and size.

    Width and height are kept so pages reserve the image's space before it loads (no layout shift).
    The file is deleted from storage when the post is (``core.storage.delete_after_commit``).
    """

    __tablename__ = "post_images"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), nullable=False, index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    file_key: Mapped[str] = mapped_column(String(100), nullable=False)
    alt_text: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    width: Mapped[int] = mapped_column(Integer, nullable=False)
    height: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    post = relationship("Post", back_populates="images")


class PendingImage(db.Model):
    """An image attached in a composer but not published yet: the form keeps it across errors and previews.

    The file is already cleaned and stored; publishing turns the row into a ``PostImage``. Rows a
    member abandons are deleted with their files by the ``core.pending_images.clean_up`` job
    after a day (``PENDING_IMAGE_HOURS``). Alt text stays in the form, not here.
    """

    __tablename__ = "pending_images"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    file_key: Mapped[str] = mapped_column(String(100), nullable=False)
    width: Mapped[int] = mapped_column(Integer, nullable=False)
    height: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow, index=True)

    @property
    def key(self) -> str:
        return self.file_key
