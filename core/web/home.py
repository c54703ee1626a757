"""The home page: a member's groups with what is new, a feed across them, what waits for them.

Query budget (tests/core/test_home.py), whatever the amount of data: the member's groups
(with unread counts, their own pending requests and the requests waiting in groups they
moderate) are one query, the feed page with authors, groups and memberships another, open
invitations a third. Visitors get one query: the public groups.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from markupsafe import Markup
from sqlalchemy import and_, exists, func, or_, select, true
from sqlalchemy.orm import contains_eager

from core.extensions import db
from core.groups import cards, keyset
from core.groups.placeholders import load_placeholders
from core.groups.queries import Page, _page
from core.groups.reads import UNREAD_CAP, unread_count_column
from core.models import Comment, Group, JoinRequest, Membership, Post
from core.permissions import STAFF_ROLES, remember_membership
from core.visibility import hidden_count, not_hidden

GROUPS_SHOWN = 50
PUBLIC_GROUPS_SHOWN = 12


@dataclass
class HomeGroup:
    """One of the member's groups (or a group they asked to join) as the home page lists it."""

    group: Group
    membership: Membership | None
    unread: int
    waiting_requests: int  # join requests waiting for the member's decision (staff only)

    @property
    def unread_label(self) -> str:
        return f"{UNREAD_CAP}+" if self.unread > UNREAD_CAP else str(self.unread)


def my_groups(viewer: Any) -> tuple[list[HomeGroup], list[Group]]:
    """The member's groups (unread counts, waiting requests) and the groups they asked to join.

    One query: groups where the viewer has a membership or a pending join request.
    """
    mine = and_(Membership.group_id == Group.id, Membership.user_id == viewer.id)
    asked = exists().where(JoinRequest.group_id == Group.id, JoinRequest.user_id == viewer.id,
                           JoinRequest.status == "pending")
    waiting = (
        select(func.count(JoinRequest.id))
        .where(JoinRequest.group_id == Group.id, JoinRequest.status == "pending",
               not_hidden(JoinRequest.user_id, viewer, Group.id))
        .correlate(Group).scalar_subquery()
    )
    stmt = (
        select(Group, Membership, unread_count_column(viewer),
               func.coalesce(Membership.role.in_(STAFF_ROLES), False), waiting)
        .outerjoin(Membership, mine)
        .where(or_(Membership.id.is_not(None), asked))
        .order_by(Group.name, Group.id)
        .limit(GROUPS_SHOWN)
    )
    groups, requested = [], []
    for group, membership, unread, staff, waiting_count in db.session.execute(stmt):
        if membership is None:
            requested.append(group)
            continue
        remember_membership(viewer, group, membership)
        groups.append(HomeGroup(group, membership, unread or 0,
                                (waiting_count or 0) if staff and not viewer.is_suspended else 0))
    return groups, requested


def feed_page(viewer: Any, before: str | None, limit: int) -> Page:
    """Newest posts across the member's groups, as each group's feed shows them to the member.

    Authors hidden from the viewer are left out except in groups the viewer moderates (like a
    group's own feed); comment counts leave out hidden commenters; private groups are only
    ever the member's own.
    """
    counted = db.aliased(Comment, name="home_counted_comment")
    hidden_comments = hidden_count(counted.id, counted.post_id == Post.id, person=counted.author_id,
                                   viewer=viewer)
    stmt = (
        select(Post, Membership, hidden_comments)
        .join(Post.author).join(Post.group)
        .join(Membership, and_(Membership.group_id == Post.group_id, Membership.user_id == viewer.id))
        .options(contains_eager(Post.author), contains_eager(Post.group))
        .where(not_hidden(Post.author_id, viewer, Post.group_id))
        .order_by(Post.created_at.desc(), Post.id.desc())
        .limit(limit + 1)
    )
    cursor = keyset.decode(before, (datetime, int)) if before else None
    if cursor is not None:
        stmt = stmt.where(keyset.after((Post.created_at, Post.id), cursor, descending=True))
    if db.session.get_bind().dialect.name == "postgresql":
        stmt = stmt.where(Post.id.in_(_newest_per_group(viewer, cursor, limit + 1)))
    posts = []
    for post, membership, hidden in db.session.execute(stmt):
        remember_membership(viewer, post.group, membership)
        staff = membership.role in STAFF_ROLES and not viewer.is_suspended
        post.hidden_comment_count = 0 if staff else (hidden or 0)
        post.home_membership = membership
        posts.append(post)
    return _page(posts, limit, lambda post: keyset.encode(post.created_at, post.id))


def _newest_per_group(viewer: Any, cursor: tuple | None, count: int) -> Any:
    """PostgreSQL: the ids of each of the member's groups' ``count`` newest visible posts (LATERAL).

    The overall newest ``count`` are among them, so the outer query reads at most groups × count
    rows, each group's from ``ix_posts_group_feed`` — not every post of every group, which is what
    sorting the joined rows costs in a group with a million posts. SQLite has no LATERAL; the
    embedded default serves small sites, where the plain join is fast.
    """
    newest = db.aliased(Post, name="group_newest")
    mine = db.aliased(Membership, name="home_membership")
    per_group = (
        select(newest.id)
        .where(newest.group_id == mine.group_id, not_hidden(newest.author_id, viewer, newest.group_id))
        .order_by(newest.created_at.desc(), newest.id.desc())
        .limit(count)
    )
    if cursor is not None:
        per_group = per_group.where(keyset.after((newest.created_at, newest.id), cursor, descending=True))
    lateral = per_group.lateral("group_newest_ids")
    return (select(lateral.c.id).select_from(mine).join(lateral, true())
            .where(mine.user_id == viewer.id))


@dataclass
class FeedEntry:
    post: Post
    card: Markup
    is_new: bool


def feed_entries(viewer: Any, page: Page) -> list[FeedEntry]:
    """Each post rendered by core's post card, flagged when it is new to the member.

    Placeholders (e.g. hidden by a moderator) are asked once for the whole page, across groups.
    """
    placeholders = load_placeholders(viewer, "post", [post.id for post in page.items])
    entries = []
    for post in page.items:
        (card,) = cards.post_cards([post], post.group, placeholders)
        mark = post.home_membership.read_mark
        entries.append(FeedEntry(post, card, post.created_at > mark and post.author_id != viewer.id))
    return entries


def public_groups() -> list[Group]:
    """What a visitor may look into: public groups, the most members first."""
    stmt = (select(Group).where(Group.visibility == "public")
            .order_by(Group.member_count.desc(), Group.id).limit(PUBLIC_GROUPS_SHOWN))
    return list(db.session.scalars(stmt))

