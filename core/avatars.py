"""Avatars beside every name: the member's uploaded picture, else their initials on a colour of their own.

``avatar(user, size)`` is the one way to show one (a Jinja global, and ``core.plugin_api.avatar``).
It reads only attributes that come with the user row (``username``, ``display_name``,
``avatar_key``), so a page of fifty names costs no query more than the names themselves. The
initials avatar is inline SVG, no file and no request: its colour is derived from the username
(stable across renames of the display name) and every colour of the palette keeps white
letters at a contrast of at least 4.5:1.
"""
from __future__ import annotations

import hashlib
from typing import Any

from flask import current_app
from markupsafe import Markup, escape

from core.storage import file_url, image_srcset

# Dark enough for white text (WCAG AA, >= 4.5:1; tests/core/test_avatars.py checks each).
PALETTE = ("#1f6f5c", "#8a3b12", "#5b3f8c", "#1d5c99", "#a4262c", "#2f6b2f", "#7a2e6e", "#375a7f",
           "#8a4b08", "#0f6a7a", "#6d4c41", "#4a5560")
NOBODY_COLOUR = "#5a6570"
MIN_SIZE, MAX_SIZE = 16, 256


def initials(name: str | None) -> str:
    """Up to two letters: first and last word of the display name ("Ada Lovelace" → "AL")."""
    words = [word for word in (name or "").split() if word[0].isalnum()]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


def avatar_colour(username: str | None) -> str:
    if not username:
        return NOBODY_COLOUR
    digest = hashlib.sha256(username.lower().encode()).digest()
    return PALETTE[int.from_bytes(digest[:4], "big") % len(PALETTE)]


def avatar(user: Any, size: int = 32) -> Markup:
    """An ``<img>`` of the member's picture, or an initials SVG, ``size`` CSS pixels square.

    ``user`` is anything with ``username``, ``display_name`` and ``avatar_key`` (a ``User``, a
    card's author), or ``None`` for a deleted account. Decorative (``alt=""``): it always stands
    beside the name, which says who it is.
    """
    size = max(MIN_SIZE, min(int(size), MAX_SIZE))
    key = getattr(user, "avatar_key", None)
    if key:
        # Renditions (64 and 128 px beside the stored square): the browser takes the smallest that is
        # sharp at ``size`` on its screen, so a 24 px avatar on a feed costs a few kilobytes.
        return Markup('<img class="avatar" src="{src}" srcset="{srcset}" sizes="{size}px" width="{size}" '
                      'height="{size}" alt="" loading="lazy" decoding="async">').format(
            src=file_url(key), srcset=image_srcset(key, int(current_app.config["AVATAR_SIZE"])), size=size)
    username = getattr(user, "username", None)
    letters = initials(getattr(user, "display_name", None)) if user is not None else "?"
    font = 40 if len(letters) > 1 else 46
    return Markup(
        '<svg class="avatar" width="{size}" height="{size}" viewBox="0 0 100 100" aria-hidden="true" '
        'focusable="false"><rect width="100" height="100" rx="50" fill="{colour}"/>'
        '<text x="50" y="50" dy=".35em" text-anchor="middle" font-size="{font}" font-weight="600" '
        'font-family="system-ui, sans-serif" fill="#fff">{letters}</text></svg>'
    ).format(size=size, colour=avatar_colour(username), font=font, letters=escape(letters))
