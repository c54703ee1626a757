"""Helpers shared by the conversation tests (reactions, replies, mentions, following)."""
from __future__ import annotations

import re

from core.extensions import db


def csrf_of(html: str) -> str:
    """The first CSRF token on a page (forms in cached cards carry the same one)."""
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def block(blocker, target) -> None:
    """A block made with the reporting plugin, as a member makes it."""
    from plugins.reporting.blocks import block as make_block

    make_block(blocker, target)
    db.session.commit()
