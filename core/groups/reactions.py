"""Reactions: counts shown beside posts and comments, who reacted, and reacting.

Counts are read inside the query that loads the posts or comments (correlated subqueries,
one per kind, plus one for the viewer's own reactions as a bit mask), so a feed or a post page
costs no extra SQL statement however many reactions there are. People hidden from the viewer
(blocks, both ways) are neither counted nor listed, except for a group's staff inside it.
Reacting is idempotent: the same reaction twice leaves one; removing one that is not there
changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Integer, bindparam, case, func, literal, select
from sqlalchemy.exc import IntegrityError

from core.extensions import db
from core.groups.errors import InvalidInput, NotFound
from core.models import REACTION_KINDS, Comment, CommentReaction, Post, PostReaction, User
from core.permissions import can_react, is_authenticated
from core.visibility import hidden_user_select, not_hidden

LABELS = {"like": _l("Like"), "heart": _l("Love"), "support": _l("Support"), "thanks": _l("Thanks")}
SYMBOLS = {"like": "👍", "heart": "❤️", "support": "🤝", "thanks": "🙏"}
WHO_LIMIT = 200  # names listed per kind on the "who reacted" page


class Reaction(NamedTuple):
    """One kind's count as the viewer sees it, and whether the viewer is among them."""

    kind: str
    count: int
    mine: bool


@dataclass(frozen=True)
class Target:
    """Posts or comments: the reaction table and the column pointing at the item."""

    model: type
    key: Any
    owner: type

    @property
    def owner_id(self) -> Any:
        return self.owner.id


POSTS = Target(PostReaction, PostReaction.post_id, Post)
COMMENTS = Target(CommentReaction, CommentReaction.comment_id, Comment)


def target_of(item: Post | Comment) -> Target:
    return POSTS if isinstance(item, Post) else COMMENTS


#: The viewer in the cached "my reactions" column; queries pass it with ``summary_params``.
REACTION_VIEWER = bindparam("cg_reaction_viewer", type_=Integer)


def _counts(target: Target, hidden: Any) -> list[ColumnElement]:
    model = target.model
    return [
        select(func.count(model.id))
        .where(target.key == target.owner_id, model.kind == kind, hidden(model.user_id))
        .correlate(target.owner).scalar_subquery()
        for kind in REACTION_KINDS
    ]


@cache
def _cached_columns(target: Target, authenticated: bool) -> tuple[ColumnElement, ...]:
    """The columns when nobody is hidden from the viewer, built once (building cost more than running)."""
    model = target.model
    columns = _counts(target, lambda column: literal(True))
    if authenticated:
        mask = case(*((model.kind == kind, 1 << bit) for bit, kind in enumerate(REACTION_KINDS)), else_=0)
        columns.append(select(func.coalesce(func.sum(mask), 0))
                       .where(target.key == target.owner_id, model.user_id == REACTION_VIEWER)
                       .correlate(target.owner).scalar_subquery())
    else:
        columns.append(literal(0))
    return tuple(columns)


def summary_params(viewer: Any) -> dict:
    """The parameters ``summary_columns`` need when the query runs."""
    return {REACTION_VIEWER.key: viewer.id} if is_authenticated(viewer) else {}


def summary_columns(target: Target, viewer: Any, within: Any) -> list[ColumnElement]:
    """Columns to add to a query of ``target.owner`` rows: a count per kind, then the viewer's mask.

    ``within`` is the group (a ``Group``, or a group-id column) the rows belong to, for blocks.
    Run the query with ``summary_params(viewer)``.
    """
    columns = list(_cached_columns(target, is_authenticated(viewer)))
    if hidden_user_select(viewer) is not None:
        columns[:len(REACTION_KINDS)] = _counts(target, lambda column: not_hidden(column, viewer, within))
    return columns


def summary_from(values: Any) -> tuple[Reaction, ...]:
    """The ``summary_columns`` of one row as ``Reaction`` values (a tuple: cards are cached by it)."""
    *counts, mask = values
    mask = mask or 0
    return tuple(Reaction(kind, count or 0, bool(mask & (1 << bit)))
                 for bit, (kind, count) in enumerate(zip(REACTION_KINDS, counts, strict=True)))


def check_kind(kind: str) -> str:
    if kind not in REACTION_KINDS:
        raise InvalidInput(str(_l("Choose one of: %(kinds)s.", kinds=", ".join(REACTION_KINDS))), field="kind")
    return kind


def _refuse_unless_allowed(actor: Any, item: Post | Comment, group: Any, hidden_body: bool) -> None:
    """Content the actor cannot react to is not found for them: hidden, blocked, not a member."""
    if hidden_body or not can_react(actor, group, item.author):
        raise NotFound()


def react(actor: Any, item: Post | Comment, group: Any, kind: str, *, hidden_body: bool = False) -> bool:
    """Add ``actor``'s reaction of ``kind``; returns False when it was already there (nothing changes)."""
    check_kind(kind)
    _refuse_unless_allowed(actor, item, group, hidden_body)
    target = target_of(item)
    exists = db.session.scalar(select(target.model.id).where(target.key == item.id, target.model.kind == kind,
                                                             target.model.user_id == actor.id))
    if exists is not None:
        return False
    try:
        with db.session.begin_nested():  # two clicks at once: the unique constraint keeps one
            db.session.add(target.model(**{target.key.key: item.id}, user_id=actor.id, kind=kind))
    except IntegrityError:
        return False
    db.session.commit()
    return True


def unreact(actor: Any, item: Post | Comment, group: Any, kind: str, *, hidden_body: bool = False) -> bool:
    """Remove ``actor``'s reaction of ``kind``; returns False when there was none."""
    check_kind(kind)
    _refuse_unless_allowed(actor, item, group, hidden_body)
    target = target_of(item)
    result = db.session.execute(db.delete(target.model).where(target.key == item.id, target.model.kind == kind,
                                                              target.model.user_id == actor.id))
    db.session.commit()
    return bool(result.rowcount)


def summary(item: Post | Comment, viewer: Any, group: Any) -> tuple[Reaction, ...]:
    """The counts of one item, fresh (after a reaction), in one query."""
    target = target_of(item)
    values = db.session.execute(select(*summary_columns(target, viewer, group))
                                .select_from(target.owner).where(target.owner.id == item.id),
                                summary_params(viewer)).one()
    return summary_from(values)


def who_reacted(item: Post | Comment, viewer: Any, group: Any) -> dict[str, list[User]]:
    """People who reacted, per kind (in ``REACTION_KINDS`` order), first to react first; one query."""
    target = target_of(item)
    rows = db.session.execute(
        select(target.model.kind, User).join(User, User.id == target.model.user_id)
        .where(target.key == item.id, not_hidden(target.model.user_id, viewer, group))
        .order_by(target.model.id).limit(WHO_LIMIT * len(REACTION_KINDS))
    ).all()
    found: dict[str, list[User]] = {kind: [] for kind in REACTION_KINDS}
    for kind, user in rows:
        if kind in found and len(found[kind]) < WHO_LIMIT:
            found[kind].append(user)
    return {kind: people for kind, people in found.items() if people}
