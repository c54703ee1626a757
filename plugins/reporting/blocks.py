"""Blocks: one person's choice, effective both ways, never announced to the blocked person."""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import Select, case, or_, select

from core.plugin_api import User, announce_user_blocked, db
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
    other = case((Block.blocker_id == viewer_id, Block.blocked_id), else_=Block.blocker_id)
    return select(other).where(or_(Block.blocker_id == viewer_id, Block.blocked_id == viewer_id))


def relations_of(user_id: int) -> dict[int, tuple[bool, bool]]:
    """Everyone ``user_id`` blocks or is blocked by: ``{other: (user blocks other, other blocks user)}``.

    One query, remembered until this transaction ends or a block changes in it (never across
    requests or jobs): policy checks for many recipients and the "has blocked you" notes on a
    page all answer from it.
    """
    session = db.session()
    transaction, memo = session.info.get(_MEMO, (None, {}))
    current = session.get_transaction()
    if current is None or transaction is not current:
        memo = {}
    if user_id not in memo:
        found: dict[int, tuple[bool, bool]] = {}
        for blocker, blocked in session.execute(
                select(Block.blocker_id, Block.blocked_id)
                .where(or_(Block.blocker_id == user_id, Block.blocked_id == user_id))):
            other = blocked if blocker == user_id else blocker
            mine, theirs = found.get(other, (False, False))
            found[other] = (mine or blocker == user_id, theirs or blocker == other)
        memo[user_id] = found
        session.info[_MEMO] = (session.get_transaction(), memo)
    return memo[user_id]


def blocked_either_way(a_id: int, b_id: int) -> bool:
    """Answered from ``a_id``'s blocks (``relations_of``): a policy check runs once per recipient
    when many people are notified, and must not cost a query each."""
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
