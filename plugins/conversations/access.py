"""Who sees which conversation, and the few queries every page is built from.

A conversation is seen by its participants only (while in it, and not across a block) and,
for the team line, by its group's staff. No query here takes a site admin into account:
administrators have no way in to private messages, by design.
"""
from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import Integer, Select, and_, bindparam, exists, func, literal, literal_column, or_, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from core.plugin_api import (
    Group,
    Membership,
    User,
    can_moderate,
    db,
    hidden_key,
    login_values,
    not_hidden,
    sql_constant,
)
from plugins.conversations.models import (
    ACTIVE,
    OPEN,
    REQUEST,
    TEAM,
    TEAM_ROLES,
    Conversation,
    Message,
    Participant,
    TeamSetting,
)

PAGE_SIZE = 30
MESSAGES_PAGE = 50
BADGE_CAP = 100
"""Header counts stop at this many rows (the header shows "99+"), so a huge inbox costs no more."""
STAFF_ROLES = TEAM_ROLES


def _constant(value: str) -> Any:
    """One of this module's fixed words (a state, kind, status or role) written into the SQL, not a
    bound parameter: the badge columns run with every page's login statement, and SQLAlchemy
    works through each bound parameter again on every run. Only plain words, never input."""
    if not value.isidentifier():
        raise ValueError(f"not a plain word: {value!r}")
    return sql_constant(value)


_ONE = literal_column("1")
_CAP = literal_column(str(int(BADGE_CAP)))
_ZERO = literal_column("0")


def _one_of(column: Any, values: tuple[str, ...]) -> Any:
    """``column IN ('a', 'b')`` with the words in the SQL (``_constant``), not SQLAlchemy's expanding
    ``IN``, which it renders into the SQL again on every run."""
    return column.in_([_constant(value) for value in values])


_OTHER = aliased(Participant)
"""The other participants of a conversation (one alias for every statement: building one is not free)."""


def not_blocked(viewer: Any, hidden: Any = None, viewer_id: Any = None):
    """Conversations with someone blocked either way are hidden from both (the team line never is).

    ``hidden`` is ``not_hidden(_OTHER.user_id, viewer)`` when the caller built it already;
    ``viewer_id`` the viewer's id as the caller binds it (``_viewer_param``), else their id."""
    if hidden is None:
        hidden = not_hidden(_OTHER.user_id, viewer)
    blocked = exists().where(_OTHER.conversation_id == Conversation.id,
                             _OTHER.user_id != (viewer.id if viewer_id is None else viewer_id),
                             _one_of(_OTHER.state, (ACTIVE, REQUEST)), ~hidden)
    return or_(Conversation.kind == _constant(TEAM), ~blocked)


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


class Person(NamedTuple):
    """Who else is in a conversation, as the inbox shows them: a name with its avatar (``avatar`` reads these)."""

    username: str
    display_name: str
    avatar_key: str | None


@dataclass
class InboxEntry:
    conversation: Conversation
    participant: Participant
    people: list[Person]

    @property
    def others(self) -> list[str]:
        """The other participants' names."""
        return [person.display_name for person in self.people]

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
    people: dict[int, list[Person]] = {}
    ids = [c.id for c, _p in rows]
    if ids:
        for conv_id, username, name, avatar_key in db.session.execute(
                select(Participant.conversation_id, User.username, User.display_name, User.avatar_key)
                .join(User, User.id == Participant.user_id)
                .where(Participant.conversation_id.in_(ids), Participant.user_id != viewer.id,
                       Participant.state.in_((ACTIVE, REQUEST))).order_by(Participant.id)):
            people.setdefault(conv_id, []).append(Person(username, name, avatar_key))
    entries = [InboxEntry(c, p, people.get(c.id, [])) for c, p in rows]
    return entries, (rows[-1][0].last_message_id if more else None)


class Counts(NamedTuple):
    """What the header shows: unread conversations (not muted), pending requests, and for
    group staff the open conversations in their groups' team inboxes – each at most ``BADGE_CAP``."""

    unread: int
    requests: int
    team_open: int
    is_staff: bool


def _capped(query) -> Any:
    # OFFSET written out too: SQLite's compiler would add a bound ``OFFSET ?`` to every LIMIT
    return select(func.count()).select_from(query.limit(_CAP).offset(_ZERO).subquery()).scalar_subquery()


def staff_group_ids(viewer: Any, viewer_id: Any = None):
    """Ids of the groups whose team ``viewer`` belongs to (owner, admin or moderator), as a select
    (``viewer_id`` as in ``not_blocked``)."""
    return select(Membership.group_id).where(Membership.user_id == (viewer.id if viewer_id is None else viewer_id),
                                             _one_of(Membership.role, tuple(STAFF_ROLES)))


def _viewer_param(viewer_id: int) -> Any:
    """The viewer's id as one named parameter for every place the header's counts compare with it:
    the login statement carries these columns on every page, and SQLAlchemy works through each
    distinct parameter on every run (one name, one value: six comparisons, one parameter)."""
    return bindparam("conversations_viewer", viewer_id, type_=Integer)


_COUNTS_CACHE: dict[Hashable, tuple[dict[str, Any], Select]] = {}
_COUNTS_CACHE_SIZE = 2048


def count_columns(viewer: Any) -> tuple[dict[str, Any], Select]:
    """The header's counts as scalar columns about ``viewer`` (``unread``, ``requests``, ``team_open``,
    ``is_staff``) and as one statement, built once and reused while their SQL and values stay the same.

    Core adds them to the statement that loads the logged-in member (``login_columns``); pages
    that loaded no login run them as a statement of their own (``counts``). Building them (with
    the block filter other plugins contribute through ``not_hidden``) cost more than running
    them. The key is the viewer and ``hidden_key``: that filter as it is *now* (structure and
    bound values, worked out once per request for every statement that embeds it), so a plugin
    switched on or off, or a filter that changes shape, gets fresh columns – and the same
    mapping object otherwise, which lets core reuse its combined statement; the database still
    evaluates the filter on every run, so a block made a moment ago counts on the next request.
    """
    hidden = hidden_key(viewer)
    if hidden is None:  # a filter that cannot be keyed: never reuse
        return _build_columns(viewer)
    key = (viewer.id, hidden)
    found = _COUNTS_CACHE.get(key)
    if found is None:
        if len(_COUNTS_CACHE) >= _COUNTS_CACHE_SIZE:
            _COUNTS_CACHE.clear()
        found = _COUNTS_CACHE[key] = _build_columns(viewer)
    return found


def _build_columns(viewer: Any) -> tuple[dict[str, Any], Select]:
    hidden = not_hidden(_OTHER.user_id, viewer)
    me = _viewer_param(viewer.id)
    mine = (select(_ONE).select_from(Participant)
            .join(Conversation, Conversation.id == Participant.conversation_id)
            .where(Participant.user_id == me, not_blocked(viewer, hidden, me)))
    unread = mine.where(Participant.state == _constant(ACTIVE), Participant.muted.is_(False),
                        Conversation.last_message_id > Participant.last_read_id)
    requests = mine.where(Participant.state == _constant(REQUEST))
    team_open = select(_ONE).select_from(Conversation).where(
        Conversation.kind == _constant(TEAM), Conversation.status == _constant(OPEN),
        Conversation.group_id.in_(staff_group_ids(viewer, me)))
    columns = {"unread": _capped(unread), "requests": _capped(requests), "team_open": _capped(team_open),
               "is_staff": exists(staff_group_ids(viewer, me))}
    return columns, select(*columns.values())


def _counts_of(values: Any) -> Counts:
    return Counts(int(values["unread"] or 0), int(values["requests"] or 0), int(values["team_open"] or 0),
                  bool(values["is_staff"]))


def counts(viewer: Any) -> Counts:
    """The header badges, each count capped (LIMIT) so it never reads a whole inbox: as core read
    them with the member's login (``login_columns``), or else in one query of their own."""
    loaded = login_values("conversations", viewer)
    if loaded is not None:
        return _counts_of(loaded)
    session = db.session()
    if session.autoflush:  # what session.execute would do first
        session.flush()
    # On the session's connection (same transaction): plain rows, without the ORM's result layer
    # that session.execute adds on every page.
    columns, statement = count_columns(viewer)
    return _counts_of(dict(zip(columns, session.connection().execute(statement).one(), strict=True)))


def team_open_counts(viewer: Any) -> list[tuple[Group, int]]:
    """Each group the viewer answers for, with its open team conversations (capped); one query."""
    open_in_group = _capped(select(literal(1)).select_from(Conversation).where(
        Conversation.kind == TEAM, Conversation.status == OPEN, Conversation.group_id == Group.id)
        .correlate(Group))
    rows = db.session.execute(select(Group, open_in_group).where(Group.id.in_(staff_group_ids(viewer)))
                              .order_by(Group.name)).all()
    return [(group, int(n or 0)) for group, n in rows]


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


@dataclass
class TeamEntry:
    conversation: Conversation
    member: User | None


def team_inbox(group: Group, status: str | None, before: int | None = None) -> tuple[list[TeamEntry], int | None]:
    """A page of the group's team conversations with each one's member, newest first; one query.

    A team conversation has one participant, the member, so joining it keeps one row each."""
    query = (select(Conversation, User)
             .outerjoin(Participant, Participant.conversation_id == Conversation.id)
             .outerjoin(User, User.id == Participant.user_id)
             .options(joinedload(Conversation.assignee))
             .where(Conversation.kind == TEAM, Conversation.group_id == group.id)
             .order_by(Conversation.last_message_id.desc()).limit(PAGE_SIZE + 1))
    if status:
        query = query.where(Conversation.status == status)
    if before is not None:
        query = query.where(Conversation.last_message_id < before)
    rows = db.session.execute(query).all()
    more = len(rows) > PAGE_SIZE
    entries = [TeamEntry(c, u) for c, u in rows[:PAGE_SIZE]]
    return entries, (entries[-1].conversation.last_message_id if more else None)


def member_team_thread(group: Group, member: Any) -> Conversation | None:
    """The member's one thread with this group's team."""
    return db.session.scalar(
        select(Conversation).join(Participant, Participant.conversation_id == Conversation.id)
        .where(Conversation.kind == TEAM, Conversation.group_id == group.id, Participant.user_id == member.id)
        .limit(1))
