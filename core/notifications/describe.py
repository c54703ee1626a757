"""One human sentence per notification, in the reader's language, built when it is shown.

The stored row holds structured data only (kind, actor, group, ``data``); the sentence comes
from the ``message`` of the kind's ``NotificationKind`` each time the list page, the API or
an email shows it, so it follows the reader's current language and a renamed group or
person. A message that fails is logged with its plugin and replaced by a neutral sentence:
one plugin's bug never breaks a member's notification list.
"""
from __future__ import annotations

import logging
from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup, escape

from core.notifications.kinds import registry

log = logging.getLogger("commonground.notifications")


def describe(note: Any) -> Markup:
    """The sentence as HTML: a plugin's plain ``str`` is escaped, its ``Markup`` kept."""
    entry = registry().notification.get(note.kind)
    if entry is not None:
        try:
            return escape(entry.kind.message(note))
        except Exception:
            log.exception("plugin %s failed to describe a %s notification", entry.plugin_id, note.kind)
    return escape(_("You have a new notification."))


def describe_text(note: Any) -> str:
    """The same sentence as plain text (API, email)."""
    return describe(note).striptags()
