"""What a profile shows to one viewer: who may see the details, groups in common, recent posts.

Each member chooses who sees their bio, groups and posts (``User.profile_visibility``):
``everyone``; ``members`` – people who share a group with them; ``nobody``. Like Discourse's
"hide my public profile", anyone else gets a reduced view — the name and username only — not
a 404: the name is already shown beside their posts and in member lists, so a 404 would hide
nothing, and it would read as "this account does not exist". The member themselves and site
admins always see everything. A block (``hidden_user_ids``) still answers 404, as before.

Queries (tests/core/test_profile_privacy.py), constant in data size: the person's groups the
viewer may know of, each flagged when the viewer is in it too (which also decides
``members``), and one page of recent posts in groups the viewer may read.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup
from sqlalchemy import and_, literal, or_, select
from sqlalchemy.orm import contains_eager

from core.extensions import db
from core.groups import cards
from core.groups.placeholders import load_placeholders
from core.models import Group, Membership, Post, User
from core.permissions import is_authenticated, is_site_admin, remember_membership
from core.visibility import not_hidden

VISIBILITY_CHOICES = ("everyone", "members", "nobody")
GROUPS_SHOWN = 100
POSTS_SHOWN = 10


@dataclass
class ProfileView:
    """The profile as one viewer sees it; ``restricted`` means the reduced view."""

    user: User
    restricted: bool
    groups: list[Group] = field(default_factory=list)
    common: list[Group] = field(default_factory=list)
    posts: list[tuple[Post, Markup]] = field(default_factory=list)


def _is_self(viewer: Any, user: User) -> bool:
    return is_authenticated(viewer) and viewer.id == user.id


def visible_groups(viewer: Any, user: User) -> list[tuple[Group, Membership | None]]:
    """Their groups the viewer may know of (public ones, and private ones the viewer is in),
    each with the viewer's own membership there (None when the viewer is not in it). One query."""
    theirs = db.aliased(Membership, name="their_membership")
    if is_authenticated(viewer):
        stmt = select(Group, Membership).outerjoin(
            Membership, and_(Membership.group_id == Group.id, Membership.user_id == viewer.id))
    else:
        stmt = select(Group, literal(None))
    stmt = (stmt.join(theirs, and_(theirs.group_id == Group.id, theirs.user_id == user.id))
            .order_by(Group.name, Group.id).limit(GROUPS_SHOWN))
    if not (_is_self(viewer, user) or is_site_admin(viewer)):
        shown = Group.visibility == "public"
        if is_authenticated(viewer):
            shown = or_(shown, Membership.id.is_not(None))
        stmt = stmt.where(shown)
    return [(group, mine) for group, mine in db.session.execute(stmt)]


def allowed(viewer: Any, user: User, in_common: bool) -> bool:
    """Whether ``viewer`` sees ``user``'s details, given whether they share a group."""
    if _is_self(viewer, user) or is_site_admin(viewer):
        return True
    if user.profile_visibility == "everyone":
        return True
    if user.profile_visibility == "members":
        return is_authenticated(viewer) and in_common
    return False


def recent_posts(viewer: Any, user: User) -> list[Post]:
    """Their newest posts in groups the viewer may read: public groups and the viewer's own.

    The viewer's membership in each post's group comes along, so the cards' permission checks
    (may delete: the group's moderators) cost no query.
    """
    authenticated = is_authenticated(viewer)
    mine = (Membership if authenticated else literal(None))
    stmt = (select(Post, mine).join(Post.group).join(Post.author)
            .options(contains_eager(Post.group), contains_eager(Post.author))
            .where(Post.author_id == user.id)
            .order_by(Post.created_at.desc(), Post.id.desc()).limit(POSTS_SHOWN))
    if authenticated:
        stmt = stmt.outerjoin(Membership, and_(Membership.group_id == Post.group_id, Membership.user_id == viewer.id))
    if not (_is_self(viewer, user) or is_site_admin(viewer)):
        readable = Group.visibility == "public"
        if authenticated:
            readable = or_(readable, Membership.id.is_not(None))
        stmt = stmt.where(readable, not_hidden(Post.author_id, viewer, Post.group_id))
    posts = []
    for post, membership in db.session.execute(stmt):
        if authenticated:
            remember_membership(viewer, post.group, membership)
        posts.append(post)
    return posts


def profile_view(viewer: Any, user: User, with_posts: bool = True) -> ProfileView:
    """Everything the profile page (or the API, ``with_posts=False``) shows to ``viewer``."""
    rows = visible_groups(viewer, user)
    common = [group for group, mine in rows if mine is not None and not _is_self(viewer, user)]
    if not allowed(viewer, user, bool(common)):
        return ProfileView(user=user, restricted=True)
    for group, mine in rows:
        if is_authenticated(viewer):
            remember_membership(viewer, group, mine)
    view = ProfileView(user=user, restricted=False, groups=[group for group, _mine in rows], common=common)
    if with_posts:
        posts = recent_posts(viewer, user)
        placeholders = load_placeholders(viewer, "post", [post.id for post in posts])
        view.posts = [(post, cards.post_cards([post], post.group, placeholders, in_feed=False)[0])
                      for post in posts]
    return view
