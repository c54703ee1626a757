"""Conversation tables: conversations, who takes part, messages, and each member's preferences.

Every table is prefixed ``conversations_``. A conversation is ``direct`` (two people),
``group`` (a few people) or ``team`` (a member and a group's staff as a shared inbox: the
staff are not participants, their group role gives them access). ``last_message_id`` on
the conversation and ``last_read_id`` on a participant make unread counts one query.

Cached pages (core's page cache) show conversations only in the header's badges: "Messages"
(a participant's unread conversations and requests) and, for a group's staff, "Team inboxes"
(open team conversations). So each model's ``page_cache_keys()`` names the pages as those
people see them, never every page: a message retires its participants' pages, not the site's.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Boolean, Connection, ForeignKey, Index, Integer, Select, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, object_session, relationship

from core.plugin_api import (
    PAGE_CACHE_SITE,
    ROLE_RANK,
    Membership,
    UTCDateTime,
    db,
    page_cache_user_key,
    utcnow,
)

DIRECT = "direct"
GROUP = "group"
TEAM = "team"

# participant states
ACTIVE = "active"
REQUEST = "request"
DECLINED = "declined"
LEFT = "left"

# team line status
OPEN = "open"
ANSWERED = "answered"
CLOSED = "closed"
TEAM_STATUSES = (OPEN, ANSWERED, CLOSED)

# who may message me
FROM_GROUPS = "groups"
FROM_TALKED = "talked"
FROM_NOBODY = "nobody"
WHO_MAY_MESSAGE = (FROM_GROUPS, FROM_TALKED, FROM_NOBODY)

_AUTOINCREMENT = {"sqlite_autoincrement": True}
TEAM_ROLES = tuple(role for role, rank in ROLE_RANK.items() if rank >= ROLE_RANK["moderator"])
"""Who answers a group's team line (``access.STAFF_ROLES``; here too, as access imports models)."""


class Conversation(db.Model):
    __tablename__ = "conversations_conversations"
    __table_args__ = (Index("ix_conversations_conversations_team", "group_id", "status", "last_message_id"),
                      _AUTOINCREMENT)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), nullable=False, default=DIRECT)
    subject: Mapped[str | None] = mapped_column(String(200))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow, index=True)
    last_message_id: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    status: Mapped[str | None] = mapped_column(String(10))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    source_post_id: Mapped[int | None] = mapped_column(Integer)
    retention_notice_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    group = relationship("Group")
    assignee = relationship("User", foreign_keys=[assignee_id])
    participants = relationship("Participant", back_populates="conversation", cascade="all, delete-orphan",
                                passive_deletes=True)

    def page_cache_keys(self) -> tuple[str, ...]:
        """Its participants' pages (the unread badge reads ``last_message_id``), and for a team
        line its group's staff's pages too (their "Team inboxes" badge counts open ones).

        Asked after the flush, so new participants are in the table already; a deleted
        conversation's participants may be gone with it (the database's cascade), so a deletion
        (the retention job, rare) retires every page."""
        session = object_session(self)
        if session is None or self in session.deleted:
            return (PAGE_CACHE_SITE,)
        return page_cache_keys_of(session.connection(), [self.id])


def page_cache_keys_of(connection: Connection, conversation_ids: Iterable[int] | Select) -> tuple[str, ...]:
    """The pages that show these conversations (as ids or a ``select`` of ids), in one query: their
    participants' (the unread badge) and, for team lines, their groups' staff's ("Team inboxes").
    Asked before a bulk deletion, whose database cascade takes the participants with it."""
    conversation_ids = conversation_ids if isinstance(conversation_ids, Select) else list(conversation_ids)
    participants = select(Participant.user_id).where(Participant.conversation_id.in_(conversation_ids))
    staff = (select(Membership.user_id)
             .join(Conversation, Conversation.group_id == Membership.group_id)
             .where(Conversation.id.in_(conversation_ids), Conversation.kind == TEAM,
                    Membership.role.in_(TEAM_ROLES)))
    return tuple(page_cache_user_key(user_id) for user_id in connection.execute(participants.union(staff)).scalars())


class Participant(db.Model):
    __tablename__ = "conversations_participants"
    __table_args__ = (UniqueConstraint("conversation_id", "user_id", name="uq_conversations_participants_pair"),
                      Index("ix_conversations_participants_inbox", "user_id", "state"),
                      _AUTOINCREMENT)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations_conversations.id", ondelete="CASCADE"), nullable=False, index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    state: Mapped[str] = mapped_column(String(10), nullable=False, default=ACTIVE)
    last_read_id: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    muted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    state_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    last_emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    conversation = relationship("Conversation", back_populates="participants")
    user = relationship("User")

    def page_cache_keys(self) -> tuple[str, ...]:
        """Only this person's badge shows their place (read mark, state, mute)."""
        return (page_cache_user_key(self.user_id),)


class Message(db.Model):
    __tablename__ = "conversations_messages"
    __table_args__ = (Index("ix_conversations_messages_thread", "conversation_id", "id"), _AUTOINCREMENT)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations_conversations.id", ondelete="CASCADE"), nullable=False)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    author_erased: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    body_source: Mapped[str] = mapped_column(Text, nullable=False, default="")
    body_html: Mapped[str] = mapped_column(Text, nullable=False, default="")
    body_inert: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    from_team: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    signed_as_team: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    internal: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    author = relationship("User")

    @staticmethod
    def page_cache_keys() -> tuple[str, ...]:
        """Shown only in the conversation, which is never cached; the badges change through the
        conversation's ``last_message_id``, which names the participants."""
        return ()


class Preference(db.Model):
    """A member's choices: who may message them, and whether mail may carry message text.

    Whether they get mail about new messages at all is core's notification email setting
    (kind ``conversations_new_message``), on the member's notification settings page."""

    __tablename__ = "conversations_preferences"
    __table_args__ = (_AUTOINCREMENT,)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, unique=True)
    who_may_message: Mapped[str] = mapped_column(String(10), nullable=False, default=FROM_GROUPS)
    email_content: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    @staticmethod
    def page_cache_keys() -> tuple[str, ...]:
        """Decides where "Send a message" shows (profiles, member lists): not on cached pages."""
        return ()


class TeamSetting(db.Model):
    """Per group: whether team answers are signed as the team or by the staff member's name."""

    __tablename__ = "conversations_team_settings"
    __table_args__ = (_AUTOINCREMENT,)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), nullable=False, unique=True)
    sign_as_team: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    @staticmethod
    def page_cache_keys() -> tuple[str, ...]:
        """Shown only in team threads, which are never cached."""
        return ()
