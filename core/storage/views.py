"""``/files/<key>``: stored files with their own content type, never sniffed, cached for good.

A rendition (``core.storage.renditions``) that is not stored yet is made from its original on
first request and kept, so pages may name renditions of files uploaded before they existed.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, make_response

from core.storage import renditions
from core.storage.backend import content_type_for, valid_key

bp = Blueprint("files", __name__)


@bp.get("/files/<path:key>")
def serve(key: str):
    if not valid_key(key):
        abort(404)
    backend = current_app.extensions["commonground.storage"]
    data = backend.get(key)
    if data is None:
        data = _make_rendition(backend, key)
    if data is None:
        abort(404)
    response = make_response(data)
    response.headers["Content-Type"] = content_type_for(key)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    # Keys are content hashes: a key's bytes never change.
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


def _make_rendition(backend, key: str) -> bytes | None:
    """The rendition ``key`` names, made from its stored original and kept; None if there is none."""
    parsed = renditions.parse_rendition(key)
    if parsed is None:
        return None
    original = backend.get(parsed[0])
    if original is None:
        return None
    data = renditions.scaled(original, parsed[1], content_type_for(key))
    backend.put(key, data, content_type_for(key))
    return data
