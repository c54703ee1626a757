"""One human sentence per notification, in the reader's language, built when it is shown.

Sentences are made at display time (not stored) so they follow the reader's current language
and a renamed group or person. Names are HTML-escaped; ``describe_text`` gives the plain text
for the API.
"""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

ROLE_LABELS = {
    "owner": _l("owner"),
    "admin": _l("admin"),
    "moderator": _l("moderator"),
    "member": _l("member"),
}


def _sentences() -> dict[str, str]:
    return {
        "join_request": _("%(actor)s asked to join %(group)s."),
        "request_approved": _("Your request to join %(group)s was approved."),
        "request_denied": _("Your request to join %(group)s was declined."),
        "post_reply": _("%(actor)s commented on your post in %(group)s."),
        "invitation": _("%(actor)s invited you to join %(group)s."),
        "role_changed": _("Your role in %(group)s is now %(role)s."),
        "removed_from_group": _("You were removed from %(group)s."),
        "erasure_failed": _("A member could not delete their account: the feature %(plugin)s failed to erase its "
                            "part, so nothing was deleted. See the server log and fix or disable it."),
    }


def _parts(note: Any) -> dict[str, str]:
    data = note.data or {}
    role = data.get("role")
    return {
        "actor": note.actor.display_name if note.actor is not None else _("Someone"),
        "group": note.group.name if note.group is not None else _("a group"),
        "role": str(ROLE_LABELS.get(role, role or "")),
        "plugin": str(data.get("plugin_name") or data.get("plugin") or ""),
    }


def describe(note: Any) -> Markup:
    """The sentence as HTML, names in ``<strong>``; unknown kinds (plugins) use ``data["text"]``."""
    template = _sentences().get(note.kind)
    if template is None:
        return escape((note.data or {}).get("text") or _("You have a new notification."))
    parts = {key: Markup("<strong>%s</strong>") % value for key, value in _parts(note).items()}
    return Markup(escape(template)) % parts


def describe_text(note: Any) -> str:
    """The same sentence as plain text (API, email previews)."""
    template = _sentences().get(note.kind)
    if template is None:
        return str((note.data or {}).get("text") or _("You have a new notification."))
    return template % _parts(note)
