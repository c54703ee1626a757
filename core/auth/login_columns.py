"""Plugins' scalar columns in the statement that loads the logged-in member (``login_columns`` hook).

Every request of a logged-in member runs one statement for their row, their login session and
their unread count (``core.auth.session.open_login``). A plugin that shows something about the
member on every page – a header badge – would otherwise run a statement of its own on every
page; instead it contributes correlated scalar subqueries to that statement and reads their
values back with ``login_values``: one statement fewer per page.

A plugin answers with the same mapping (the same column objects) while its SQL stays the same;
core builds the combined statement once per such answer, so a page pays no statement building.
A broken contribution must not break log-in: a failing hook is dropped by the runner; columns
that are not SQL are left out; a statement that fails in the database is run again without the
contributions (the request's transaction rolled back first: loading the login is the first
thing a request reads), and the plugins that contributed are left out until the plugin
state changes. They then fall back to their own statement (``login_values`` gives None).
"""
from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask.globals import _cv_app
from sqlalchemy import ColumnElement, Select, event
from sqlalchemy.orm import Session

from core.identity_memo import IdentityMemo
from core.plugins.registry import get_plugins
from core.visibility import forget_answers

log = logging.getLogger("commonground.plugins")

HOOK = "login_columns"
#: Where ``open_login`` leaves the values for ``login_values``: ``(user id, {plugin id: {name: value}})``.
VALUES = "cg_login_columns"


class LoginViewer:
    """The member being logged in, as known before their row is read: their id (what a plugin's
    columns and the block filter, ``not_hidden``, are built from)."""

    is_authenticated = True
    is_anonymous = False

    __slots__ = ("id",)

    def __init__(self, user_id: int) -> None:
        self.id = user_id


#: The plugins' columns carried by a statement, in its order: ((plugin id, name), ...).
Layout = tuple[tuple[str, str], ...]

_COMBINED: IdentityMemo[tuple[Select, Layout]] = IdentityMemo(2048)


_BROKEN: list[Any] = [None, set()]


def _broken() -> set[str]:
    """Plugins whose contribution failed in the database (until the plugin state changes)."""
    state = get_plugins().state
    if _BROKEN[0] is not state:
        _BROKEN[:] = [state, set()]
    return _BROKEN[1]


#: Each member's combined statement: ``(user id, id of base)`` → (plugin state, base, (statement, layout)).
_REMEMBERED: dict[tuple[int, int], tuple[Any, Select, tuple[Select, Layout]]] = {}
_REMEMBERED_SIZE = 4096


def with_plugin_columns(base: Select, user_id: int) -> tuple[Select, Layout]:
    """``base`` with the enabled plugins' ``login_columns`` for ``user_id`` added at its end, and
    which plugin's value each added column is; ``(base, ())`` when none contributes.

    Remembered per member and plugin state (a new state object: a plugin switched, its settings
    saved), so the plugins are asked once, not on every page: their columns are SQL about the
    member's id that the database evaluates on every run (the ``login_columns`` spec says so, and
    ``hidden_user_ids`` for a member known by id only). Not remembered when a plugin failed while
    answering; forgotten when the database refuses a contribution (``failed``)."""
    plugins = get_plugins()
    state = plugins.current_state()
    key = (user_id, id(base))
    found = _REMEMBERED.get(key)
    if found is not None and found[0] is state and found[1] is base:
        return found[2]
    runner = plugins.runner
    failures = runner.failures
    combined = _asked(base, user_id)
    if runner.failures == failures:
        if len(_REMEMBERED) >= _REMEMBERED_SIZE:
            _REMEMBERED.clear()
        _REMEMBERED[key] = (state, base, combined)
    return combined


def _asked(base: Select, user_id: int) -> tuple[Select, Layout]:
    found = get_plugins().runner.answers(HOOK, viewer=LoginViewer(user_id))
    if not found:
        return base, ()
    broken = _broken()
    answers = tuple((plugin_id, result) for plugin_id, result in found if result and plugin_id not in broken)
    if not answers:
        return base, ()
    parts = (base, *(answer for _pid, answer in answers))
    return _COMBINED.get(parts, (), lambda: _combine(base, answers))


def _combine(base: Select, answers: tuple[tuple[str, Any], ...]) -> tuple[Select, Layout]:
    columns: list[Any] = []
    layout: list[tuple[str, str]] = []
    for plugin_id, answer in answers:
        try:
            if not isinstance(answer, Mapping):
                raise TypeError(f"login_columns must return a mapping of names to SQL columns, not {answer!r}")
            mine = []
            for name, column in answer.items():
                if not isinstance(name, str) or not isinstance(column, ColumnElement):
                    raise TypeError(f"login_columns: {name!r} is not a name with a SQL column ({column!r})")
                mine.append(((plugin_id, name), column))
        except TypeError:
            log.exception("plugin %s failed in hook %s; its contribution is dropped", plugin_id, HOOK)
            continue
        for (where, column) in mine:
            columns.append(column.label(f"cg_p{len(layout)}"))
            layout.append(where)
    if not columns:
        return base, ()
    return base.add_columns(*columns), tuple(layout)


def failed(layout: Layout) -> None:
    """The statement with these plugins' columns failed in the database: stop asking them."""
    plugins = sorted({plugin_id for plugin_id, _name in layout})
    log.exception("the login statement failed with the columns of plugin(s) %s (hook %s); "
                  "loading the login without them", ", ".join(plugins), HOOK)
    _broken().update(plugins)
    _REMEMBERED.clear()


def keep(user_id: int, layout: Layout, values: tuple[Any, ...]) -> None:
    """Note what the plugins' columns read for ``user_id``, for ``login_values`` in this request."""
    found: dict[str, dict[str, Any]] = {}
    for (plugin_id, name), value in zip(layout, values, strict=True):
        found.setdefault(plugin_id, {})[name] = value
    vars(_cv_app.get().g)[VALUES] = (user_id, found)
    forget_answers()  # plugins may now answer who is hidden from these values


def login_values(plugin_id: str, user: Any) -> Mapping[str, Any] | None:
    """What ``plugin_id``'s ``login_columns`` read with ``user``'s login on this request, by the names
    it gave; None when they were not read (no session login on this request – an API token, the
    request that logs in –, another user, the contribution failed, or the request has written to
    the database since: ask with a statement of your own then)."""
    context = _cv_app.get(None)  # plugins ask on every page: no proxy (``g``) in the way
    found = None if context is None else vars(context.g).get(VALUES)
    if found is None or found[0] != getattr(user, "id", None):
        return None
    return found[1].get(plugin_id)


def _forget_after_writes(session: Session, _context: Any) -> None:
    """A write may change what the columns counted: this request reads afresh from now on."""
    context = _cv_app.get(None)
    if context is not None:
        vars(context.g).pop(VALUES, None)


def init_app() -> None:
    """Forget the values read at log-in once the request writes (a page rendered after a write
    shows what it wrote, as when the plugin asked itself)."""
    if not event.contains(Session, "after_flush", _forget_after_writes):
        event.listen(Session, "after_flush", _forget_after_writes)
