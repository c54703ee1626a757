"""Core's search sources: posts, comments, groups and people (``search_sources`` in ``core.default_hooks``)."""
from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import joinedload

from core.identity_memo import IdentityMemo
from core.models import Comment, Group, Post, User
from core.search.sources import SearchDocument, SearchHit, SearchSource
from core.visibility import hidden_rows


def plain_text(html: str) -> str:
    """Rendered (sanitized) HTML as the words a reader sees."""
    return Markup(html or "").striptags()


def _post_document(post: Post) -> SearchDocument:
    return SearchDocument(object_id=post.id, body=plain_text(post.body_html), group_id=post.group_id,
                    author_id=post.author_id, created_at=post.created_at)


def _comment_document(comment: Comment) -> SearchDocument:
    return SearchDocument(object_id=comment.id, body=plain_text(comment.body_html), group_id=comment.post.group_id,
                    author_id=comment.author_id, parent_id=comment.post_id, created_at=comment.created_at)


def _comment_visible(viewer: Any, entries: Any) -> ColumnElement:
    """Like the post page: a comment under a post by someone hidden from the viewer is not found.

    Written as ``parent_id NOT IN`` the posts hidden from the viewer (by someone hidden, outside
    the groups they moderate): the database lists those once per search rather than looking up
    each comment's post. The same clause for the same block filter and viewer, so search can
    reuse its statement (``core.search.query._reused``)."""
    hidden_posts = hidden_rows(Post.author_id, viewer, within=Post.group_id)
    if hidden_posts is None:
        return true()
    return _COMMENT_CLAUSES.get((hidden_posts, entries), (), lambda: entries.parent_id.not_in(
        select(Post.id).where(hidden_posts).scalar_subquery()))


_COMMENT_CLAUSES: IdentityMemo[ColumnElement] = IdentityMemo(4096)


def _group_document(group: Group) -> SearchDocument:
    return SearchDocument(object_id=group.id, title=group.name, body=group.description or "", group_id=group.id,
                    created_at=group.created_at)


def _profile_document(user: User) -> SearchDocument:
    return SearchDocument(object_id=user.id, title=f"{user.display_name} (@{user.username})", body=user.bio or "",
                    author_id=user.id, created_at=user.created_at)


def _everyone(viewer: Any, entries: Any) -> ColumnElement:
    return true()


def _comment_url(hit: SearchHit) -> str:
    return url_for("groups.post", slug=hit.group_slug, post_id=hit.parent_id, _anchor=f"comment-{hit.object_id}")


def core_sources() -> list[SearchSource]:
    return [
        SearchSource(
            name="post", label=_l("Posts"), item_label=_l("Post"), model=Post, document=_post_document,
            visible=_everyone, watch=("body_html",),
            url=lambda hit: url_for("groups.post", slug=hit.group_slug, post_id=hit.object_id),
        ),
        SearchSource(
            name="comment", label=_l("Comments"), item_label=_l("Comment"), model=Comment,
            document=_comment_document, visible=_comment_visible, url=_comment_url, watch=("body_html",),
            parent="post", rows=lambda: select(Comment).options(joinedload(Comment.post)),
        ),
        SearchSource(
            name="group", label=_l("Groups"), item_label=_l("Group"), model=Group, document=_group_document,
            visible=_everyone, watch=("name", "description"), group_content=False,
            url=lambda hit: url_for("groups.group", slug=hit.group_slug),
        ),
        SearchSource(
            name="profile", label=_l("People"), item_label=_l("Person"), model=User, document=_profile_document,
            visible=_everyone, watch=("display_name", "username", "bio"),
            url=lambda hit: url_for("auth.profile", username=hit.author_username),
        ),
    ]
