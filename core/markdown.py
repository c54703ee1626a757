"""Markdown to safe HTML, done once at write time (the HTML is stored beside the source).

Images load only from this site and from the hosts in ``IMAGE_HOSTS_ALLOWED`` (see
``core.image_hosts``); any other image is written as a link, so reading a post never tells a
third party who read it. After that setting changes, ``flask content rerender`` renders the
stored posts and comments again.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

from core import image_hosts

ALLOWED_TAGS = {
    "a", "p", "br", "hr", "em", "strong", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody",
    "tr", "th", "td", "img",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "class"}, "img": {"src", "alt", "title"}, "ol": {"start"}}
#: The class of a link that stands for an image that was not loaded (styled with an icon).
REMOTE_IMAGE_CLASS = "remote-image"
#: The class of a link to a mentioned member's profile.
MENTION_CLASS = "mention"
#: ``@username`` not preceded by a letter, digit, ``@`` or ``/`` (so emails and paths are left alone).
MENTION_PATTERN = re.compile(r"(?<![\w@/.])@([a-z0-9_]{3,32})\b", re.IGNORECASE)


def _inside_link(tokens: list, idx: int) -> bool:
    depth = 0
    for token in tokens[:idx]:
        depth += {"link_open": 1, "link_close": -1}.get(token.type, 0)
    return depth > 0


def _link_text(src: str) -> str:
    parts = urlsplit(src)
    text = (parts.netloc + parts.path) or src
    return text if len(text) <= 60 else text[:59] + "…"


def _image(self, tokens, idx, options, env) -> str:
    """An allowed image as ``<img>``; any other as a link to it (alt text, else its address)."""
    token = tokens[idx]
    src = token.attrGet("src") or ""
    if image_hosts.embeddable(src, env.get("image_hosts", ())):
        return self.image(tokens, idx, options, env)
    text = escapeHtml(self.renderInlineAsText(token.children or [], options, env) or _link_text(src))
    if _inside_link(tokens, idx):  # the surrounding link already goes somewhere: keep its text only
        return text
    return f'<a href="{escapeHtml(src)}" class="{REMOTE_IMAGE_CLASS}">{text}</a>'


def _mentions(state) -> None:
    """Turn ``@name`` in plain text into a link, for the names the caller resolved (``env["mentions"]``).

    Text inside links and code is left as it is; unresolved names stay plain text.
    """
    mentions = state.env.get("mentions") or {}
    if not mentions:
        return
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children, depth = [], 0
        for token in block.children:
            depth += {"link_open": 1, "link_close": -1}.get(token.type, 0)
            if token.type != "text" or depth > 0 or "@" not in token.content:
                children.append(token)
                continue
            children.extend(_split_mentions(token.content, mentions))
        block.children = children


def _split_mentions(text: str, mentions: Mapping[str, str]) -> list[Token]:
    tokens, start = [], 0
    for match in MENTION_PATTERN.finditer(text):
        url = mentions.get(match.group(1).lower())
        if url is None:
            continue
        if match.start() > start:
            tokens.append(_text(text[start:match.start()]))
        link = Token("link_open", "a", 1)
        link.attrs = {"href": url, "class": MENTION_CLASS}
        tokens += [link, _text(match.group(0)), Token("link_close", "a", -1)]
        start = match.end()
    if start < len(text):
        tokens.append(_text(text[start:]))
    return tokens


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def mentioned_names(source: str) -> set[str]:
    """The (lowercased) usernames written as ``@name`` in a Markdown source."""
    return {match.group(1).lower() for match in MENTION_PATTERN.finditer(source or "")}


_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table").enable(
    "strikethrough"
)
_md.add_render_rule("image", _image)
_md.core.ruler.push("mentions", _mentions)


def _keep_only_our_class(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "class":
        return value if tag == "a" and value in (REMOTE_IMAGE_CLASS, MENTION_CLASS) else None
    return value


def render_markdown(source: str, allowed_image_hosts: Iterable[str] | None = None,
                    mentions: Mapping[str, str] | None = None) -> str:
    """Render Markdown and sanitize the result; raw HTML in the source is escaped, never run.

    ``allowed_image_hosts`` defaults to the running app's ``IMAGE_HOSTS_ALLOWED``;
    ``mentions`` maps lowercased usernames to the profile links their ``@name`` becomes.
    """
    hosts = tuple(image_hosts.allowed() if allowed_image_hosts is None else allowed_image_hosts)
    return sanitize_html(_md.render(source or "", {"image_hosts": hosts, "mentions": dict(mentions or {})}))


def sanitize_html(html: str) -> str:
    """Keep only the tags and attributes rendered Markdown may contain (idempotent on its output)."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_keep_only_our_class,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer ugc",
    )
