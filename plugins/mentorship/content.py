"""Pair posts as a content type, so the reporting plugin can take a report on one.

Only the two people of the pair can see a post, so only they can report it; the moderators
of the group then see the reported post's text as evidence, and nothing else of the pair.
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l

from core.plugin_api import ContentType, Group, db, is_authenticated
from plugins.mentorship.models import Pair, PairPost, Programme


def _pair(post: PairPost) -> Pair | None:
    return db.session.get(Pair, post.pair_id)


def _visible(post: PairPost, user: Any) -> bool:
    pair = _pair(post)
    return pair is not None and is_authenticated(user) and user.id in (pair.mentor_id, pair.mentee_id)


def _group_id(post: PairPost) -> int | None:
    pair = _pair(post)
    programme = db.session.get(Programme, pair.programme_id) if pair else None
    return programme.group_id if programme else None


def _url(post: PairPost) -> str:
    group = db.session.get(Group, _group_id(post))
    return url_for("mentorship.pair_page", slug=group.slug, pair_id=post.pair_id) + f"#post-{post.id}"


def content_types() -> list[ContentType]:
    return [
        ContentType(
            name="mentorship_pair_post",
            label=_l("Mentorship post"),
            load=lambda id: db.session.get(PairPost, id),
            visible_to=_visible,
            author_id=lambda post: post.author_id,
            group_id=_group_id,
            snapshot=lambda post: post.body,
            url=_url,
            delete=lambda post: db.session.delete(post),
        )
    ]
