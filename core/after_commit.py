"""Work held until the database transaction commits — the outermost one, never a SAVEPOINT's release.

SQLAlchemy's ``after_commit`` event also fires when a SAVEPOINT (``begin_nested``) is released,
before anything is committed, and ``after_rollback`` when one is rolled back while the outer
transaction goes on. The hook runner opens a SAVEPOINT around every plugin's in-transaction
implementation, so acting on those events queued jobs and deleted files for changes the outer
transaction could still roll back, and a failed plugin's SAVEPOINT dropped what the action
itself had asked for.

Work held here (``hold``) is tagged with the transaction or SAVEPOINT that asked for it: it is
done when the outermost transaction commits (by the function registered for its kind with
``on_commit``), and dropped when its own SAVEPOINT, or a transaction around it, rolls back or
ends without a commit.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

_HELD = "commonground.after_commit"

_done: dict[str, Callable[[list[Any]], None]] = {}
_dropped: dict[str, Callable[[list[Any]], None]] = {}


def on_commit(kind: str, done: Callable[[list[Any]], None],
              dropped: Callable[[list[Any]], None] | None = None) -> None:
    """``done(items)`` runs when the outermost transaction that held items of ``kind`` commits;
    ``dropped(items)``, if given, hears of items whose transaction did not."""
    _done[kind] = done
    if dropped is not None:
        _dropped[kind] = dropped


def hold(session: Session, kind: str, items: Iterable[Any]) -> None:
    """Hold ``items`` of ``kind`` for the commit of the transaction open now (one is begun if none is)."""
    items = list(items)
    if not items:
        return
    transaction = session.get_nested_transaction() or session.get_transaction() or session.begin()
    session.info.setdefault(_HELD, []).extend((transaction, kind, item) for item in items)


def held(session: Session, kind: str) -> list[Any]:
    """The items of ``kind`` waiting for this session's commit."""
    return [item for _transaction, held_kind, item in session.info.get(_HELD, ()) if held_kind == kind]


def _within(transaction: SessionTransaction | None, outer: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is outer:
            return True
        transaction = transaction.parent
    return False


def _by_kind(entries: Iterable[tuple[Any, str, Any]]) -> dict[str, list[Any]]:
    kinds: dict[str, list[Any]] = {}
    for _transaction, kind, item in entries:
        kinds.setdefault(kind, []).append(item)
    return kinds


def _drop(entries: list[tuple[Any, str, Any]]) -> None:
    for kind, items in _by_kind(entries).items():
        if kind in _dropped:
            _dropped[kind](items)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a SAVEPOINT released: nothing is committed until the outermost transaction is
    for kind, items in _by_kind(session.info.pop(_HELD, ())).items():
        _done[kind](items)


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, previous_transaction: SessionTransaction) -> None:
    """A SAVEPOINT (a failed plugin's) or a whole transaction rolled back: drop what it held, only that."""
    entries = session.info.get(_HELD)
    if not entries:
        return
    gone = [entry for entry in entries if _within(entry[0], previous_transaction)]
    if gone:
        session.info[_HELD] = [entry for entry in entries if not _within(entry[0], previous_transaction)]
        _drop(gone)


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    """The outermost transaction ended without a commit (closed): nothing it held is done."""
    if transaction.parent is None:
        _drop(session.info.pop(_HELD, []))
