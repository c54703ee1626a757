""""New since your last visit": read marks, moved by an explicit POST, never by a page view.

Why a POST and not a buffer: a GET never writes, and a buffer (Redis, a cache) would need a
shared store the embedded default does not have, plus a flush job whose lag shows as unread
counts that do not go down. Like Discourse's read "timings", the group page instead posts the
newest post it showed once it was seen: ``static/read-mark.js`` sends it by itself
(``navigator.sendBeacon``, only when the page showed something new), and without JavaScript
the "Mark as read" button does the same. The mark only moves forward, to the time of a post
in that group (never a time the browser made up), so a write happens once per visit that
showed new posts — the number of writes follows new content, not page views.

Unread counts (``unread_count_column``) are counted in SQL beside each group, hidden authors
and the member's own posts left out, up to ``UNREAD_CAP`` + 1.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from core.extensions import db
from core.groups import bp
from core.groups.loading import group_or_404
from core.models import Group, GroupRead, Membership, Post
from core.models.base import utcnow
from core.visibility import not_hidden

UNREAD_CAP = 99


def new_post_ids(posts: list[Post], membership: Membership | None, viewer: Any) -> frozenset[int]:
    """The posts on a page that are new to a member: after their read mark, and not their own."""
    if membership is None:
        return frozenset()
    mark = membership.read_mark
    return frozenset(post.id for post in posts if post.created_at > mark and post.author_id != viewer.id)


def unread_count_column(viewer: Any, membership: Any = Membership) -> Any:
    """A correlated count of posts new to ``viewer`` in the row's group (``membership`` joined to it).

    Walks ``ix_posts_group_feed`` from the read mark onwards, so its cost follows what is
    unread (at most ``UNREAD_CAP`` + 1 rows), not the group's size.
    """
    mark = func.coalesce(membership.read_until, membership.created_at)
    # Counting stops after UNREAD_CAP + 1 ("99+"): a group far behind costs no more than that, and
    # the LIMIT leads PostgreSQL to walk the index instead of scanning the table.
    new = (
        select(Post.id)
        .where(Post.group_id == membership.group_id, Post.created_at > mark, Post.author_id != viewer.id,
               not_hidden(Post.author_id, viewer, Post.group_id))
        .order_by(Post.created_at).limit(UNREAD_CAP + 1)  # in index order: no plan reads past the cap
        .correlate(membership).subquery("unread_posts")
    )
    return select(func.count()).select_from(new).correlate(membership).scalar_subquery()


def mark_read(user: Any, group: Group, until: datetime) -> bool:
    """Move the member's mark in ``group`` forward to ``until``; False when it was already there."""
    row = db.session.get(GroupRead, (user.id, group.id))
    if row is None:
        db.session.add(GroupRead(user_id=user.id, group_id=group.id, read_until=until))
        return True
    if row.read_until >= until:
        return False
    row.read_until = until
    return True


def read_up_to(group: Group, post_id: Any = None) -> datetime | None:
    """Where "read up to post ``post_id``" puts the mark: that post's time (None if it is not a
    post of ``group``), or now when no post is named. Never later than now."""
    if post_id is None or post_id == "":
        return utcnow()
    if isinstance(post_id, str):
        if not post_id.isdigit():
            return None
        post_id = int(post_id)
    created = db.session.scalar(select(Post.created_at).where(Post.id == post_id, Post.group_id == group.id))
    return None if created is None else min(created, utcnow())


@bp.post("/<slug>/read")
@login_required
def mark_group_read(slug: str):
    """Form ``upto``: the newest post the page showed. The beacon gets 204, the button a redirect."""
    context = group_or_404(slug)
    if context.membership is None:
        abort(404)
    until = read_up_to(context.group, request.form.get("upto"))
    if until is None:
        abort(404)
    if mark_read(current_user, context.group, until):
        db.session.commit()
    if request.form.get("beacon"):
        return "", 204
    flash(_("Everything in %(group)s is marked as read.", group=context.group.name), "success")
    return redirect(url_for("groups.group", slug=slug))
