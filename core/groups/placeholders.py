"""Bodies replaced for this viewer (e.g. hidden by moderation), asked once per list.

Plugins answer the ``content_placeholders`` hook with ``{id: Markup}``; the merged answer is
kept for the request so pages and API schemas show the placeholder instead of the body.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import g, has_request_context
from markupsafe import Markup, escape

from core.plugins import get_plugins


def load_placeholders(viewer: Any, content_type: str, ids: Iterable[int], group: Any = None) -> dict[int, Markup]:
    """Ask every enabled plugin (on in ``group``) once for ``ids``; remember and return the merged answer."""
    ids = list(ids)
    merged: dict[int, Markup] = {}
    if ids:
        for answer in get_plugins().call("content_placeholders", viewer=viewer, content_type=content_type, ids=ids,
                                          group=group):
            if isinstance(answer, dict):
                merged.update({key: escape(value) for key, value in answer.items() if key in ids})
    if has_request_context():
        g.setdefault("_placeholders", {}).setdefault(content_type, {}).update(merged)
    return merged


def placeholder_for(content_type: str, item_id: int) -> Markup | None:
    """The placeholder loaded earlier in this request for one item, if any."""
    if not has_request_context():
        return None
    return g.get("_placeholders", {}).get(content_type, {}).get(item_id)
