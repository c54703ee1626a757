"""Which scopes a write touches, found from what the ORM flushed: no write path can forget one.

Every flush is looked at (``after_flush``): each inserted, changed or deleted row names the
scopes whose pages may show it — a post its group, a membership its group and its person, a
read mark its person, a plugin switch or a site profile the site. Comments, images and
reactions name their post (or comment), resolved to the group after the commit in one query.
Bulk ``UPDATE``/``DELETE`` statements through the session touch the site unless their table is
known to show on no cached page. A table core does not know — a plugin's — touches the site,
which is always correct; a plugin narrows it by giving the model a ``page_cache_keys()`` method
returning the keys (``core.plugin_api.page_cache_group_key`` …), or ``()`` for rows no page shows;
a ``staticmethod`` one (the same keys for every row) also answers for the table's bulk statements,
and a bulk statement may name its own keys with ``execution_options(page_cache_keys=(…))``
(a job that deletes rows whose pages it looked up first).

The collected keys are replaced as the write commits. With the versions in the database that is
inside the write's own transaction (``before_commit``, after its last flush): the new versions
and what they stand for become visible together, and a write costs no second transaction (on
PostgreSQL three round trips fewer; on SQLite one write transaction fewer). In Redis, which cannot
take part in the transaction, it is right after the commit (``after_commit``). Not at a
SAVEPOINT's release: a transaction rolled back replaces nothing, as nothing it wrote is shown
(its keys are forgotten when it ends; a rolled-back SAVEPOINT's stay, costing at most a cache
miss). An extra replacement costs a cache miss, a missing one a stale page: when unsure, a scope
is touched.
"""
from __future__ import annotations

from collections.abc import Iterable
from contextlib import nullcontext
from inspect import getattr_static
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session, SessionTransaction

from core.page_cache.versions import SITE, group_key, user_key

EXTENSION = "commonground.page_cache"
KEYS = "commonground.page_cache.keys"
POSTS = "commonground.page_cache.posts"
COMMENTS = "commonground.page_cache.comments"
WROTE = "commonground.page_cache.wrote"
#: A bulk statement's execution option naming the keys of the pages its rows show on.
EXECUTION_OPTION = "page_cache_keys"

#: Tables no cached page shows (sessions, mail, tokens, jobs, the search index, these versions).
#: Notifications show only as the header's unread count, which is part of every page's key.
UNSHOWN = frozenset({"login_sessions", "outbox_messages", "api_tokens", "job_claims", "search_index",
                     "page_versions", "notifications", "notification_preferences"})
#: A person's columns only their own pages show (their person key is touched, not the site).
OWN_USER_COLUMNS = frozenset({"email", "password_hash", "locale", "country", "email_confirmed_at",
                              "adult_attested_at", "digest", "digest_sent_period"})

_installed = False


def install() -> None:
    """Listen to every session once per process; each app finds its own store at commit."""
    global _installed
    if _installed:
        return
    _installed = True
    event.listen(Session, "after_flush", _note_flush)
    event.listen(Session, "do_orm_execute", _note_bulk)
    event.listen(Session, "before_commit", _before_commit)
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_transaction_end", _after_transaction_end)


def _active() -> bool:
    return has_app_context() and EXTENSION in current_app.extensions


def pending(session: Session) -> set[str]:
    return session.info.setdefault(KEYS, set())


def writing(session: Session) -> bool:
    """Whether ``session`` has written (flushed) or holds changes not yet committed."""
    return bool(session.info.get(WROTE) or session.new or session.dirty or session.deleted)


def _note_flush(session: Session, _flush_context: Any) -> None:
    session.info[WROTE] = True
    if not _active():
        return
    keys = pending(session)
    posts = session.info.setdefault(POSTS, set())
    comments = session.info.setdefault(COMMENTS, set())
    for state, objects in (("new", session.new), ("dirty", session.dirty), ("deleted", session.deleted)):
        for obj in objects:
            if state == "dirty" and not session.is_modified(obj, include_collections=False):
                continue
            _keys_of(obj, state, keys, posts, comments)


def _keys_of(obj: Any, state: str, keys: set[str], posts: set[int], comments: set[int]) -> None:
    table = getattr(obj, "__tablename__", None)
    if table in UNSHOWN:
        return
    own = getattr(obj, "page_cache_keys", None)
    if own is not None:
        keys.update(own())
    elif table == "users":
        keys.add(user_key(obj.id))  # a new account shows nowhere until it joins or posts
        if state == "deleted" or (state == "dirty" and _changed_columns(obj) - OWN_USER_COLUMNS):
            keys.add(SITE)  # name, avatar, admin flag, suspension, erasure: shown wherever they posted
    elif table == "groups":
        keys.add(group_key(obj.id))
    elif table in ("posts", "group_plugin_states"):
        keys.add(group_key(obj.group_id))
    elif table in ("memberships", "join_requests", "invitations"):
        keys.update((group_key(obj.group_id), user_key(obj.user_id)))
    elif table in ("group_reads", "pending_images"):  # only their own pages show them
        keys.add(user_key(obj.user_id))
    elif table in ("comments", "post_images", "post_reactions"):
        posts.add(obj.post_id)
    elif table == "comment_reactions":
        comments.add(obj.comment_id)
    else:  # plugin state, the site profile, and every table core does not know
        keys.add(SITE)


def _changed_columns(obj: Any) -> set[str]:
    attrs = inspect(obj).attrs
    return {attr.key for attr in attrs if attr.history.has_changes()}


def _note_bulk(orm_execute_state: Any) -> None:
    if not (orm_execute_state.is_update or orm_execute_state.is_delete) or not _active():
        return
    declared = orm_execute_state.execution_options.get(EXECUTION_OPTION)
    if declared is not None:  # the statement names the pages its rows show on
        pending(orm_execute_state.session).update(declared)
        return
    mapper = orm_execute_state.bind_mapper
    own = getattr_static(mapper.class_, "page_cache_keys", None) if mapper is not None else None
    if isinstance(own, staticmethod):  # the same keys for every row, so for a bulk statement too
        pending(orm_execute_state.session).update(own.__func__())
        return
    table = getattr(orm_execute_state.statement, "table", None)
    if getattr(table, "name", None) not in UNSHOWN:
        pending(orm_execute_state.session).add(SITE)


def _before_commit(session: Session) -> None:
    """Versions kept in the database: replaced in the committing transaction, after its last flush."""
    if session.in_nested_transaction() or not _active():
        return  # a SAVEPOINT released (the hook runner's): the write is not committed yet
    versions = current_app.extensions[EXTENSION].versions
    if not getattr(versions, "transactional", False):
        return
    session.flush()
    taken = _taken(session)
    if taken is not None:  # a commit that wrote nothing shown asks for no connection
        keys, posts, comments = taken
        connection = session.connection()
        versions.replace(keys | _groups_of(posts, comments, connection), connection=connection)


def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a SAVEPOINT released (the hook runner's): the write is not committed yet
    session.info.pop(WROTE, None)
    if not _active():
        return
    taken = _taken(session)  # None when ``_before_commit`` replaced them
    if taken is not None:
        keys, posts, comments = taken
        replace(keys | _groups_of(posts, comments))


def _taken(session: Session) -> tuple[set[str], set[int], set[int]] | None:
    """What the transaction's writes touched, taken from ``session``: keys, and the posts and
    comments whose groups they touched (None if nothing)."""
    keys = session.info.pop(KEYS, set())
    posts = session.info.pop(POSTS, set())
    comments = session.info.pop(COMMENTS, set())
    if not (keys or posts or comments):
        return None
    return keys, posts, comments


def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    """The outermost transaction ended: what it collected and did not commit (rolled back, closed)
    is forgotten, or a later commit in this session would replace versions for it."""
    if transaction.parent is None:
        for name in (WROTE, KEYS, POSTS, COMMENTS):
            session.info.pop(name, None)


def replace(keys: Iterable[str]) -> None:
    keys = set(keys)
    if keys:
        current_app.extensions[EXTENSION].versions.replace(keys)


def _groups_of(post_ids: set[int], comment_ids: set[int], connection: Any = None) -> set[str]:
    """The groups of the posts and comments a commit touched (one query; gone ones touch nothing
    more — their own deletion named their group). Asked on ``connection`` (the committing
    transaction's) if given, else on a connection of its own."""
    from core.extensions import db
    from core.models import Comment, Post

    if not post_ids and not comment_ids:
        return set()
    parts = []
    if post_ids:
        parts.append(select(Post.group_id).where(Post.id.in_(post_ids)))
    if comment_ids:
        parts.append(select(Post.group_id).join(Comment, Comment.post_id == Post.id).where(Comment.id.in_(comment_ids)))
    statement = parts[0] if len(parts) == 1 else parts[0].union(parts[1])
    with nullcontext(connection) if connection is not None else db.engine.connect() as asked:
        return {group_key(group_id) for group_id in asked.execute(statement).scalars()}
