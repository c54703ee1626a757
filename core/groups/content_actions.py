"""Writing, editing and deleting posts and comments; shared by the pages and the API.

Markdown is rendered and sanitized here, once, at write time. Counters (``comment_count``)
are updated in the same transaction; ``post_created``/``comment_created`` are raised inside it.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import url_for
from flask_babel import gettext as _

from core.extensions import db
from core.groups.errors import NotAllowed, NotFound
from core.markdown import render_markdown
from core.models import Comment, Group, Post, PostImage
from core.models.base import utcnow
from core.notify import notify
from core.permissions import (
    can_comment,
    can_delete_content,
    can_edit_content,
    can_post,
    can_view_group_content,
    is_active_member_account,
    is_authenticated,
    is_member,
)
from core.plugins import get_plugins
from core.storage import StoredFile, delete_after_commit


def _refuse_writing(actor: Any, group: Group) -> None:
    """Say why someone who can see the group may not write in it; 404 if they cannot see it."""
    if not is_authenticated(actor) or not can_view_group_content(actor, group):
        raise NotFound()
    if not is_member(actor, group):
        raise NotAllowed(_("Join the group to take part in its conversations."))
    if not is_active_member_account(actor):
        raise NotAllowed(_("Your account cannot write right now. Confirm your email address first."))


def create_post(actor: Any, group: Group, body: str, images: Sequence[tuple[StoredFile, str]] = ()) -> Post:
    """Publish a post; ``images`` are files already stored (``core.storage``) with their alt text."""
    if not can_post(actor, group):
        _refuse_writing(actor, group)
    post = Post(group_id=group.id, author_id=actor.id, body_source=body, body_html=render_markdown(body),
                image_count=len(images))
    post.images = [PostImage(position=position, file_key=stored.key, alt_text=alt, width=stored.width,
                             height=stored.height) for position, (stored, alt) in enumerate(images)]
    post.group = group
    post.author = actor
    db.session.add(post)
    db.session.flush()
    get_plugins().call("post_created", post=post)
    db.session.commit()
    return post


def _edit(actor: Any, item: Post | Comment, body: str) -> Post | Comment:
    """Only the author edits; a changed body is re-rendered and shows an "edited" marker."""
    if not can_edit_content(actor, item):
        raise NotFound()
    if body != item.body_source:
        item.body_source = body
        item.body_html = render_markdown(body)
        item.edited_at = utcnow()
    db.session.commit()
    return item


def edit_post(actor: Any, post: Post, body: str) -> Post:
    return _edit(actor, post, body)


def delete_post(actor: Any, post: Post) -> None:
    """The author, or a moderator of the group, deletes the post with its comments."""
    if not can_delete_content(actor, post, post.group):
        raise NotFound()
    remove_post(post)
    db.session.commit()


def remove_post(post: Post) -> None:
    """Delete the post in the current transaction; its images leave storage once that commits."""
    if post.image_count:
        delete_after_commit(db.session.scalars(db.select(PostImage.file_key).where(PostImage.post_id == post.id)))
    db.session.delete(post)


def remove_post_image(image: PostImage) -> None:
    """Delete one image of a post (moderation); its file leaves storage once this commits."""
    delete_after_commit([image.file_key])
    image.post.image_count = Post.image_count - 1
    db.session.delete(image)


def create_comment(actor: Any, post: Post, body: str) -> Comment:
    """Comment on a post; the post's author is notified (``notify`` respects ``can_interact``)."""
    group = post.group
    if not can_comment(actor, post):
        if can_post(actor, group):
            raise NotAllowed(_("You cannot comment on this post."))
        _refuse_writing(actor, group)
    comment = Comment(post_id=post.id, author_id=actor.id, body_source=body, body_html=render_markdown(body))
    comment.author = actor
    db.session.add(comment)
    post.comment_count = Post.comment_count + 1
    db.session.flush()
    get_plugins().call("comment_created", comment=comment)
    url = url_for("groups.post", slug=group.slug, post_id=post.id, _anchor=f"comment-{comment.id}")
    notify(post.author, "post_reply", actor=actor, group=group, url=url,
           data={"post_id": post.id, "comment_id": comment.id, "excerpt": _excerpt(body)})
    db.session.commit()
    return comment


def edit_comment(actor: Any, comment: Comment, body: str) -> Comment:
    return _edit(actor, comment, body)


def delete_comment(actor: Any, comment: Comment) -> None:
    post = comment.post
    if not can_delete_content(actor, comment, post.group):
        raise NotFound()
    db.session.delete(comment)
    post.comment_count = Post.comment_count - 1
    db.session.commit()


def _excerpt(body: str, limit: int = 140) -> str:
    text = " ".join(body.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
