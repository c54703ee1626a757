"""Columns plugins add to the statements that load lists of posts and comments (``list_columns``).

A plugin that needs one fact about every listed item (hidden by moderation, say) would
otherwise run a statement of its own for each list, on every page. Instead it hands core a
scalar column correlated to the list's rows; core adds it to the statement that loads the
feed, the pinned posts, a post (its page) or a post's comments, and keeps each item's value
for the request, where the plugin reads it (``list_values``) in its placeholders and slots.

The statements themselves are built once and reused (``core.groups.statements``): the
columns are part of their key by identity, so a plugin should hand back the same column
object for the same answer (built once, e.g. with ``functools.lru_cache``); a new object
costs a new statement.

Fault isolation: a hook that raises is dropped, as every UI hook's answer. A column the
database refuses (a plugin's table missing, a bad expression) would break the whole list:
core then rolls the read back, runs the statement without the plugins' columns, logs it and
leaves those column objects out from then on in this process. Their plugins then find no
values for the items and answer as they do on pages core does not fold (their own query).
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from operator import itemgetter
from typing import Any, NamedTuple

from flask.globals import _cv_request
from sqlalchemy import ColumnElement
from sqlalchemy.exc import SQLAlchemyError

from core.extensions import db
from core.plugins.registry import get_plugins
from core.proxies import unproxied

log = logging.getLogger("commonground.plugins")

ENVIRON_KEY = "commonground.list_values"


class ListColumns(NamedTuple):
    """The plugins' columns for one list: who gave each, the columns, and their key for reuse."""

    plugin_ids: tuple[str, ...]
    columns: tuple[ColumnElement, ...]
    key: tuple[int, ...]


NONE = ListColumns((), (), ())

#: Column objects the database refused (by id; the object is kept so its id stays its own).
_BROKEN: dict[int, ColumnElement] = {}
_BROKEN_SIZE = 1024


def asked(viewer: Any, content_type: str, id_column: ColumnElement, group: Any = None) -> ListColumns:
    """Every enabled plugin's column for a list of ``content_type`` whose ids are ``id_column``."""
    runner = get_plugins().runner
    if not runner.reaches("list_columns", group):
        return NONE
    viewer = unproxied(viewer)  # the object, not the ``current_user`` proxy
    plugin_ids, columns = [], []
    for plugin_id, column in runner.answers("list_columns", group=group, viewer=viewer, content_type=content_type,
                                            id_column=id_column):
        if not isinstance(column, ColumnElement):
            log.error("plugin %s answered list_columns(%r) with %s, not a column; its contribution is dropped",
                      plugin_id, content_type, type(column).__name__)
            continue
        if _BROKEN.get(id(column)) is column:
            continue
        plugin_ids.append(plugin_id)
        columns.append(column)
    if not columns:
        return NONE
    return ListColumns(tuple(plugin_ids), tuple(columns), tuple(map(id, columns)))


def execute(build: Callable[[ListColumns], tuple[Any, Any]], extra: ListColumns, params: dict[str, Any]
            ) -> tuple[list, Any, ListColumns]:
    """Run the statement ``build(extra)`` makes (with ``extra``'s columns last; ``build`` returns
    it with anything its caller needs to read the rows): the rows, that, and the columns the rows
    really carry (none when the database refused the plugins' columns and the statement ran
    without them)."""
    stmt, shape = build(extra)
    if not extra.columns:
        return db.session.execute(stmt, params).all(), shape, extra
    try:
        return db.session.execute(stmt, params).all(), shape, extra
    except SQLAlchemyError:
        log.exception("the list columns of plugin(s) %s failed in the database; the list is read without them",
                      ", ".join(extra.plugin_ids))
    db.session.rollback()  # PostgreSQL refuses every later statement of a failed transaction
    if len(_BROKEN) >= _BROKEN_SIZE:
        _BROKEN.clear()
    for column in extra.columns:
        _BROKEN[id(column)] = column
    stmt, shape = build(NONE)
    return db.session.execute(stmt, params).all(), shape, NONE


def keep(content_type: str, extra: ListColumns, ids: list[int], rows: list, start: int) -> None:
    """Remember for the request each item's values: ``rows[n][start:]`` are ``extra``'s values
    for the item ``ids[n]``."""
    if not extra.columns:
        return
    context = _cv_request.get(None)
    if context is None:
        return
    environ = context.request.environ
    memo = environ.get(ENVIRON_KEY)
    if memo is None:
        memo = environ[ENVIRON_KEY] = {}
    for index, plugin_id in enumerate(extra.plugin_ids):
        found = memo.get((plugin_id, content_type))
        if found is None:
            found = memo[(plugin_id, content_type)] = {}
        found.update(zip(ids, map(itemgetter(start + index), rows), strict=True))


def list_values(plugin_id: str, content_type: str) -> dict[int, Any]:
    """The values of ``plugin_id``'s ``list_columns`` column for every item of ``content_type``
    listed so far in this request, ``{item id: value}`` (an item whose value is NULL is there
    with None). An item that is not there was not listed by a statement core folded the column
    into (another page, the API, a column the database refused): ask for it yourself."""
    context = _cv_request.get(None)
    if context is None:
        return {}
    memo = context.request.environ.get(ENVIRON_KEY)
    if memo is None:
        return {}
    return memo.get((plugin_id, content_type)) or {}
