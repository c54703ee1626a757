"""Pages: a group's page with its feed, and a post's page with its comments.

Query budget (see tests/core/test_query_counts.py): the group with the viewer's membership
is one query, the posts with their authors another; nothing is loaded lazily by templates.
"""
from __future__ import annotations

from flask import current_app, render_template, request
from markupsafe import Markup

from core import page_cache
from core.groups import bp, cards, queries, reads
from core.groups.loading import group_or_404, group_tabs, page_or_400, post_or_404
from core.groups.placeholders import load_placeholders
from core.groups.queries import GroupContext
from core.models import Comment, Post
from core.permissions import can_comment, can_view_group_content
from core.schemas.posts import COMMENT_MAX, POST_MAX
from core.ui import viewer

COMMENTS_PER_PAGE = 50


def render_feed_page(context: GroupContext, values: dict | None = None, errors: dict | None = None,
                     status: int = 200, preview: Markup | None = None):
    """The group page; re-rendered with the composer's text and its errors, or its preview.

    The first page starts with the group's pinned posts (one more query, on that page only, and
    only when the group has any).
    """
    group = context.group
    page_cache.note_group(group)
    page = None
    post_cards: list = []
    new_ids: frozenset[int] = frozenset()
    card_ids: list[int] = []
    before = request.args.get("before") or None
    me = viewer()
    if can_view_group_content(me, group):
        page = page_or_400(queries.feed_page, group, me, before, current_app.config["PAGE_SIZE"])
        pinned = queries.pinned_posts(group, me) if before is None and context.has_pinned \
            else queries.Page([], None)
        posts = pinned.items + page.items
        placeholders = load_placeholders(me, "post", [post.id for post in posts], group)
        post_cards = cards.post_cards(posts, group, placeholders,
                                      hidden_authors=page.hidden_authors | pinned.hidden_authors)
        new_ids = reads.new_post_ids(posts, context.membership, me)
        card_ids = [post.id for post in posts]
    return render_template("groups/group.html", context=context, group=group, tabs=group_tabs(context), page=page,
                           post_cards=post_cards, card_ids=card_ids, new_ids=new_ids, before=before,
                           values=values or {}, errors=errors or {}, preview=preview, max_length=POST_MAX), status


def quoted(item: Post | Comment) -> str:
    """``item`` as a Markdown blockquote with attribution, for the composer (quoting)."""
    lines = (item.body_source or "").strip().splitlines() or [""]
    quote = "\n".join(f"> {line}".rstrip() for line in lines)
    return f"@{item.author.username}:\n{quote}\n\n"


def _composer_start(context: GroupContext, post: Post, may_comment: bool) -> tuple[dict, Comment | None]:
    """What the comment form starts with when "Reply" or "Quote" was chosen (``?reply_to=``, ``?quote=``).

    A reply to a comment that is gone, or hidden from the viewer, starts a plain comment.
    """
    values: dict = {}
    replying_to = None
    if not may_comment:
        return values, None
    reply_to = request.args.get("reply_to", type=int)
    if reply_to:
        found = queries.load_comment(context.group.slug, reply_to, viewer())
        if found is not None and found[1].post_id == post.id:
            replying_to = found[1]
            values["parent_id"] = str(replying_to.id)
    quote = request.args.get("quote")
    if quote == "post":
        values["body"] = quoted(post)
    elif quote == "comment" and replying_to is not None:
        values["body"] = quoted(replying_to)
    return values, replying_to


def render_post_page(context: GroupContext, post: Post, values: dict | None = None, errors: dict | None = None,
                     status: int = 200, preview: Markup | None = None):
    """The post with its comments, thread by thread; re-rendered with the comment form's errors or preview."""
    page_cache.note_group(context.group)
    # asked once for the form, the replies and the page (each asks the plugins' can_interact)
    me = viewer()
    may_comment = can_comment(me, post)
    replying_to = None
    if values is None and request.method == "GET":
        values, replying_to = _composer_start(context, post, may_comment)
    elif values and values.get("parent_id"):
        found = queries.load_comment(context.group.slug, int(values["parent_id"]), me) \
            if str(values["parent_id"]).isdigit() else None
        replying_to = found[1] if found is not None else None
    after = request.args.get("after") or None
    comments = page_or_400(queries.comment_page, post, me, after, COMMENTS_PER_PAGE)
    post_placeholders = load_placeholders(me, "post", [post.id], context.group)
    comment_placeholders = load_placeholders(me, "comment", [c.id for c in comments.items],
                                             context.group)
    (post_card,) = cards.post_cards([post], context.group, post_placeholders, in_feed=False,
                                    hidden_authors=context.hidden_authors)
    comment_cards = cards.comment_cards(comments.items, post, context.group, comment_placeholders, may_comment,
                                        hidden_authors=comments.hidden_authors)
    return render_template("groups/post.html", context=context, group=context.group, tabs=group_tabs(context),
                           post=post, comments=comments, after=after, post_card=post_card,
                           comment_cards=comment_cards, may_comment=may_comment, values=values or {},
                           errors=errors or {}, preview=preview, replying_to=replying_to,
                           max_length=COMMENT_MAX), status


@bp.get("/<slug>")
def group(slug: str):
    return page_cache.group_page(slug, lambda: render_feed_page(group_or_404(slug)))


@bp.get("/<slug>/p/<int:post_id>")
def post(slug: str, post_id: int):
    return page_cache.group_page(slug, lambda: render_post_page(*post_or_404(slug, post_id)))
