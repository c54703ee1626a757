"""``/files/<key>``: stored files with their own content type, never sniffed, cached for good."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, make_response

from core.storage.backend import content_type_for, valid_key

bp = Blueprint("files", __name__)


@bp.get("/files/<path:key>")
def serve(key: str):
    if not valid_key(key):
        abort(404)
    data = current_app.extensions["commonground.storage"].get(key)
    if data is None:
        abort(404)
    response = make_response(data)
    response.headers["Content-Type"] = content_type_for(key)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    # Keys are content hashes: a key's bytes never change.
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
