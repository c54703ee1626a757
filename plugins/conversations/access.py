"""Who sees which conversation, and the few queries every page is built from.

A conversation is seen by its participants only (while in it, and not across a block) and,
for the team line, by its group's staff. No query here takes a site admin into account:
administrators have no way in to private messages, by design.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from core.plugin_api import Group, User, can_moderate, db, not_hidden
from plugins.conversations.models import ACTIVE, REQUEST, TEAM, Conversation, Message, Participant, TeamSetting

PAGE_SIZE = 30
MESSAGES_PAGE = 50


def not_blocked(viewer: Any):
    """Conversations with someone blocked either way are hidden from both (the team line never is)."""
    other = aliased(Participant)
    blocked = exists().where(other.conversation_id == Conversation.id, other.user_id != viewer.id,
                             other.state.in_((ACTIVE, REQUEST)), ~not_hidden(other.user_id, viewer))
    return or_(Conversation.kind == TEAM, ~blocked)


def participation(viewer: Any, conversation_id: int, states: tuple[str, ...] = (ACTIVE, REQUEST)
                  ) -> tuple[Conversation, Participant] | None:
    """The conversation with the viewer's place in it, or None (the caller answers 404)."""
    row = db.session.execute(
        select(Conversation, Participant)
        .join(Participant, and_(Participant.conversation_id == Conversation.id, Participant.user_id == viewer.id))
        .options(joinedload(Conversation.group), selectinload(Conversation.participants).joinedload(Participant.user))
        .where(Conversation.id == conversation_id, Participant.state.in_(states), not_blocked(viewer))
    ).first()
    return (row[0], row[1]) if row is not None else None


@dataclass
class InboxEntry:
    conversation: Conversation
    participant: Participant
    others: list[str]

    @property
    def unread(self) -> bool:
        return self.conversation.last_message_id > self.participant.last_read_id


def inbox(viewer: Any, state: str = ACTIVE, before: int | None = None) -> tuple[list[InboxEntry], int | None]:
    """A page of the viewer's conversations (or requests), newest activity first; two queries."""
    query = (select(Conversation, Participant)
             .join(Participant, and_(Participant.conversation_id == Conversation.id, Participant.user_id == viewer.id))
             .options(joinedload(Conversation.group))
             .where(Participant.state == state, not_blocked(viewer))
             .order_by(Conversation.last_message_id.desc()).limit(PAGE_SIZE + 1))
    if before is not None:
        query = query.where(Conversation.last_message_id < before)
    rows = db.session.execute(query).all()
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    names: dict[int, list[str]] = {}
    ids = [c.id for c, _p in rows]
    if ids:
        for conv_id, name in db.session.execute(
                select(Participant.conversation_id, User.display_name).join(User, User.id == Participant.user_id)
                .where(Participant.conversation_id.in_(ids), Participant.user_id != viewer.id,
                       Participant.state.in_((ACTIVE, REQUEST))).order_by(Participant.id)):
            names.setdefault(conv_id, []).append(name)
    entries = [InboxEntry(c, p, names.get(c.id, [])) for c, p in rows]
    return entries, (rows[-1][0].last_message_id if more else None)


def counts(viewer: Any) -> tuple[int, int]:
    """(unread conversations not muted, pending requests) in one query – the header badge."""
    unread = and_(Participant.state == ACTIVE, Participant.muted.is_(False),
                  Conversation.last_message_id > Participant.last_read_id)
    row = db.session.execute(
        select(func.count().filter(unread), func.count().filter(Participant.state == REQUEST))
        .select_from(Participant).join(Conversation, Conversation.id == Participant.conversation_id)
        .where(Participant.user_id == viewer.id, not_blocked(viewer))).one()
    return int(row[0] or 0), int(row[1] or 0)


def messages(conversation: Conversation, *, internal: bool = False, before: int | None = None
             ) -> tuple[list[Message], int | None]:
    """The latest page of messages, oldest first on the page; internal notes only for the team."""
    query = (select(Message).options(joinedload(Message.author)).where(Message.conversation_id == conversation.id)
             .order_by(Message.id.desc()).limit(MESSAGES_PAGE + 1))
    if not internal:
        query = query.where(Message.internal.is_(False))
    if before is not None:
        query = query.where(Message.id < before)
    found = list(db.session.scalars(query))
    more = len(found) > MESSAGES_PAGE
    found = found[:MESSAGES_PAGE]
    return list(reversed(found)), (found[-1].id if more else None)


def is_team(viewer: Any, group: Group) -> bool:
    """Owners, admins and moderators of the group answer its team line."""
    return can_moderate(viewer, group)


def sign_as_team(group_id: int) -> bool:
    """The group's choice; answers are signed as the team unless its admins chose names."""
    found = db.session.scalar(select(TeamSetting.sign_as_team).where(TeamSetting.group_id == group_id))
    return True if found is None else bool(found)


def team_conversation(group: Group, conversation_id: int) -> Conversation | None:
    return db.session.scalar(
        select(Conversation).options(selectinload(Conversation.participants).joinedload(Participant.user),
                                     joinedload(Conversation.assignee))
        .where(Conversation.id == conversation_id, Conversation.kind == TEAM, Conversation.group_id == group.id))


def team_inbox(group: Group, status: str | None, before: int | None = None) -> tuple[list[Conversation], int | None]:
    query = (select(Conversation).options(selectinload(Conversation.participants).joinedload(Participant.user),
                                          joinedload(Conversation.assignee))
             .where(Conversation.kind == TEAM, Conversation.group_id == group.id)
             .order_by(Conversation.last_message_id.desc()).limit(PAGE_SIZE + 1))
    if status:
        query = query.where(Conversation.status == status)
    if before is not None:
        query = query.where(Conversation.last_message_id < before)
    found = list(db.session.scalars(query))
    more = len(found) > PAGE_SIZE
    found = found[:PAGE_SIZE]
    return found, (found[-1].last_message_id if more else None)


def member_team_thread(group: Group, member: Any) -> Conversation | None:
    """The member's one thread with this group's team."""
    return db.session.scalar(
        select(Conversation).join(Participant, Participant.conversation_id == Conversation.id)
        .where(Conversation.kind == TEAM, Conversation.group_id == group.id, Participant.user_id == member.id)
        .limit(1))
