"""Blocks: one person's choice, effective both ways, never announced to the blocked person."""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Integer,
    Select,
    String,
    bindparam,
    case,
    cast,
    func,
    literal_column,
    or_,
    select,
)

from core.plugin_api import User, announce_user_blocked, db, login_values
from plugins.reporting.models import Block

_MEMO = "reporting_blocks"


class BlockingSelf(ValueError):
    """Nobody can block themselves."""


@lru_cache(maxsize=2048)
def hidden_select(viewer_id: int) -> Select:
    """Ids of everyone ``viewer_id`` blocked or was blocked by, as one single-column select.

    Built once per viewer and reused (a select is immutable; the database reads the blocks on
    every run): core combines, keys and embeds the same object on every page
    (``hidden_user_ids``), which costs a dict lookup instead of building and keying it again."""
    me = _viewer_param(viewer_id)
    other = case((Block.blocker_id == me, Block.blocked_id), else_=Block.blocker_id)
    return select(other).where(or_(Block.blocker_id == me, Block.blocked_id == me))


@lru_cache(maxsize=2048)
def _viewer_param(viewer_id: int) -> BindParameter:
    """The viewer's id as one named parameter for each place the block filter and the login column
    compare with it (a page embeds the filter in several places of a statement; SQLAlchemy works
    through each distinct parameter on every run)."""
    return bindparam("reporting_viewer", viewer_id, type_=Integer)


#: What ``login_column`` reads about the member: their blocks as ``"blocker:blocked"`` pairs.
LOGIN_COLUMN = "blocks"
_PAIR_SEPARATOR = " "


@lru_cache(maxsize=2048)
def login_column(viewer_id: int) -> dict[str, ColumnElement]:
    """The member's blocks, both ways, as one string column read with their login (hook
    ``login_columns``): a page that asks ``can_interact`` about the viewer – the comment form
    under a post, a profile's buttons – answers from it instead of a statement of its own.
    The same mapping per member, so core reuses the login statement it is part of."""
    pair = cast(Block.blocker_id, String) + literal_column("':'", String) + cast(Block.blocked_id, String)
    # Not ``func.aggregate_strings``: its separator is rendered into the SQL again on every run.
    aggregate = func.string_agg if db.engine.dialect.name == "postgresql" else func.group_concat
    me = _viewer_param(viewer_id)
    blocks = (select(aggregate(pair, literal_column(f"'{_PAIR_SEPARATOR}'", String)))
              .where(or_(Block.blocker_id == me, Block.blocked_id == me))
              .scalar_subquery())
    return {LOGIN_COLUMN: blocks}


def _pairs_read_at_login(user_id: int) -> list[tuple[int, int]] | None:
    """``user_id``'s blocks as read with their login on this request, or None if they were not."""
    values = login_values("reporting", _Someone(user_id))
    if values is None or LOGIN_COLUMN not in values:
        return None
    text = values[LOGIN_COLUMN]
    if not text:
        return []
    return [(int(blocker), int(blocked)) for blocker, blocked in
            (pair.split(":", 1) for pair in text.split(_PAIR_SEPARATOR))]


def blocks_nobody(user_id: int) -> bool:
    """True when ``user_id``'s login on this request read no block either way. Core drops what was
    read at login once the request writes, so a block made since is never missed: then, as without
    a login (an API token, a job), this says False and the caller asks the database."""
    return _pairs_read_at_login(user_id) == []


class _Someone:
    """A user known by id only (what ``login_values`` compares)."""

    __slots__ = ("id",)

    def __init__(self, user_id: int) -> None:
        self.id = user_id


def relations_of(user_id: int) -> dict[int, tuple[bool, bool]]:
    """Everyone ``user_id`` blocks or is blocked by: ``{other: (user blocks other, other blocks user)}``.

    Read with the member's login on this request when it is theirs (``login_column``), else one
    query; remembered until this transaction ends or a block changes in it (never across
    requests or jobs): policy checks for many recipients and the "has blocked you" notes on a
    page all answer from it.
    """
    session = db.session()
    transaction, memo = session.info.get(_MEMO, (None, {}))
    current = session.get_transaction()
    if current is None or transaction is not current:
        memo = {}
    if user_id not in memo:
        pairs = _pairs_read_at_login(user_id)
        if pairs is None:
            pairs = session.execute(select(Block.blocker_id, Block.blocked_id)
                                    .where(or_(Block.blocker_id == user_id, Block.blocked_id == user_id))).all()
        found: dict[int, tuple[bool, bool]] = {}
        for blocker, blocked in pairs:
            other = blocked if blocker == user_id else blocker
            mine, theirs = found.get(other, (False, False))
            found[other] = (mine or blocker == user_id, theirs or blocker == other)
        memo[user_id] = found
        session.info[_MEMO] = (session.get_transaction(), memo)
    return memo[user_id]


def blocked_either_way(a_id: int, b_id: int) -> bool:
    """Answered from ``a_id``'s blocks (``relations_of``): a policy check runs once per recipient
    when many people are notified, and must not cost a query each. A member whose login read no
    block (most members; the comment form under every post asks) is answered from that alone."""
    if _pairs_read_at_login(a_id) == []:
        return False
    return b_id in relations_of(a_id)


def blocks_among(user_ids: frozenset[int]) -> list[tuple[int, int]]:
    """Every ``(a, b)`` among ``user_ids`` where one blocked the other, both ways round, in one query.

    The bulk answer to ``can_interact`` (hook ``interaction_barriers``): a block works both ways."""
    if not user_ids:
        return []
    ids = sorted(user_ids)
    rows = db.session.execute(
        select(Block.blocker_id, Block.blocked_id).where(Block.blocker_id.in_(ids), Block.blocked_id.in_(ids)))
    return [pair for blocker, blocked in rows for pair in ((blocker, blocked), (blocked, blocker))]


def has_blocked(blocker_id: int, blocked_id: int) -> bool:
    return db.session.scalar(
        select(Block.id).where(Block.blocker_id == blocker_id, Block.blocked_id == blocked_id)
    ) is not None


def block(blocker: User, target: User) -> Block:
    """Block ``target``; blocking again changes nothing. Nobody is notified.

    A new block is announced to the other plugins (``user_blocked``) in this transaction, so
    what the two shared elsewhere (a mentorship pair) ends in the same request."""
    if blocker.id == target.id:
        raise BlockingSelf()
    existing = db.session.scalar(
        select(Block).where(Block.blocker_id == blocker.id, Block.blocked_id == target.id)
    )
    if existing is not None:
        return existing
    row = Block(blocker_id=blocker.id, blocked_id=target.id)
    db.session.add(row)
    _forget()
    announce_user_blocked(blocker, target)
    return row


def unblock(blocker: User, target: User) -> bool:
    """Lift a block; True if there was one."""
    row = db.session.scalar(select(Block).where(Block.blocker_id == blocker.id, Block.blocked_id == target.id))
    if row is None:
        return False
    db.session.delete(row)
    _forget()
    return True


def blocks_of(user: User) -> list[Block]:
    """Whom ``user`` blocks, newest first, with the blocked person loaded in the same query."""
    from sqlalchemy.orm import joinedload

    return list(db.session.scalars(
        select(Block).options(joinedload(Block.blocked)).where(Block.blocker_id == user.id)
        .order_by(Block.created_at.desc(), Block.id.desc())
    ))


def _forget() -> None:
    db.session.info.pop(_MEMO, None)


def export(user: Any) -> list[dict]:
    return [{"username": b.blocked.username, "since": b.created_at.isoformat()} for b in blocks_of(user)]
