"""Finding reportable content of any type through the ``content_types`` hook.

Reporting never imports another plugin: core and plugins describe their content with a
``ContentType`` and this module only talks to that description.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from flask import g

from core.plugin_api import ContentType, render_markdown, sanitize_html
from core.plugin_api import content_types as all_content_types


def content_types() -> dict[str, ContentType]:
    """Every enabled plugin's content types by name, memoised for the request."""
    cached = g.get("_reporting_content_types")
    if cached is None:
        cached = {}
        for ct in all_content_types():
            cached.setdefault(ct.name, ct)
        g._reporting_content_types = cached
    return cached


def content_type(name: str) -> ContentType | None:
    return content_types().get(name)


@dataclass
class Item:
    """A loaded piece of content with what reporting needs to know about it."""

    type: ContentType
    id: int
    obj: Any

    @property
    def author_id(self) -> int | None:
        return self.type.author_id(self.obj)

    @property
    def group_id(self) -> int | None:
        return self.type.group_id(self.obj)

    @property
    def snapshot(self) -> str:
        return str(self.type.snapshot(self.obj) or "")

    def snapshot_html(self, limit: int) -> str:
        """The item sanitized as readers saw it: its type's HTML, else its snapshot as Markdown."""
        if self.type.snapshot_html is None:
            return render_markdown(self.snapshot[:limit])
        return sanitize_html(str(self.type.snapshot_html(self.obj) or "")[:limit * 4])

    @property
    def url(self) -> str | None:
        try:
            return self.type.url(self.obj)
        except Exception:  # an unroutable item still gets reported; its link is just missing
            return None

    @property
    def label(self) -> str:
        return str(self.type.label)

    def visible_to(self, user: Any) -> bool:
        return bool(self.type.visible_to(self.obj, user))


def load_item(type_name: str, content_id: int) -> Item | None:
    """The item, or None when the type is unknown or the item does not exist."""
    ct = content_type(type_name)
    if ct is None:
        return None
    obj = ct.load(content_id)
    if obj is None:
        return None
    return Item(type=ct, id=content_id, obj=obj)


def load_visible_item(type_name: str, content_id: int, viewer: Any) -> Item | None:
    """The item if ``viewer`` may see it; None otherwise (callers answer 404 either way)."""
    item = load_item(type_name, content_id)
    if item is None or not item.visible_to(viewer):
        return None
    return item


def content_hash(snapshot: str) -> str:
    """Identifies a version of the content: a resolved case absorbs reports on the same hash."""
    return hashlib.sha256(snapshot.encode("utf-8")).hexdigest()
