"""Hidden items: members see a placeholder, moderators of the item's group see the original.

``placeholders`` answers core's ``content_placeholders`` hook. On a feed and a post's page
it needs no statement of its own: ``hidden_column`` rides along in the statement core loads
the list with (the ``list_columns`` hook) and ``placeholders`` reads each item's value
(``list_values``). Elsewhere (the API, a profile, a list core did not fold) it runs one query
per list; on a post's own page that query also fetches the post's hidden comments, so the
comment list that follows costs nothing.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    bindparam,
    exists,
    func,
    literal,
    null,
    or_,
    select,
)
from sqlalchemy.orm import aliased

from core.plugin_api import ROLE_RANK, Comment, Membership, db, list_values, request_memo, sql_constant
from plugins.reporting.models import HiddenContent

#: The request's memo (``request_memo``) of the hidden items this viewer sees as a moderator, by
#: content type: the placeholders find them, the slots mark them.
MODERATOR_VIEW = "reporting.moderator_view"

UNHIDEABLE = ("profile",)


def is_hidden(type_name: str, content_id: int) -> bool:
    return db.session.scalar(select(HiddenContent.id).where(HiddenContent.content_type == type_name,
                                                            HiddenContent.content_id == content_id)) is not None


def hide(case: Any, *, automatic: bool) -> bool:
    """Hide the case's item from members (moderators still see it); False if already hidden."""
    if case.content_type in UNHIDEABLE or is_hidden(case.content_type, case.content_id):
        return False
    db.session.add(HiddenContent(content_type=case.content_type, content_id=case.content_id,
                                 group_id=case.group_id, case_id=case.id, automatic=automatic))
    return True


def unhide(type_name: str, content_id: int) -> bool:
    row = db.session.scalar(select(HiddenContent).where(HiddenContent.content_type == type_name,
                                                        HiddenContent.content_id == content_id))
    if row is None:
        return False
    db.session.delete(row)
    return True


def hidden_select(viewer: Any, content_type: str) -> Select | None:
    """Ids of ``content_type`` hidden from ``viewer`` in lists that leave items out (search).

    Like the placeholders: moderators of an item's group (and site admins) still find it.
    """
    if content_type in UNHIDEABLE:
        return None
    if getattr(viewer, "is_authenticated", False):
        return None if viewer.is_site_admin else _hidden_select(content_type, viewer.id)
    return _hidden_select(content_type, None)


#: The roles written into the SQL as constants, not an expanding ``IN`` (rendered into the SQL again on
#: every run) nor bound parameters (processed on every run): search runs this select for every
#: source on every search.
_MODERATOR_ROLES = [sql_constant(role) for role, rank in ROLE_RANK.items() if rank >= ROLE_RANK["moderator"]]


@lru_cache(maxsize=2048)
def _hidden_select(content_type: str, viewer_id: int | None) -> Select:
    """``hidden_select`` for a member (or a visitor, ``None``), built once: search asks it for every
    source on every search, and the select holds nothing that changes (the tables are read when
    the search runs)."""
    stmt = select(HiddenContent.content_id).where(HiddenContent.content_type == sql_constant(content_type))
    if viewer_id is not None:
        stmt = stmt.where(or_(HiddenContent.group_id.is_(None), HiddenContent.group_id.not_in(_moderated(viewer_id))))
    return stmt


@lru_cache(maxsize=2048)
def _moderated(viewer_id: int) -> Select:
    """The groups ``viewer_id`` moderates: one select shared by the content types' selects, so a search
    that embeds them all binds the viewer's id once."""
    return select(Membership.group_id).where(Membership.user_id == viewer_id, Membership.role.in_(_MODERATOR_ROLES))


#: The viewer's membership in a hidden item's group, inside ``hidden_column`` (an alias: the
#: statement it is embedded in may join ``memberships`` itself, for the viewer's own role).
_ROLE = aliased(Membership, name="reporting_viewer_role")


def list_column(viewer: Any, content_type: str, id_column: ColumnElement) -> ColumnElement | None:
    """Our ``list_columns`` answer: ``hidden_column`` for this kind of viewer (built once per viewer)."""
    if content_type in UNHIDEABLE:
        return None
    kind = _viewer_kind(viewer)
    return hidden_column(content_type, id_column, kind, viewer.id if kind == "member" else None)


@lru_cache(maxsize=2048)
def hidden_column(content_type: str, id_column: ColumnElement, kind: str, viewer_id: int | None) -> ColumnElement:
    """Per listed item: NULL when it is not hidden, else the viewer's role in its group
    ("admin" for site admins, "" for visitors and people outside the group) – what ``_load``'s
    rows say, as a column of the list's own statement. The same object for the same arguments,
    so core reuses the statement it built around it."""
    hidden = HiddenContent
    if kind == "member":
        role = _ROLE
        on = and_(role.group_id == hidden.group_id, role.user_id == literal(viewer_id))
        stmt = select(func.coalesce(role.role, sql_constant(""))).select_from(hidden).outerjoin(role, on)
        correlate = (hidden, role)
    else:
        stmt = select(sql_constant("admin" if kind == "admin" else "")).select_from(hidden)
        correlate = (hidden,)
    return (stmt.where(hidden.content_type == sql_constant(content_type), hidden.content_id == id_column)
            .correlate_except(*correlate).scalar_subquery())


def _viewer_kind(viewer: Any) -> str:
    if getattr(viewer, "is_authenticated", False):
        return "admin" if viewer.is_site_admin else "member"
    return "anonymous"


#: Lists of up to this many ids are asked with one plain parameter per id (see ``_id_slots``).
MAX_SLOTS = 64


def _id_slots(count: int) -> int:
    """How many id parameters the statement for ``count`` ids has: the next power of two (the list
    is padded with its last id), or 0 for an expanding ``IN`` beyond ``MAX_SLOTS``.

    An expanding ``IN`` is rendered into the SQL again on every run; plain parameters are not,
    and powers of two keep the statements few (1, 2, 4, … 64)."""
    if count > MAX_SLOTS:
        return 0
    slots = 1
    while slots < count:
        slots *= 2
    return slots


def _id_params(ids: list[int], slots: int) -> dict[str, Any]:
    if not slots:
        return {"ids": ids}
    padded = ids + [ids[-1]] * (slots - len(ids))
    return {f"id_{n}": value for n, value in enumerate(padded)}


@lru_cache(maxsize=256)
def _placeholder_statement(kind: str, content_type: str, with_comments: bool, slots: int) -> Select:
    """The hidden-items query of one kind of list, built once: ids, viewer and post are bound
    when it runs (a feed asks it on every page; building and keying it cost more than running it).
    ``slots`` id parameters (``_id_slots``), or an expanding one when 0.

    The viewer's role in each hidden item's group comes as a column ("admin" for site admins)."""
    asked = bindparam("ids", expanding=True) if not slots else [bindparam(f"id_{n}") for n in range(slots)]
    wanted = and_(HiddenContent.content_type == content_type, HiddenContent.content_id.in_(asked))
    if with_comments:
        of_post = exists().where(Comment.id == HiddenContent.content_id, Comment.post_id == bindparam("post_id"))
        wanted = or_(wanted, and_(HiddenContent.content_type == "comment", of_post))
    role = literal("admin") if kind == "admin" else Membership.role if kind == "member" else null()
    stmt = select(HiddenContent.content_type, HiddenContent.content_id, role).where(wanted)
    if kind == "member":
        stmt = stmt.outerjoin(Membership, and_(Membership.group_id == HiddenContent.group_id,
                                               Membership.user_id == bindparam("viewer_id")))
    return stmt


def placeholders(viewer: Any, content_type: str, ids: list[int]) -> dict[int, Markup]:
    if not ids:
        return {}
    listed = list_values("reporting", content_type)
    if listed and all(i in listed for i in ids):  # core loaded them with our column: no statement
        rows = [(i, listed[i]) for i in ids if listed[i] is not None]
        if not rows:
            return {}
    else:
        memo = request_memo("reporting.hidden")
        if content_type == "comment" and "comment" in memo:
            asked = set(ids)
            rows = [(cid, role) for cid, role in memo.pop("comment") if cid in asked]
        else:
            rows = _load(viewer, content_type, ids, memo)
    found: dict[int, Markup] = {}
    moderator_view: set[int] = set()
    for content_id, role in rows:
        if role in ROLE_RANK and ROLE_RANK[role] >= ROLE_RANK["moderator"]:
            moderator_view.add(content_id)
        else:
            found[content_id] = Markup('<p class="placeholder reporting-hidden"><em>{}</em></p>').format(
                _("This was hidden by the moderators."))
    if moderator_view:
        request_memo(MODERATOR_VIEW).setdefault(content_type, set()).update(moderator_view)
    return found


def _load(viewer: Any, content_type: str, ids: list[int], memo: dict) -> list[tuple[int, Any]]:
    kind = _viewer_kind(viewer)
    with_comments = content_type == "post" and len(ids) == 1
    slots = _id_slots(len(ids))
    params: dict[str, Any] = _id_params(ids, slots)
    if with_comments:
        params["post_id"] = ids[0]
    if kind == "member":
        params["viewer_id"] = viewer.id
    session = db.session()
    if session.autoflush:  # what session.execute would do first
        session.flush()
    # On the session's connection (same transaction): plain rows, without the ORM's result layer.
    rows = session.connection().execute(_placeholder_statement(kind, content_type, with_comments, slots),
                                        params).all()
    if with_comments:
        memo["comment"] = [(cid, r) for kind, cid, r in rows if kind == "comment"]
    return [(cid, r) for kind, cid, r in rows if kind == content_type]
