"""@mentions: which names in a post or comment become links, and who is told about it.

Decided once, at write time, like the rest of the rendering: ``@name`` becomes a link to the
profile of a member of the group whom the author may reach (``can_interact``, which plugins
answer both ways — a block in either direction means no link and no notification). Anyone
else's ``@name`` stays plain text, so a post never reveals an account outside the group.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from flask import url_for
from sqlalchemy import func

from core.extensions import db
from core.markdown import MENTION_CLASS, mentioned_names, render_markdown
from core.models import Group, Membership, User
from core.permissions import can_interact
from core.visibility import not_hidden

MAX_MENTIONS = 20  # more names than this in one text are not looked up (nobody is told about 500 people)
SUGGESTIONS = 8


@dataclass
class Rendered:
    """A body rendered for publishing: its HTML and the members it mentions (and may notify)."""

    html: str
    mentioned: list[User] = field(default_factory=list)


def resolve(author: Any, group: Group, source: str) -> list[User]:
    """The members of ``group`` named as ``@name`` in ``source`` that ``author`` may reach (one query)."""
    names = sorted(mentioned_names(source))[:MAX_MENTIONS]
    if not names:
        return []
    users = db.session.scalars(
        db.select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.group_id == group.id, func.lower(User.username).in_(names))
    ).all()
    return [user for user in users if user.id == author.id or can_interact(author, user, group)]


def render_body(author: Any, group: Group, source: str) -> Rendered:
    """The one renderer for posts and comments: the preview shows exactly what publishing stores."""
    users = resolve(author, group, source)
    links = {user.username.lower(): url_for("auth.profile", username=user.username) for user in users}
    html = render_markdown(source, mentions=links)
    linked = stored_mentions(html)  # a name only in code or inside a link is not a mention
    return Rendered(html, [user for user in users if user.id != author.id and user.username.lower() in linked])


_STORED_MENTION = re.compile(r'<a href="([^"]+)" class="' + MENTION_CLASS + r'"[^>]*>@([a-z0-9_]{3,32})</a>',
                             re.IGNORECASE)


def stored_mentions(html: str) -> dict[str, str]:
    """The mention links already in stored HTML, so re-rendering keeps what was decided at write time."""
    return {name.lower(): url for url, name in _STORED_MENTION.findall(html or "")}


def suggestions(viewer: Any, group: Group, prefix: str, limit: int = SUGGESTIONS) -> list[User]:
    """Members of ``group`` whose username or name starts with ``prefix``, as the viewer may see them.

    People hidden from the viewer (blocks, both ways) are left out; one query.
    """
    prefix = prefix.strip().lstrip("@").lower()[:32]
    if not prefix:
        return []
    pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    stmt = (
        db.select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.group_id == group.id, not_hidden(User.id, viewer, group),
               User.id != viewer.id,
               db.or_(func.lower(User.username).like(pattern, escape="\\"),
                      func.lower(User.display_name).like(pattern, escape="\\")))
        .order_by(func.lower(User.username)).limit(limit)
    )
    return list(db.session.scalars(stmt))


def newly_mentioned(old_html: str, mentioned: Iterable[User]) -> list[User]:
    """On an edit, only people the earlier version did not mention are told."""
    known = stored_mentions(old_html)
    return [user for user in mentioned if user.username.lower() not in known]
