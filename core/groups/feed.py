"""Pages: a group's page with its feed, and a post's page with its comments.

Query budget (see tests/core/test_query_counts.py): the group with the viewer's membership
is one query, the posts with their authors another; nothing is loaded lazily by templates.
"""
from __future__ import annotations

from flask import current_app, render_template, request
from flask_login import current_user

from core.groups import bp, cards, queries, reads
from core.groups.loading import group_or_404, group_tabs, page_or_400, post_or_404
from core.groups.placeholders import load_placeholders
from core.groups.queries import GroupContext
from core.models import Post
from core.permissions import can_view_group_content

COMMENTS_PER_PAGE = 50


def render_feed_page(context: GroupContext, values: dict | None = None, errors: dict | None = None,
                     status: int = 200):
    """The group page; also re-rendered with the composer's errors and text when a post is refused."""
    group = context.group
    page = None
    post_cards: list = []
    new_ids: frozenset[int] = frozenset()
    before = request.args.get("before") or None
    if can_view_group_content(current_user, group):
        page = page_or_400(queries.feed_page, group, current_user, before, current_app.config["PAGE_SIZE"])
        placeholders = load_placeholders(current_user, "post", [post.id for post in page.items], group)
        post_cards = cards.post_cards(page.items, group, placeholders, hidden_authors=page.hidden_authors)
        new_ids = reads.new_post_ids(page.items, context.membership, current_user)
    return render_template("groups/group.html", context=context, group=group, tabs=group_tabs(context), page=page,
                           post_cards=post_cards, new_ids=new_ids, before=before, values=values or {},
                           errors=errors or {}), status


def render_post_page(context: GroupContext, post: Post, values: dict | None = None, errors: dict | None = None,
                     status: int = 200):
    """The post with its comments, oldest first; re-rendered with the comment form's errors."""
    after = request.args.get("after") or None
    comments = page_or_400(queries.comment_page, post, current_user, after, COMMENTS_PER_PAGE)
    post_placeholders = load_placeholders(current_user, "post", [post.id], context.group)
    comment_placeholders = load_placeholders(current_user, "comment", [c.id for c in comments.items],
                                             context.group)
    (post_card,) = cards.post_cards([post], context.group, post_placeholders, in_feed=False,
                                    hidden_authors=context.hidden_authors)
    comment_cards = cards.comment_cards(comments.items, post, context.group, comment_placeholders,
                                        hidden_authors=comments.hidden_authors)
    return render_template("groups/post.html", context=context, group=context.group, tabs=group_tabs(context),
                           post=post, comments=comments, after=after, post_card=post_card,
                           comment_cards=comment_cards, values=values or {}, errors=errors or {}), status


@bp.get("/<slug>")
def group(slug: str):
    return render_feed_page(group_or_404(slug))


@bp.get("/<slug>/p/<int:post_id>")
def post(slug: str, post_id: int):
    context, found = post_or_404(slug, post_id)
    return render_post_page(context, found)
