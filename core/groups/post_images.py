"""Images in posts: attached in a composer, published with the post, changed when it is edited.

A member attaches images before the post exists (to describe each one, or because the text had
an error): the cleaned files are stored at once and remembered as ``PendingImage`` rows of that
member, which the form carries by id. Publishing or saving turns them into the post's
``PostImage`` rows; rows nobody publishes are deleted with their files by the daily
``core.pending_images.clean_up`` job. Files leave storage only after the transaction that
deleted their rows commits (``core.storage.delete_after_commit``).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any, NamedTuple, Protocol

from flask import current_app
from flask_babel import gettext as _

from core.extensions import db
from core.groups.errors import InvalidInput
from core.models import PendingImage, Post, PostImage
from core.models.base import utcnow
from core.schemas.posts import ALT_TEXT_MAX
from core.storage import StoredFile, delete_after_commit, delete_file, put_file

CLEAN_UP_JOB = "core.pending_images.clean_up"


class ImageFile(Protocol):
    """A stored, cleaned image file: a ``StoredFile`` or a ``PendingImage``."""

    key: str
    width: int
    height: int


class NewImage(NamedTuple):
    """An image to add to a post: its stored file and alt text."""

    file: ImageFile
    alt: str


class ImageChanges(NamedTuple):
    """How an edit changes a post's images: new alt texts by image id, ids removed, images added (in order)."""

    alts: dict[int, str]
    removed: frozenset[int]
    added: Sequence[NewImage] = ()


def max_images() -> int:
    return int(current_app.config.get("POST_IMAGES_MAX", 4))


def too_many_message() -> str:
    limit = max_images()
    return _("A post can have at most %(max)s images. Remove one, or choose fewer.", max=limit)


def check_count(count: int) -> None:
    """Refuse more images than ``POST_IMAGES_MAX`` (a message at the ``images`` field)."""
    if count > max_images():
        raise InvalidInput(too_many_message(), field="images")


def check_alt(alt: str) -> None:
    if len(alt) > ALT_TEXT_MAX:
        raise InvalidInput(alt_too_long_message(), field="images")


def alt_too_long_message() -> str:
    return _("Keep the description under %(max)s characters.", max=ALT_TEXT_MAX)


def new_post_images(images: Sequence[NewImage]) -> list[PostImage]:
    """``PostImage`` rows for a new post, in order."""
    check_count(len(images))
    for image in images:
        check_alt(image.alt)
    return [PostImage(position=position, file_key=image.file.key, alt_text=image.alt, width=image.file.width,
                      height=image.file.height) for position, image in enumerate(images)]


def change_images(post: Post, changes: ImageChanges) -> bool:
    """Apply ``changes`` to ``post`` in the current transaction; whether anything changed.

    Kept images keep their order, added ones follow; positions are renumbered from 0. Files of
    removed images are deleted once the transaction commits.
    """
    current = list(post.images)
    kept = [image for image in current if image.id not in changes.removed]
    check_count(len(kept) + len(changes.added))
    changed = len(kept) != len(current) or bool(changes.added)
    for image in kept:
        alt = changes.alts.get(image.id, image.alt_text)
        check_alt(alt)
        if alt != image.alt_text:
            image.alt_text = alt
            changed = True
    for image in changes.added:
        check_alt(image.alt)
    delete_after_commit(image.file_key for image in current if image.id in changes.removed)
    added = [PostImage(file_key=image.file.key, alt_text=image.alt, width=image.file.width, height=image.file.height)
             for image in changes.added]
    post.images = kept + added  # delete-orphan removes the rows left out
    for position, image in enumerate(post.images):
        if image.position != position:
            image.position = position
    post.image_count = len(post.images)
    return changed


# --- attached, not yet published ---------------------------------------------------------------------


def attach(user: Any, files: Iterable[StoredFile]) -> list[PendingImage]:
    """Store cleaned files and remember them as ``user``'s pending images (flushed, not committed).

    If storing one fails, the files already stored by this call are deleted again.
    """
    rows, stored = [], []
    try:
        for file in files:
            put_file(file)
            stored.append(file.key)
            rows.append(PendingImage(user_id=user.id, file_key=file.key, width=file.width, height=file.height))
    except Exception:
        for key in stored:
            delete_file(key)
        raise
    db.session.add_all(rows)
    db.session.flush()
    return rows


def pending_of(user: Any, ids: Iterable[int]) -> list[PendingImage]:
    """``user``'s pending images with these ids, in the order given; others' and unknown ids are ignored."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return []
    found = {row.id: row for row in db.session.scalars(
        db.select(PendingImage).where(PendingImage.user_id == user.id, PendingImage.id.in_(wanted)))}
    return [found[id_] for id_ in wanted if id_ in found]


def discard(rows: Iterable[PendingImage]) -> None:
    """Delete pending images and, once the transaction commits, their files."""
    rows = list(rows)
    delete_after_commit(row.file_key for row in rows)
    for row in rows:
        db.session.delete(row)


def published(rows: Iterable[PendingImage]) -> None:
    """Forget pending images that became a post's images (their files stay: the post has them now)."""
    for row in rows:
        db.session.delete(row)


def clean_up(now: datetime | None = None) -> int:
    """Job ``core.pending_images.clean_up``: delete images attached but never published, and their files.

    Idempotent; returns how many went.
    """
    now = now or utcnow()
    before = now - timedelta(hours=int(current_app.config.get("PENDING_IMAGE_HOURS", 24)))
    rows = list(db.session.scalars(db.select(PendingImage).where(PendingImage.created_at < before)))
    discard(rows)
    db.session.commit()
    return len(rows)
