"""The image part of the post composer and the post's edit form, read from the request.

Fields: ``images`` (one ``<input type=file multiple>``, several files at once) with ``new_alt``
(their descriptions in order, fields added by static/image-alts.js), ``attached``
(ids of images attached earlier and kept by the form) with ``attached_alt-<id>`` and
``detach``, and on the edit form ``alt-<id>`` and ``remove`` for the post's own images.
New files are checked and re-encoded like avatars but not stored: the page decides whether
they are published at once or attached (``keep_new``) to be described first.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import current_app, request
from flask_babel import gettext as _

from core.groups import post_images
from core.models import PendingImage, Post, PostImage
from core.storage import ImageRejected, StoredFile, file_url, store_upload


def _alt(name: str, default: str = "") -> str:
    return " ".join(request.form.get(name, default).split())


def _ids(name: str) -> list[int]:
    return [int(value) for value in request.form.getlist(name) if value.strip().isdigit()]


@dataclass
class ImageForm:
    """What the form says about images; ``errors`` are ``{field: [message]}`` like the schemas'."""

    existing: list[PostImage] = field(default_factory=list)
    alts: dict[int, str] = field(default_factory=dict)
    removed: set[int] = field(default_factory=set)
    attached: list[PendingImage] = field(default_factory=list)
    attached_alts: dict[int, str] = field(default_factory=dict)
    detached: list[PendingImage] = field(default_factory=list)
    new: list[StoredFile] = field(default_factory=list)
    new_alts: list[str] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def count(self) -> int:
        kept = [image for image in self.existing if image.id not in self.removed]
        return len(kept) + len(self.attached) + len(self.new)

    def keep_new(self, user: Any) -> None:
        """Attach the new files (stored now, as pending images) so the form can show them again."""
        rows = post_images.attach(user, self.new)
        self.attached_alts.update((row.id, alt) for row, alt in zip(rows, self.new_alts, strict=True))
        self.attached += rows
        self.new, self.new_alts = [], []

    def drop_detached(self) -> None:
        post_images.discard(self.detached)
        self.detached = []

    def to_publish(self) -> list[post_images.NewImage]:
        """The attached images, then the new files, with their alt texts (typed beside the files with
        JavaScript, ``new_alt`` in the files' order; without it new files have none yet)."""
        return [post_images.NewImage(row, self.attached_alts.get(row.id, "")) for row in self.attached] + \
            [post_images.NewImage(file, alt) for file, alt in zip(self.new, self.new_alts, strict=True)]

    def changes(self) -> post_images.ImageChanges:
        return post_images.ImageChanges(alts=self.alts, removed=frozenset(self.removed), added=self.to_publish())

    def values(self) -> dict:
        """What the form shows again: the post's images and the attached ones, with the alt texts typed."""
        return {
            "images": [{"id": image.id, "url": file_url(image.file_key), "alt": self.alts.get(image.id,
                                                                                              image.alt_text),
                        "width": image.width, "height": image.height, "removed": image.id in self.removed}
                       for image in self.existing],
            "attached": [{"id": row.id, "url": file_url(row.file_key), "alt": self.attached_alts.get(row.id, ""),
                          "width": row.width, "height": row.height} for row in self.attached],
        }


def existing_values(post: Post) -> dict:
    """The edit form's image values before anything was changed."""
    return ImageForm(existing=list(post.images)).values()


def read_image_form(user: Any, post: Post | None = None) -> ImageForm:
    """Read and check the image fields; new files are re-encoded (not stored) unless there are too many."""
    form = ImageForm(existing=list(post.images) if post is not None else [])
    existing_ids = {image.id for image in form.existing}
    form.removed = {id_ for id_ in _ids("remove") if id_ in existing_ids}
    for image in form.existing:
        form.alts[image.id] = _alt(f"alt-{image.id}", image.alt_text)
    detach = set(_ids("detach"))
    rows = post_images.pending_of(user, _ids("attached"))
    form.attached = [row for row in rows if row.id not in detach]
    form.detached = [row for row in rows if row.id in detach]
    for row in form.attached:
        form.attached_alts[row.id] = _alt(f"attached_alt-{row.id}")
    for name, alt in [*((f"alt-{id_}", alt) for id_, alt in form.alts.items() if id_ not in form.removed),
                      *((f"attached_alt-{id_}", alt) for id_, alt in form.attached_alts.items())]:
        if len(alt) > post_images.ALT_TEXT_MAX:
            form.errors[name] = [post_images.alt_too_long_message()]
    uploads = [upload for upload in request.files.getlist("images") if upload and upload.filename]
    if form.count + len(uploads) > post_images.max_images():
        form.errors["images"] = [post_images.too_many_message()]
        return form
    config = current_app.config
    new_alts = [" ".join(alt.split()) for alt in request.form.getlist("new_alt")]
    for index, upload in enumerate(uploads):
        alt = new_alts[index] if index < len(new_alts) else ""
        if len(alt) > post_images.ALT_TEXT_MAX:
            form.errors.setdefault("images", []).append(
                _("%(file)s: %(problem)s", file=upload.filename[:80], problem=post_images.alt_too_long_message()))
            alt = alt[:post_images.ALT_TEXT_MAX]
        try:
            form.new.append(store_upload(upload, max_bytes=int(config["POST_IMAGE_MAX_BYTES"]),
                                         max_side=int(config["POST_IMAGE_SIDE"]), store=False))
            form.new_alts.append(alt)
        except ImageRejected as error:
            form.errors.setdefault("images", []).append(
                _("%(file)s: %(problem)s", file=upload.filename[:80], problem=str(error.message)))
    return form


def attached_values(user: Any) -> dict:
    """The attached images and their alt texts as submitted, without reading any file (a refused request)."""
    form = ImageForm(attached=post_images.pending_of(user, _ids("attached")))
    form.attached_alts = {row.id: _alt(f"attached_alt-{row.id}") for row in form.attached}
    return form.values()
