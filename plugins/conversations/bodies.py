"""Message bodies: Markdown rendered and sanitized once, when the message is saved.

Two renderings are kept. ``html`` is what participants read: remote images are never
loaded (an image becomes a link to it, so opening a message cannot tell a tracker that it
was read). ``inert`` is what a message request shows before it is accepted: no links and
no images at all, only their text.
"""
from __future__ import annotations

import re

import nh3

from core.plugin_api import render_markdown

_IMG = re.compile(r'<img\b([^>]*)>')
_ATTR = re.compile(r'(src|alt)="([^"]*)"')
_INERT_TAGS = {"p", "br", "hr", "em", "strong", "del", "s", "code", "pre", "blockquote", "ul", "ol", "li",
               "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td"}


def _image_as_link(match: re.Match) -> str:
    attrs = dict(_ATTR.findall(match.group(1)))
    src = attrs.get("src", "")
    label = attrs.get("alt") or "image"
    if not src:
        return label
    return f'<a href="{src}" rel="nofollow noopener noreferrer ugc">[{label}]</a>'


def render(source: str) -> tuple[str, str]:
    """``(html, inert)`` for ``source``; both sanitized, neither ever loads a remote resource."""
    html = _IMG.sub(_image_as_link, render_markdown(source))
    html = nh3.clean(html, tags=_INERT_TAGS | {"a"}, attributes={"a": {"href"}, "ol": {"start"}},
                     url_schemes={"http", "https", "mailto"}, link_rel="nofollow noopener noreferrer ugc")
    inert = nh3.clean(html, tags=_INERT_TAGS, attributes={"ol": {"start"}})
    return html, inert
