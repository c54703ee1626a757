"""Hiding people from a viewer inside SQL: the ``hidden_user_ids`` hook as a subquery.

Plugins say whose content a viewer must not see (e.g. a block, both ways). Core applies it
everywhere except inside a group the viewer moderates: a group's staff are never blinded
there (``core.permissions.sees_everyone_in``), so they can act on everything posted in it.
``within`` names the group a query is about, as a ``Group`` or as a group-id column when
the group is only known once the row is read. Queries that show staff such content also
flag it (``hidden_flag``) so pages can say why they see it; counts shown to a viewer
subtract what is hidden from them (``hidden_count``). All of it embeds in the caller's
query: hiding never costs an extra SQL statement.
"""
from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from flask.globals import _cv_request
from sqlalchemy import ColumnElement, Select, and_, event, func, literal, not_, or_, select, true, union
from sqlalchemy.orm import Session

from core.extensions import db
from core.identity_memo import IdentityMemo
from core.models import Group
from core.plugins.registry import get_plugins
from core.proxies import unproxied
from core.ui import forget_request_memos, request_memo

#: This request's answers (``request_memo``): the combined select and its key, per viewer.
_HIDDEN_USERS = "commonground.hidden_users"
_HIDDEN_KEYS = "commonground.hidden_keys"

_UNASKED = object()


def hidden_user_select(viewer: Any):
    """A union of every enabled plugin's ``hidden_user_ids(viewer)`` select, or None.

    Asked once per request and viewer (a page embeds it in several queries), and again after the
    request writes (``init_app``): the select is evaluated by the database each time it runs, and
    a plugin that answered None from what it read at login (nobody blocked) is asked afresh.
    Plugins get the viewer's object, not the ``current_user`` proxy (each attribute read through
    a proxy costs about twenty plain ones).
    """
    viewer = unproxied(viewer)
    if not getattr(viewer, "is_authenticated", False):
        return None
    context = _cv_request.get(None)
    if context is None:
        return _combined(tuple(get_plugins().call("hidden_user_ids", viewer=viewer)))
    memo = request_memo(_HIDDEN_USERS)
    viewer_id = viewer.id
    found = memo.get(viewer_id, _UNASKED)  # not a KeyError: asked afresh twice a page (before and after the login)
    if found is _UNASKED:
        found = memo[viewer_id] = _combined(tuple(
            context.app.extensions["commonground.plugins"].call("hidden_user_ids", viewer=viewer)))
    return found


_MEMO_SIZE = 4096
_COMBINED: IdentityMemo[Any] = IdentityMemo(_MEMO_SIZE)
_KEYS: dict[int, tuple[Any, Hashable | None]] = {}


def _combined(answers: tuple[Any, ...]) -> Any:
    """The plugins' selects as one, never correlated: a plugin's ``select(User.id)`` must not bind to
    the ``users`` row of the query it is embedded in.

    Remembered by the identity of the plugins' answers: a plugin that hands back the same
    (immutable) select on every page gets back the same combined one, whose SQLAlchemy cache key
    is then worked out once (``hidden_key``). The answers are kept with it, so their ids stay theirs.
    """
    if not answers:
        return None

    def build() -> Any:
        selects = [s.correlate(None) if isinstance(s, Select) else s for s in answers]
        return selects[0] if len(selects) == 1 else union(*selects)

    return _COMBINED.get(answers, (), build)


def _frozen(value: Any) -> Any:
    return tuple(value) if isinstance(value, (list, set, frozenset, tuple)) else value


def hidden_key(viewer: Any) -> Hashable | None:
    """What ``not_hidden`` filters for ``viewer`` as it is now, as a hashable key; None if it cannot
    be keyed (a plugin's select holds an element SQLAlchemy cannot key: then build afresh).

    The key is the plugins' selects' SQL structure *and* bound values: a statement that embeds
    the filter can be built once and reused under it (``core.groups.statements``, conversations'
    badge) – a plugin switched on or off, or a filter of another shape or with other values (new
    ids in it), keys a fresh statement; blocks stored in tables are read by the database on each
    run. ``()`` when nothing is hidden. Worked out once per request and viewer.
    """
    hidden = hidden_user_select(viewer)
    if hidden is None:
        return ()
    memo = request_memo(_HIDDEN_KEYS)  # without Flask's proxies: asked several times a page
    if viewer.id in memo:
        return memo[viewer.id]
    known = _KEYS.get(id(hidden))
    if known is not None and known[0] is hidden:  # the same combined select as on an earlier page
        memo[viewer.id] = known[1]
        return known[1]
    found: Hashable | None = None
    cache_key = hidden._generate_cache_key()
    if cache_key is not None:
        candidate = (cache_key.key, tuple(_frozen(bind.effective_value) for bind in cache_key.bindparams))
        try:
            hash(candidate)
        except TypeError:
            pass
        else:
            found = candidate
    if len(_KEYS) >= _MEMO_SIZE:
        _KEYS.clear()
    _KEYS[id(hidden)] = (hidden, found)
    memo[viewer.id] = found
    return found


def _subquery(hidden: Any) -> Any:
    return hidden.scalar_subquery() if hasattr(hidden, "scalar_subquery") else hidden


def _exempt(viewer: Any, within: Any) -> bool:
    """Staff of ``within`` (a ``Group``) see everyone in it; a column is left to the database."""
    from core.permissions import sees_everyone_in

    return isinstance(within, Group) and sees_everyone_in(viewer, within)


def _per_row(within: Any) -> bool:
    return within is not None and not isinstance(within, Group)


def not_hidden(column: ColumnElement, viewer: Any, within: Any = None) -> ColumnElement:
    """A WHERE clause: ``column NOT IN (hidden ids)``, unless the viewer is staff of ``within``.

    ``within`` is the group the rows belong to: a ``Group`` (decided here, from the
    membership memo) or a group-id column (decided by the database, row by row).
    """
    hidden = hidden_user_select(viewer)
    if hidden is None or _exempt(viewer, within):
        return true()
    if not _per_row(within):
        return _remembered((column, hidden), (), lambda: column.not_in(_subquery(hidden)))

    def build() -> ColumnElement:
        from core.permissions import staff_clause

        # the list first: the database builds it once and probes it per row, and it settles most rows
        # (nobody hidden wrote them) before the per-row staff lookup
        return or_(column.not_in(_subquery(hidden)), staff_clause(viewer, within))

    # staff_clause depends on the viewer's id and on whether they are suspended (then it is false)
    return _remembered((column, hidden, within), (viewer.id, bool(viewer.is_suspended)), build)


_CLAUSES: IdentityMemo[Any] = IdentityMemo(_MEMO_SIZE)


def _remembered(parts: tuple[Any, ...], values: tuple[Any, ...], build: Any) -> Any:
    """``build()``, remembered by the identity of the SQL elements in ``parts`` (kept with it, so
    their ids stay theirs) and by ``values``: the same columns and the same reused block filter
    (``_combined``) give back the same clause on every request. Search builds its statement
    anew on every request and embeds this filter twice; SQL elements are immutable, and the
    database still reads the blocks on every run."""
    return _CLAUSES.get(parts, values, build)


def hidden_rows(column: ColumnElement, viewer: Any, within: ColumnElement) -> ColumnElement | None:
    """The opposite of ``not_hidden`` for a group-id column: ``column IN (hidden ids)`` where the
    viewer is not staff of the row's group; None when nobody is hidden from the viewer.

    For a list of what to leave out (``x NOT IN (SELECT ... WHERE hidden_rows(...))``), which the
    database builds once per statement instead of looking each row up. The same clause for the
    same block filter and viewer."""
    hidden = hidden_user_select(viewer)
    if hidden is None:
        return None

    def build() -> ColumnElement:
        from core.permissions import staff_clause

        return and_(column.in_(_subquery(hidden)), not_(staff_clause(viewer, within)))

    return _remembered((column, hidden, within, hidden_rows), (viewer.id, bool(viewer.is_suspended)), build)


def hidden_flag(column: ColumnElement, viewer: Any, within: Any) -> ColumnElement | None:
    """For staff of ``within``: a boolean column, true for people hidden from them elsewhere.

    None when there is nothing to flag (not staff, or nobody hidden): callers then leave the
    column out. With a group-id column, rows the viewer does not moderate are filtered out
    by ``not_hidden`` anyway, so the flag only ever marks what staff see.
    """
    if not (_per_row(within) or _exempt(viewer, within)):
        return None
    hidden = hidden_user_select(viewer)
    if hidden is None:
        return None
    return column.in_(_subquery(hidden))


def hidden_count(counted: ColumnElement, *criteria: ColumnElement, person: ColumnElement,
                 viewer: Any) -> ColumnElement:
    """A correlated count of rows matching ``criteria`` whose ``person`` is hidden from the viewer.

    The caller subtracts it from a stored counter (comments on a post, members of a group)
    so the number shown agrees with the list shown; ``literal(0)`` when nobody is hidden.
    """
    hidden = hidden_user_select(viewer)
    if hidden is None:
        return literal(0)
    return (select(func.count(counted)).where(*criteria, person.in_(_subquery(hidden)))
            .scalar_subquery())


def is_hidden_from(viewer: Any, user_id: int, within: Any = None) -> bool:
    """One-off check for a single person (profiles, a member picked by name, reported items)."""
    if _exempt(viewer, within):
        return False
    hidden = hidden_user_select(viewer)
    if hidden is None:
        return False
    sub = hidden.subquery()
    return db.session.scalar(db.select(sub.c[0]).where(sub.c[0] == user_id).limit(1)) is not None



def forget_answers() -> None:
    """Ask the plugins again on this request: what they read at login has arrived (a member who
    blocks nobody needs no filter after the login statement itself was built with one), or the
    request wrote (a block, an unblock)."""
    forget_request_memos(_HIDDEN_USERS, _HIDDEN_KEYS)


def _forget_after_writes(session: Session, _context: Any) -> None:
    forget_answers()


def init_app() -> None:
    """Forget the request's answers once it writes, as ``core.auth.login_columns`` forgets its values."""
    if not event.contains(Session, "after_flush", _forget_after_writes):
        event.listen(Session, "after_flush", _forget_after_writes)
