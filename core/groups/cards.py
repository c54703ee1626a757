"""Post and comment cards, rendered once and reused while nothing they show has changed.

Rendering a card (links, a localized date, plural forms) costs far more than the page's
queries, and feeds are read much more often than written. So a card is rendered by a small
template from plain values only, never from the ORM row or the viewer: its HTML is a pure
function of those values and the locale, and the values themselves are the cache key. The
per-viewer parts (may edit, may delete, what plugins add, a placeholder replacing the body)
are among the values, so a change to anything shown simply misses the cache and no entry is
ever invalidated. Each worker keeps its own bounded LRU (cachetools' ``LRUCache``,
``CARD_CACHE_SIZE`` entries, 0 turns it off); it is off while templates auto-reload, so
editing a template shows at once.
"""
from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from cachetools import LRUCache
from flask import current_app, request
from flask_babel import get_locale, get_timezone
from markupsafe import Markup

from core import permissions, ui
from core.auth.csrf_tokens import csrf_token
from core.extensions import db
from core.groups.placeholders import load_placeholders
from core.models import Comment, Group, Post, PostImage
from core.plugins import get_plugins

DEFAULT_SIZE = 2048
#: Stands for the viewer's CSRF token in cached card HTML; replaced after rendering (never cached).
CSRF_SENTINEL = "__cg_csrf_token__"
#: Posts longer than this (characters of Markdown, or lines) are collapsed in feeds behind "Read more".
COLLAPSE_CHARS = 1200
COLLAPSE_LINES = 18


class Author(NamedTuple):
    username: str
    display_name: str
    avatar_key: str | None = None


class CardImage(NamedTuple):
    """An image of a post as its card shows it; ``actions`` come from the ``content_actions`` slot."""

    id: int
    key: str
    alt: str
    width: int
    height: int
    actions: Markup


class PostCard(NamedTuple):
    """Everything ``groups/_post_card.html`` shows; ``comment_count`` is None off the feed."""

    id: int
    group_slug: str
    author: Author
    created_at: datetime
    edited: bool
    body: Markup
    comment_count: int | None
    can_edit: bool
    can_delete: bool
    actions: Markup
    footer: Markup
    images: tuple[CardImage, ...] = ()
    reactions: tuple = ()
    can_react: bool = False
    pinned: bool = False
    can_pin: bool = False
    collapsed: bool = False
    back: str = ""


class CommentCard(NamedTuple):
    """Everything ``groups/_comment_card.html`` shows."""

    id: int
    group_slug: str
    author: Author
    created_at: datetime
    edited: bool
    body: Markup
    can_edit: bool
    can_delete: bool
    actions: Markup
    reactions: tuple = ()
    can_react: bool = False
    can_reply: bool = False
    is_reply: bool = False
    post_id: int = 0
    back: str = ""


class CardCache:
    """A bounded LRU of rendered cards for one app: cachetools' ``LRUCache`` behind a lock."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: LRUCache[tuple, Markup] = LRUCache(maxsize=max(size, 1))
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Markup | None:
        with self._lock:
            return self.entries.get(key)

    def put(self, key: tuple, html: Markup) -> None:
        with self._lock:
            self.entries[key] = html

    def __len__(self) -> int:
        return len(self.entries)


def _cache() -> CardCache | None:
    app = current_app._get_current_object()
    cache = app.extensions.get("commonground.cards")
    if cache is None:
        size = int(app.config.get("CARD_CACHE_SIZE", DEFAULT_SIZE) or 0)
        cache = app.extensions["commonground.cards"] = CardCache(size)
    if not cache.size or app.jinja_env.auto_reload:
        return None
    return cache


def _render(template_name: str, cards: Sequence[NamedTuple]) -> list[Markup]:
    """Render each card, from the cache where the same values were rendered before."""
    cache = _cache()
    # What the HTML depends on besides the card: language, time zone, where the app is mounted.
    scope = (template_name, str(get_locale()), str(get_timezone()), request.script_root)
    template = None
    out = []
    token = None
    for card in cards:
        key = (scope, card)
        html = cache.get(key) if cache is not None else None
        if html is None:
            if template is None:
                template = current_app.jinja_env.get_template(template_name)
            html = Markup(template.render(card=card))
            if cache is not None:
                cache.put(key, html)
        if CSRF_SENTINEL in html:
            token = token or csrf_token()
            html = Markup(html.replace(CSRF_SENTINEL, token))
        out.append(html)
    return out


def _author(user: Any) -> Author:
    return Author(user.username, user.display_name, user.avatar_key)


def _collapsed(post: Post) -> bool:
    source = post.body_source or ""
    return len(source) > COLLAPSE_CHARS or source.count("\n") >= COLLAPSE_LINES


def _back() -> str:
    """Where a reaction form returns to: this page (the card's anchor is added by the template)."""
    return request.full_path if request.query_string else request.path


def post_cards(posts: Iterable[Post], group: Group, placeholders: dict[int, Markup],
               in_feed: bool = True, hidden_authors: frozenset[int] = frozenset()) -> list[Markup]:
    """The cards of ``posts`` in ``group`` as the current viewer sees them.

    ``hidden_authors``: people the viewer sees here only as the group's staff; plugins get
    ``hidden_elsewhere=True`` in the post's slots to say why (e.g. "has blocked you").
    In feeds, long posts are collapsed behind a "Read more" link to the post's page.
    """
    viewer = ui.viewer()
    runner = get_plugins().runner
    posts = list(posts)
    images = _images_of([post for post in posts if post.image_count and post.id not in placeholders], group,
                        runner.render_slot)
    may_write = permissions.can_post(viewer, group)
    may_pin = permissions.can_pin(viewer, group)
    back = _back()
    # Plugins' per-post slots for the whole page at once (``template_slot_list``), each post its own context.
    actions = runner.render_slot_list("post_actions", [{"post": post, "group": group} for post in posts], group=group)
    footers = runner.render_slot_list("post_footer", [
        {"post": post, "group": group, "hidden_elsewhere": post.author_id in hidden_authors} for post in posts],
        group=group)
    cards = []
    for post, post_actions, post_footer in zip(posts, actions, footers, strict=True):
        hidden = post.id in placeholders
        cards.append(PostCard(
            id=post.id, group_slug=group.slug, author=_author(post.author), created_at=post.created_at,
            edited=post.edited_at is not None, body=placeholders.get(post.id) or Markup(post.body_html),
            comment_count=post.shown_comment_count if in_feed else None,
            can_edit=permissions.can_edit_content(viewer, post),
            can_delete=permissions.can_delete_content(viewer, post, group),
            actions=post_actions, footer=post_footer,
            images=images.get(post.id, ()),
            reactions=() if hidden else post.reactions,
            can_react=may_write and not hidden and post.author_id not in hidden_authors,
            pinned=post.pinned_at is not None, can_pin=may_pin,
            collapsed=in_feed and not hidden and _collapsed(post), back=back,
        ))
    return _render("groups/_post_card.html", cards)


def _images_of(posts: list[Post], group: Group, slot: Any) -> dict[int, tuple[CardImage, ...]]:
    """The images of ``posts`` in one query (none when no post has images), less those hidden from the viewer."""
    if not posts:
        return {}
    by_id = {post.id: post for post in posts}
    rows = list(db.session.scalars(db.select(PostImage).where(PostImage.post_id.in_(by_id))
                                   .order_by(PostImage.post_id, PostImage.position)))
    hidden = load_placeholders(ui.viewer(), "post_image", [row.id for row in rows], group)
    found: dict[int, list[CardImage]] = {}
    for row in rows:
        if row.id in hidden:
            continue
        actions = slot("content_actions", content_type="post_image", content_id=row.id,
                       author_id=by_id[row.post_id].author_id)
        found.setdefault(row.post_id, []).append(
            CardImage(row.id, row.file_key, row.alt_text, row.width, row.height, actions))
    return {post_id: tuple(items) for post_id, items in found.items()}


def comment_cards(comments: Iterable[Comment], post: Post, group: Group, placeholders: dict[int, Markup],
                  may_comment: bool, hidden_authors: frozenset[int] = frozenset()) -> list[Markup]:
    """The cards of a post's ``comments`` as the current viewer sees them (``hidden_authors`` as above;
    ``may_comment``: ``can_comment`` of the viewer on ``post``, which the page asks once)."""
    viewer = ui.viewer()
    comments = list(comments)
    may_write = permissions.can_post(viewer, group)
    may_reply = may_comment and may_write
    back = _back()
    actions = get_plugins().runner.render_slot_list("comment_actions", [
        {"comment": comment, "post": post, "group": group, "hidden_elsewhere": comment.author_id in hidden_authors}
        for comment in comments], group=group)
    cards = []
    for comment, comment_actions in zip(comments, actions, strict=True):
        hidden = comment.id in placeholders
        open_to = may_write and not hidden and comment.author_id not in hidden_authors
        cards.append(CommentCard(
            id=comment.id, group_slug=group.slug, author=_author(comment.author), created_at=comment.created_at,
            edited=comment.edited_at is not None, body=placeholders.get(comment.id) or Markup(comment.body_html),
            can_edit=permissions.can_edit_content(viewer, comment),
            can_delete=permissions.can_delete_content(viewer, comment, group),
            actions=comment_actions,
            reactions=() if hidden else comment.reactions, can_react=open_to,
            can_reply=may_reply and open_to, is_reply=comment.parent_id is not None, post_id=post.id, back=back,
        ))
    return _render("groups/_comment_card.html", cards)
