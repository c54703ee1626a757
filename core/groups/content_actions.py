"""Writing, editing and deleting posts and comments; shared by the pages and the API.

Markdown is rendered and sanitized here, once, at write time (``mentions.render_body``, the
same function the composer's preview uses). Counters (``comment_count``) are updated in the
same transaction; ``post_created``/``comment_created`` are raised inside it.

Who is told (each through ``notify_many``, so blocks and email choices apply, in a constant
number of queries): a new post, the group's watchers and the people it mentions; a comment,
the post's author, the author of the comment it replies to and the people it mentions — each
person once, the most specific reason winning, nobody who muted the group.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import url_for
from flask_babel import gettext as _

from core.extensions import db
from core.groups import following, post_images
from core.groups.errors import InvalidInput, NotAllowed, NotFound
from core.groups.mentions import newly_mentioned, render_body
from core.groups.post_images import ImageFile
from core.models import Comment, Group, Post, PostImage, User
from core.models.base import utcnow
from core.notify import notify_many
from core.permissions import (
    can_comment,
    can_delete_content,
    can_edit_content,
    can_pin,
    can_post,
    can_view_group_content,
    is_active_member_account,
    is_authenticated,
    is_member,
)
from core.plugins import get_plugins
from core.storage import delete_after_commit


def _refuse_writing(actor: Any, group: Group) -> None:
    """Say why someone who can see the group may not write in it; 404 if they cannot see it."""
    if not is_authenticated(actor) or not can_view_group_content(actor, group):
        raise NotFound()
    if not is_member(actor, group):
        raise NotAllowed(_("Join the group to take part in its conversations."))
    if not is_active_member_account(actor):
        raise NotAllowed(_("Your account cannot write right now. Confirm your email address first."))


def _tell(group: Group, actor: Any, reasons: list[tuple[str, list[User]]], url: str, data: dict) -> None:
    """Notify each person once, for the first reason that names them, unless they muted the group."""
    told: set[int] = set()
    for kind, people in reasons:
        people = [person for person in following.audible(group, people) if person.id not in told] if people else []
        if people:
            told.update(note.user_id for note in notify_many(people, kind, actor=actor, group=group, url=url,
                                                             data=data))


def check_can_post(actor: Any, group: Group) -> None:
    """Raise the reason ``actor`` may not write in ``group`` (the composer's preview asks too)."""
    if not can_post(actor, group):
        _refuse_writing(actor, group)


def create_post(actor: Any, group: Group, body: str, images: Sequence[tuple[ImageFile, str]] = ()) -> Post:
    """Publish a post; ``images`` are files already stored (``core.storage``) with their alt text, in order.

    More than ``POST_IMAGES_MAX`` images are refused (``InvalidInput`` at ``images``).
    """
    check_can_post(actor, group)
    rows = post_images.new_post_images([post_images.NewImage(*image) for image in images])
    rendered = render_body(actor, group, body)
    post = Post(group_id=group.id, author_id=actor.id, body_source=body, body_html=rendered.html,
                image_count=len(rows))
    post.images = rows
    post.group = group
    post.author = actor
    db.session.add(post)
    db.session.flush()
    get_plugins().call("post_created", post=post)
    url = url_for("groups.post", slug=group.slug, post_id=post.id)
    data = {"post_id": post.id, "excerpt": _excerpt(body)}
    _tell(group, actor, [("mention", rendered.mentioned), ("new_post", following.watchers(group))], url, data)
    db.session.commit()
    return post


def _edit(actor: Any, item: Post | Comment, body: str, group: Group, url: str, data: dict,
          images: post_images.ImageChanges | None = None) -> Post | Comment:
    """Only the author edits; a changed body (or changed images) is re-rendered and shows an "edited" marker.

    People mentioned for the first time by the edit are told; earlier ones are not told again.
    """
    if not can_edit_content(actor, item):
        raise NotFound()
    if images is not None and post_images.change_images(item, images):
        item.edited_at = utcnow()
    if body != item.body_source:
        rendered = render_body(actor, group, body)
        fresh = newly_mentioned(item.body_html, rendered.mentioned)
        item.body_source = body
        item.body_html = rendered.html
        item.edited_at = utcnow()
        _tell(group, actor, [("mention", fresh)], url, {**data, "excerpt": _excerpt(body)})
    db.session.commit()
    return item


def edit_post(actor: Any, post: Post, body: str, images: post_images.ImageChanges | None = None) -> Post:
    """Edit a post's text and, with ``images``, change its images (alt texts, removals, additions)."""
    group = post.group
    return _edit(actor, post, body, group, url_for("groups.post", slug=group.slug, post_id=post.id),
                 {"post_id": post.id}, images)


def set_pinned(actor: Any, post: Post, pinned: bool) -> Post:
    """Group admins pin a post to the top of the feed (or unpin it); pinning twice changes nothing."""
    if not can_pin(actor, post.group):
        raise NotFound()
    if pinned and post.pinned_at is None:
        post.pinned_at = utcnow()
    elif not pinned:
        post.pinned_at = None
    db.session.commit()
    return post


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


def reply_target(actor: Any, post: Post, parent_id: int | None) -> Comment | None:
    """The top comment a reply attaches to (a reply to a reply joins its thread).

    A comment that was deleted, belongs to another post or is hidden from the actor is refused
    with a message at the ``parent_id`` field, so the text typed is kept.
    """
    if parent_id is None:
        return None
    from core.groups.queries import load_comment

    found = load_comment(None, parent_id, actor)
    if found is None or found[1].post_id != post.id:
        raise InvalidInput(_("The comment you are replying to was deleted. Your text is kept: publish it as a "
                             "comment on the post instead."), field="parent_id")
    parent = found[1]
    if parent.parent_id is not None:
        parent = db.session.get(Comment, parent.parent_id) or parent
    return parent


def create_comment(actor: Any, post: Post, body: str, parent_id: int | None = None) -> Comment:
    """Comment on a post, or reply to a comment on it; see the module docstring for who is told."""
    group = post.group
    if not can_comment(actor, post):
        if can_post(actor, group):
            raise NotAllowed(_("You cannot comment on this post."))
        _refuse_writing(actor, group)
    parent = reply_target(actor, post, parent_id)
    replied_to = db.session.get(Comment, parent_id) if parent_id is not None else None
    rendered = render_body(actor, group, body)
    comment = Comment(post_id=post.id, author_id=actor.id, body_source=body, body_html=rendered.html,
                      parent_id=parent.id if parent is not None else None)
    comment.author = actor
    db.session.add(comment)
    post.comment_count = Post.comment_count + 1
    db.session.flush()
    get_plugins().call("comment_created", comment=comment)
    url = url_for("groups.post", slug=group.slug, post_id=post.id, _anchor=f"comment-{comment.id}")
    data = {"post_id": post.id, "comment_id": comment.id, "excerpt": _excerpt(body)}
    _tell(group, actor, [("mention", rendered.mentioned),
                         ("comment_reply", [replied_to.author] if replied_to is not None else []),
                         ("post_reply", [post.author])], url, data)
    db.session.commit()
    return comment


def edit_comment(actor: Any, comment: Comment, body: str) -> Comment:
    post = comment.post
    group = post.group
    url = url_for("groups.post", slug=group.slug, post_id=post.id, _anchor=f"comment-{comment.id}")
    return _edit(actor, comment, body, group, url, {"post_id": post.id, "comment_id": comment.id})


def delete_comment(actor: Any, comment: Comment) -> None:
    """Delete a comment; its replies stay, as comments of their own (the database does the same)."""
    post = comment.post
    if not can_delete_content(actor, comment, post.group):
        raise NotFound()
    db.session.execute(db.update(Comment).where(Comment.parent_id == comment.id).values(parent_id=None)
                       .execution_options(synchronize_session=False))
    db.session.delete(comment)
    post.comment_count = Post.comment_count - 1
    db.session.commit()


def _excerpt(body: str, limit: int = 140) -> str:
    text = " ".join(body.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
