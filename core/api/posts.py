"""API: posts in groups and their comments.

Bodies are Markdown; ``body_html`` is sanitized HTML rendered once at write time. Where a
plugin replaces an item for you (e.g. hidden by moderation), ``hidden`` is true,
``body_html`` is the placeholder and ``body_source`` is null.
"""
from __future__ import annotations

from flask import url_for
from flask_login import current_user
from flask_smorest import Blueprint

from core.api.access import OPTIONAL_AUTH, not_found, require_user
from core.api.groups import content_or_404, group_or_404, paged
from core.groups import content_actions, queries
from core.groups.limits import comment_limit, post_limit
from core.groups.placeholders import load_placeholders
from core.models import Comment, Post
from core.schemas.posts import (
    CommentArgsSchema,
    CommentInputSchema,
    CommentPageSchema,
    CommentSchema,
    FeedArgsSchema,
    PostInputSchema,
    PostPageSchema,
    PostSchema,
)

blp = Blueprint("api_posts", __name__, url_prefix="/api/v1", description="Posts and comments")


def post_or_404(post_id: int) -> Post:
    found = queries.load_post(None, post_id, current_user)
    if found is None:
        not_found()
    return found[1]


def comment_or_404(comment_id: int) -> Comment:
    found = queries.load_comment(None, comment_id, current_user)
    if found is None:
        not_found()
    return found[1]


@blp.route("/groups/<slug>/posts", methods=["GET"])
@blp.arguments(FeedArgsSchema, location="query")
@blp.response(200, PostPageSchema)
@blp.doc(security=OPTIONAL_AUTH)
def list_posts(args: dict, slug: str):
    """A group's feed, newest first; pass ``next`` as ``before`` for older posts."""
    context = content_or_404(slug)
    page = paged(queries.feed_page, "before", context.group, current_user, args["before"], args["limit"])
    load_placeholders(current_user, "post", [post.id for post in page.items], context.group)
    queries.attach_images(page.items)
    return page


@blp.route("/groups/<slug>/posts", methods=["POST"])
@post_limit
@blp.arguments(PostInputSchema)
@blp.response(201, PostSchema)
@blp.alt_response(401, response="UNAUTHORIZED")
def create_post(data: dict, slug: str):
    """Publish a post in a group you are a member of."""
    user = require_user()
    context = group_or_404(slug)
    post = content_actions.create_post(user, context.group, data["body"])
    return post, 201, {"Location": url_for("api_posts.get_post", post_id=post.id)}


@blp.route("/posts/<int:post_id>", methods=["GET"])
@blp.response(200, PostSchema)
@blp.doc(security=OPTIONAL_AUTH)
def get_post(post_id: int):
    post = post_or_404(post_id)
    load_placeholders(current_user, "post", [post.id], post.group)
    return post


@blp.route("/posts/<int:post_id>", methods=["PATCH"])
@blp.arguments(PostInputSchema)
@blp.response(200, PostSchema)
@blp.alt_response(401, response="UNAUTHORIZED")
def update_post(data: dict, post_id: int):
    """Edit your own post; ``edited_at`` is set."""
    user = require_user()
    post = post_or_404(post_id)
    return content_actions.edit_post(user, post, data["body"])


@blp.route("/posts/<int:post_id>", methods=["DELETE"])
@blp.response(204)
@blp.alt_response(401, response="UNAUTHORIZED")
def delete_post(post_id: int):
    """Delete your own post, or any post in a group you moderate; its comments go with it."""
    user = require_user()
    post = post_or_404(post_id)
    content_actions.delete_post(user, post)
    return None


@blp.route("/posts/<int:post_id>/comments", methods=["GET"])
@blp.arguments(CommentArgsSchema, location="query")
@blp.response(200, CommentPageSchema)
@blp.doc(security=OPTIONAL_AUTH)
def list_comments(args: dict, post_id: int):
    """A post's comments, oldest first; pass ``next`` as ``after`` for more."""
    post = post_or_404(post_id)
    page = paged(queries.comment_page, "after", post, current_user, args["after"], args["limit"])
    load_placeholders(current_user, "comment", [comment.id for comment in page.items], post.group)
    return page


@blp.route("/posts/<int:post_id>/comments", methods=["POST"])
@comment_limit
@blp.arguments(CommentInputSchema)
@blp.response(201, CommentSchema)
@blp.alt_response(401, response="UNAUTHORIZED")
def create_comment(data: dict, post_id: int):
    """Comment on a post in a group you are a member of, or reply to a comment (``parent_id``).

    The post's author, the author of the comment replied to and the members mentioned are
    notified. A reply to a comment that was deleted is refused (422 naming ``parent_id``).
    """
    user = require_user()
    post = post_or_404(post_id)
    return content_actions.create_comment(user, post, data["body"], data.get("parent_id")), 201


@blp.route("/comments/<int:comment_id>", methods=["PATCH"])
@blp.arguments(CommentInputSchema)
@blp.response(200, CommentSchema)
@blp.alt_response(401, response="UNAUTHORIZED")
def update_comment(data: dict, comment_id: int):
    """Edit your own comment; ``edited_at`` is set."""
    user = require_user()
    comment = comment_or_404(comment_id)
    return content_actions.edit_comment(user, comment, data["body"])


@blp.route("/comments/<int:comment_id>", methods=["DELETE"])
@blp.response(204)
@blp.alt_response(401, response="UNAUTHORIZED")
def delete_comment(comment_id: int):
    """Delete your own comment, or any comment in a group you moderate."""
    user = require_user()
    comment = comment_or_404(comment_id)
    content_actions.delete_comment(user, comment)
    return None
