"""Blocks: one person's choice, effective both ways, never announced to the blocked person."""
from __future__ import annotations

from typing import Any

from flask import g, has_request_context
from sqlalchemy import Select, and_, case, or_, select

from core.plugin_api import User, db
from plugins.reporting.models import Block


class BlockingSelf(ValueError):
    """Nobody can block themselves."""


def hidden_select(viewer_id: int) -> Select:
    """Ids of everyone ``viewer_id`` blocked or was blocked by, as one single-column select."""
    other = case((Block.blocker_id == viewer_id, Block.blocked_id), else_=Block.blocker_id)
    return select(other).where(or_(Block.blocker_id == viewer_id, Block.blocked_id == viewer_id))


def blocked_either_way(a_id: int, b_id: int) -> bool:
    """One query, memoised per request: policy checks can run several times on a page."""
    key = (min(a_id, b_id), max(a_id, b_id))
    cache = g.setdefault("_reporting_blocks", {}) if has_request_context() else {}
    if key not in cache:
        cache[key] = db.session.scalar(
            select(Block.id).where(or_(and_(Block.blocker_id == a_id, Block.blocked_id == b_id),
                                       and_(Block.blocker_id == b_id, Block.blocked_id == a_id))).limit(1)
        ) is not None
    return cache[key]


def has_blocked(blocker_id: int, blocked_id: int) -> bool:
    return db.session.scalar(
        select(Block.id).where(Block.blocker_id == blocker_id, Block.blocked_id == blocked_id)
    ) is not None


def block(blocker: User, target: User) -> Block:
    """Block ``target``; blocking again changes nothing. Nobody is notified."""
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
    if has_request_context():
        g.pop("_reporting_blocks", None)


def export(user: Any) -> list[dict]:
    return [{"username": b.blocked.username, "since": b.created_at.isoformat()} for b in blocks_of(user)]
