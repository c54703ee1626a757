"""Uploaded files: images re-encoded and stripped of metadata, kept by a pluggable backend.

Callers never see a path: ``store_image`` checks and re-encodes an upload and returns a
``StoredFile`` whose ``key`` is what a model keeps; ``file_url(key)`` is where browsers fetch it
(``/files/<key>``, served by ``core.storage.views`` with the right content type). The backend is
chosen by ``STORAGE_BACKEND``: ``"local"`` (the default), a directory, ``UPLOADS_DIR``, default
``instance/uploads``; ``"s3"``, a bucket on S3-compatible object storage (``core.storage.s3``).
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import replace

from flask import Flask, current_app, request, url_for

from core import after_commit
from core.storage import renditions
from core.storage.backend import Backend, LocalBackend
from core.storage.images import ImageRejected, StoredFile, reencode_image

__all__ = ["Backend", "ImageRejected", "LocalBackend", "StoredFile", "accepts_uploads", "delete_after_commit",
           "delete_file", "file_url", "get_backend", "image_srcset", "init_app", "make_backend", "put_file",
           "store_image", "store_upload", "with_renditions"]

EXTENSION_KEY = "commonground.storage"
_DELETE_KIND = "storage.delete"

log = logging.getLogger("commonground.storage")


def init_app(app: Flask) -> None:
    """Create the configured backend once per app."""
    app.extensions[EXTENSION_KEY] = make_backend(app.config)
    # First of all before-request functions: the input checks read the body, which fixes its limit.
    app.before_request_funcs.setdefault(None, []).insert(0, _upload_limit)
    from core.storage.views import bp

    app.register_blueprint(bp)


def accepts_uploads(view: Callable) -> Callable:
    """Mark a view whose form takes a file: its requests may be up to ``UPLOAD_REQUEST_MAX_BYTES``
    (not ``MAX_CONTENT_LENGTH``), so a file over its own limit is refused at its field."""
    view.accepts_uploads = True
    return view


def _upload_limit() -> None:
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(view, "accepts_uploads", False):
        request.max_content_length = max(int(current_app.config["UPLOAD_REQUEST_MAX_BYTES"]),
                                         int(current_app.config.get("MAX_CONTENT_LENGTH") or 0))


def make_backend(config) -> Backend:
    """The backend ``STORAGE_BACKEND`` names, built from the config."""
    kind = config.get("STORAGE_BACKEND", "local")
    if kind == "local":
        return LocalBackend(config["UPLOADS_DIR"])
    if kind == "s3":
        from core.storage.s3 import S3Backend

        return S3Backend.from_config(config)
    raise RuntimeError(f"Unknown STORAGE_BACKEND {kind!r} (known: 'local', 's3')")


def get_backend() -> Backend:
    return current_app.extensions[EXTENSION_KEY]


def store_image(stream, *, max_bytes: int | None = None, max_side: int = 1024, square: bool = False,
                prefix: str = "images", filename: str | None = None, mimetype: str | None = None,
                store: bool = True) -> StoredFile:
    """Check, re-encode and store an uploaded image; raises ``ImageRejected`` with a message for the field.

    ``stream`` is a file-like object (a ``FileStorage`` from ``request.files``). Refused: more
    than ``max_bytes`` (default ``UPLOAD_MAX_BYTES``), anything Pillow cannot read as PNG, JPEG,
    GIF or WebP, and images over ``IMAGE_MAX_PIXELS`` (decompression bombs). The stored copy is
    a fresh PNG or JPEG at most ``max_side`` pixels wide and high, with no EXIF, XMP or comments;
    ``square`` crops it to its centre square first; ``prefix`` is the key's folder (``avatars``).
    ``filename``/``mimetype`` (as the browser declared them) must match the contents: see
    ``store_upload``, which passes them from a ``FileStorage``. ``store=False`` only checks and
    re-encodes (a form with other errors); ``put_file`` stores the result later.
    """
    config = current_app.config
    limit = int(max_bytes or config["UPLOAD_MAX_BYTES"])
    data = stream.read(limit + 1)
    stored = reencode_image(data, max_bytes=limit, max_pixels=int(config["IMAGE_MAX_PIXELS"]), max_side=max_side,
                            square=square, prefix=prefix, filename=filename, mimetype=mimetype)
    stored = with_renditions(stored)
    if store:
        put_file(stored)
    return stored


def with_renditions(stored: StoredFile) -> StoredFile:
    """``stored`` with the smaller copies its folder has widths for (``core.storage.renditions``)."""
    copies = tuple(StoredFile(key=renditions.rendition_key(stored.key, width), content_type=stored.content_type,
                              width=width, height=max(1, round(stored.height * width / stored.width)),
                              data=renditions.scaled(stored.data, width, stored.content_type))
                   for width in renditions.widths_below(stored.key, stored.width))
    return replace(stored, renditions=copies) if copies else stored


def put_file(stored: StoredFile) -> None:
    """Store a checked, re-encoded file (from ``store_image(..., store=False)``) and its renditions.

    The renditions go first: once the original is there, pages may name them.
    """
    backend = get_backend()
    for copy in stored.renditions:
        backend.put(copy.key, copy.data, copy.content_type)
    backend.put(stored.key, stored.data, stored.content_type)


def store_upload(upload, **options) -> StoredFile:
    """``store_image`` for a ``FileStorage`` from ``request.files``: its name and declared type are checked too."""
    return store_image(upload.stream, filename=upload.filename, mimetype=upload.mimetype, **options)


def file_url(key: str | None) -> str | None:
    """Where a browser fetches a stored file (``None`` for no file)."""
    return url_for("files.serve", key=key) if key else None


def image_srcset(key: str | None, width: int | None):
    """The ``srcset`` of a stored image ``width`` pixels wide: its renditions and itself ("" if it has none)."""
    return renditions.srcset(key, width, file_url)


def delete_file(key: str | None) -> None:
    """Remove a stored file and its renditions; a missing one is not an error."""
    if key:
        backend = get_backend()
        for stored_key in (key, *renditions.rendition_keys(key)):
            backend.delete(stored_key)


def delete_after_commit(keys: Iterable[str | None]) -> None:
    """Delete these files once the current database transaction commits (the whole action, not the
    SAVEPOINT around a hook); keep them if it, or the SAVEPOINT they were asked for in, rolls back.

    Rows that point at files (an avatar, a post's images) are deleted in a transaction that may
    still fail: deleting the files first could leave a row pointing at nothing.
    """
    from core.extensions import db

    after_commit.hold(db.session(), _DELETE_KIND, [key for key in keys if key])


def _delete_committed(keys: list[str]) -> None:
    backend = current_app.extensions.get(EXTENSION_KEY)
    for stored_key in (found for key in keys for found in (key, *renditions.rendition_keys(key))):
        try:
            backend.delete(stored_key)
        except Exception:  # the row is gone already; an orphaned file is logged, not an error page
            log.exception("could not delete stored file %s", stored_key)


after_commit.on_commit(_DELETE_KIND, _delete_committed)
