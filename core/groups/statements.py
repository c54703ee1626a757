"""Group pages' statements, built once per kind of viewer and reused across requests.

A feed, group or post statement carries the block filter plugins contribute
(``hidden_user_ids``) several times over: in its WHERE clause, in the hidden-comment and
hidden-member counts and in each reaction count. Building it, and then SQLAlchemy's cache
key for it, cost more than running it. So each is built once per key: what the statement
depends on besides its bound parameters (signed in or not, staff of the group or not) and
the block filter *as it is now* (``core.visibility.hidden_key``: its SQL and its bound
values). The group, the post, the slug and the viewer are bound parameters passed when the
statement runs. A plugin switched on or off, a filter of another shape or with other values
(another viewer's blocks) gets its own statement; the database evaluates the filter on
every run, so a block made a moment ago counts on the next request.

Not page caching: nothing derived from rows is kept here, only SQL expressions. Bounded
(``SIZE`` entries per process, then cleared and rebuilt as used).
"""
from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from sqlalchemy import Integer, String, bindparam

from core.visibility import hidden_key

SIZE = 4096

#: The bound parameters the reused statements take (passed by the functions that run them).
GROUP_ID = bindparam("cg_group_id", type_=Integer)
POST_ID = bindparam("cg_post_id", type_=Integer)
SLUG = bindparam("cg_slug", type_=String)

_STATEMENTS: dict[Hashable, Any] = {}


def reused(kind: Hashable, viewer: Any, build: Callable[[], Any]) -> Any:
    """The statement ``build()`` makes for ``kind`` (a hashable naming everything else it depends
    on) and the viewer's current block filter: built at the first request, then reused."""
    hidden = hidden_key(viewer)
    if hidden is None:
        return build()
    key = (kind, hidden)
    found = _STATEMENTS.get(key)
    if found is None:
        if len(_STATEMENTS) >= SIZE:
            _STATEMENTS.clear()
        found = _STATEMENTS[key] = build()
    return found

