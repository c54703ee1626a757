"""Read side of groups: each function is one SQL query, whatever the size of the data.

A page loads the group together with the viewer's membership (and what the header needs)
in one query and primes ``core.permissions``' memo with it; lists load rows together with
their authors, filtered by ``not_hidden`` inside the same query, keyset-paginated.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Integer, String, and_, bindparam, case, false, literal, or_
from sqlalchemy.orm import contains_eager

from core.extensions import db
from core.groups import keyset
from core.models import Comment, Group, Invitation, JoinRequest, Membership, Post, User
from core.permissions import can_view_group_content, is_authenticated, remember_membership
from core.visibility import not_hidden


@dataclass
class GroupContext:
    """A group as one viewer meets it: their membership and what the page header shows."""

    group: Group
    membership: Membership | None
    has_pending_request: bool
    invitation_id: int | None
    open_requests: int


@dataclass
class Page:
    """One page of a keyset-paginated list; ``next`` is the cursor for the following page."""

    items: list[Any]
    next: str | None


VIEWER = bindparam("cg_viewer_id", type_=Integer)


@cache
def _context_columns(authenticated: bool) -> tuple[tuple, tuple]:
    """Columns for the viewer's membership, pending request and invitation, and the request count.

    Built once (the viewer is the bound parameter ``VIEWER``, see ``_viewer_params``): building
    these expressions cost more than running the query.
    """
    open_requests = (
        db.select(db.func.count(JoinRequest.id))
        .where(JoinRequest.group_id == Group.id, JoinRequest.status == "pending")
        .correlate(Group).scalar_subquery()
    )
    if not authenticated:
        return (literal(None), false(), literal(None), open_requests), ()
    pending = (
        db.select(JoinRequest.id)
        .where(JoinRequest.group_id == Group.id, JoinRequest.user_id == VIEWER, JoinRequest.status == "pending")
        .correlate(Group).exists()
    )
    invitation = (
        db.select(db.func.max(Invitation.id))
        .where(Invitation.group_id == Group.id, Invitation.user_id == VIEWER, Invitation.status == "pending")
        .correlate(Group).scalar_subquery()
    )
    join = (Membership, and_(Membership.group_id == Group.id, Membership.user_id == VIEWER))
    return (Membership, pending, invitation, open_requests), (join,)


def _viewer_params(viewer: Any) -> dict:
    return {VIEWER.key: viewer.id} if is_authenticated(viewer) else {}


def _context(viewer: Any, group: Group, row: Any, offset: int) -> GroupContext:
    found, pending, invitation_id, open_requests = row[offset:offset + 4]
    if is_authenticated(viewer):
        remember_membership(viewer, group, found)
    return GroupContext(group=group, membership=found, has_pending_request=bool(pending),
                        invitation_id=invitation_id, open_requests=open_requests or 0)


@cache
def _group_statement(authenticated: bool):
    columns, joins = _context_columns(authenticated)
    stmt = db.select(Group, *columns).where(Group.slug == bindparam("cg_slug", type_=String))
    for target, on in joins:
        stmt = stmt.outerjoin(target, on)
    return stmt


def load_group(slug: str, viewer: Any) -> GroupContext | None:
    """The group with the viewer's membership, in one query; None if no such group."""
    params = _viewer_params(viewer)
    row = db.session.execute(_group_statement(bool(params)), {"cg_slug": slug, **params}).first()
    if row is None:
        return None
    return _context(viewer, row[0], row, 1)


def load_post(slug: str | None, post_id: int, viewer: Any) -> tuple[GroupContext, Post] | None:
    """Post, author, group and the viewer's membership in one query; None if not visible to them.

    ``slug`` None finds the post in whatever group it is (the API addresses posts by id).
    """
    params = _viewer_params(viewer)
    columns, joins = _context_columns(bool(params))
    stmt = (
        db.select(Post, *columns)
        .join(Post.group).join(Post.author)
        .options(contains_eager(Post.group), contains_eager(Post.author))
        .where(Post.id == post_id, not_hidden(Post.author_id, viewer))
    )
    if slug is not None:
        stmt = stmt.where(Group.slug == slug)
    for target, on in joins:
        stmt = stmt.outerjoin(target, on)
    row = db.session.execute(stmt, params).first()
    if row is None:
        return None
    post = row[0]
    context = _context(viewer, post.group, row, 1)
    if not can_view_group_content(viewer, post.group):
        return None
    return context, post


def load_comment(slug: str | None, comment_id: int, viewer: Any) -> tuple[GroupContext, Comment] | None:
    """A comment with its post, group and the viewer's membership in one query; None if not visible."""
    params = _viewer_params(viewer)
    columns, joins = _context_columns(bool(params))
    post_author = db.aliased(User)
    stmt = (
        db.select(Comment, *columns)
        .join(Comment.post).join(Post.group).join(Comment.author)
        .join(post_author, Post.author_id == post_author.id)
        .options(contains_eager(Comment.post).contains_eager(Post.group), contains_eager(Comment.author),
                 contains_eager(Comment.post).contains_eager(Post.author.of_type(post_author)))
        .where(Comment.id == comment_id, not_hidden(Comment.author_id, viewer), not_hidden(Post.author_id, viewer))
    )
    if slug is not None:
        stmt = stmt.where(Group.slug == slug)
    for target, on in joins:
        stmt = stmt.outerjoin(target, on)
    row = db.session.execute(stmt, params).first()
    if row is None:
        return None
    comment = row[0]
    context = _context(viewer, comment.post.group, row, 1)
    if not can_view_group_content(viewer, comment.post.group):
        return None
    return context, comment


def feed_page(group: Group, viewer: Any, before: str | None, limit: int) -> Page:
    """Newest posts first, with authors; ``before`` is a cursor from a previous page."""
    stmt = (
        db.select(Post).join(Post.author).options(contains_eager(Post.author))
        .where(Post.group_id == group.id, not_hidden(Post.author_id, viewer))
        .order_by(Post.created_at.desc(), Post.id.desc())
        .limit(limit + 1)
    )
    if before:
        stmt = stmt.where(keyset.after((Post.created_at, Post.id), keyset.decode(before, (datetime, int)),
                                       descending=True))
    posts = list(db.session.scalars(stmt))
    return _page(posts, limit, lambda post: keyset.encode(post.created_at, post.id))


def comment_page(post: Post, viewer: Any, after: str | None, limit: int) -> Page:
    """A post's comments oldest first, with authors."""
    stmt = (
        db.select(Comment).join(Comment.author).options(contains_eager(Comment.author))
        .where(Comment.post_id == post.id, not_hidden(Comment.author_id, viewer))
        .order_by(Comment.created_at, Comment.id)
        .limit(limit + 1)
    )
    if after:
        stmt = stmt.where(keyset.after((Comment.created_at, Comment.id), keyset.decode(after, (datetime, int))))
    comments = list(db.session.scalars(stmt))
    return _page(comments, limit, lambda comment: keyset.encode(comment.created_at, comment.id))


ROLE_ORDER = case({"owner": 3, "admin": 2, "moderator": 1}, value=Membership.role, else_=0)


def member_page(group: Group, viewer: Any, after: str | None, limit: int) -> Page:
    """Members with their accounts: owners first, then admins, moderators, members by join order."""
    stmt = (
        db.select(Membership).join(Membership.user).options(contains_eager(Membership.user))
        .where(Membership.group_id == group.id, not_hidden(Membership.user_id, viewer))
        .order_by(ROLE_ORDER.desc(), Membership.id)
        .limit(limit + 1)
    )
    if after:
        rank, last_id = keyset.decode(after, (int, int))
        stmt = stmt.where(or_(ROLE_ORDER < rank, and_(ROLE_ORDER == rank, Membership.id > last_id)))
    members = list(db.session.scalars(stmt))
    return _page(members, limit, lambda m: keyset.encode(m.rank, m.id))


def request_page(group: Group, viewer: Any, after: str | None, limit: int) -> Page:
    """Pending join requests, oldest first, with the applicants."""
    stmt = (
        db.select(JoinRequest).join(JoinRequest.user).options(contains_eager(JoinRequest.user))
        .where(JoinRequest.group_id == group.id, JoinRequest.status == "pending",
               not_hidden(JoinRequest.user_id, viewer))
        .order_by(JoinRequest.id)
        .limit(limit + 1)
    )
    if after:
        (last_id,) = keyset.decode(after, (int,))
        stmt = stmt.where(JoinRequest.id > last_id)
    requests = list(db.session.scalars(stmt))
    return _page(requests, limit, lambda r: keyset.encode(r.id))


def directory_page(viewer: Any, query: str, after: str | None, limit: int) -> Page:
    """Every group (private ones too: name and description are public), by name, with the viewer's role."""
    if is_authenticated(viewer):
        stmt = db.select(Group, Membership).outerjoin(
            Membership, and_(Membership.group_id == Group.id, Membership.user_id == viewer.id)
        )
    else:
        stmt = db.select(Group, literal(None))
    if query:
        # autoescape: % and _ in the search are matched literally, not as wildcards.
        stmt = stmt.where(or_(Group.name.icontains(query, autoescape=True),
                              Group.description.icontains(query, autoescape=True)))
    if after:
        stmt = stmt.where(keyset.after((Group.name, Group.id), keyset.decode(after, (str, int))))
    rows = db.session.execute(stmt.order_by(Group.name, Group.id).limit(limit + 1)).all()
    groups = []
    for group, found in rows:
        if is_authenticated(viewer):
            remember_membership(viewer, group, found)
        groups.append(group)
    return _page(groups, limit, lambda group: keyset.encode(group.name, group.id))


def pending_invitations(user: Any) -> list[Invitation]:
    """The person's open invitations with their groups and inviters, newest first."""
    inviter = db.aliased(User)
    stmt = (
        db.select(Invitation).join(Invitation.group).outerjoin(inviter, Invitation.invited_by_id == inviter.id)
        .options(contains_eager(Invitation.group), contains_eager(Invitation.invited_by.of_type(inviter)))
        .where(Invitation.user_id == user.id, Invitation.status == "pending")
        .order_by(Invitation.id.desc())
    )
    return list(db.session.scalars(stmt))


def _page(rows: list, limit: int, cursor_of) -> Page:
    if len(rows) > limit:
        rows = rows[:limit]
        return Page(items=rows, next=cursor_of(rows[-1]))
    return Page(items=rows, next=None)
