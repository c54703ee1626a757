"""Core's own notification kinds (the sentence each one reads as) and email kinds.

Declared through core's ``register_notification_kinds`` and ``register_email_kinds``
implementations, exactly as a plugin declares its own. Sentences are built when a
notification is shown, in the reader's language, from what was stored: the actor, the group
and ``data`` (e.g. the new ``role``). Names are escaped and emphasised.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from core.plugins.specs import EmailKind, NotificationKind

ROLE_LABELS = {
    "owner": _l("owner"),
    "admin": _l("admin"),
    "moderator": _l("moderator"),
    "member": _l("member"),
}


def _strong(value: Any) -> Markup:
    return Markup("<strong>%s</strong>") % value


def _actor(note: Any) -> Markup:
    return _strong(note.actor.display_name if note.actor is not None else _("Someone"))


def _group(note: Any) -> Markup:
    return _strong(note.group.name if note.group is not None else _("a group"))


def _role(note: Any) -> Markup:
    role = (note.data or {}).get("role")
    return _strong(str(ROLE_LABELS.get(role, role or "")))


def _sentence(gettext_template: Callable[[], str]) -> Callable[[Any], Markup]:
    """A message function filling ``%(actor)s``, ``%(group)s`` and ``%(role)s`` of a sentence."""

    def message(note: Any) -> Markup:
        return Markup(escape(gettext_template())) % {"actor": _actor(note), "group": _group(note),
                                                     "role": _role(note)}

    return message


def _erasure_failed(note: Any) -> Markup:
    """To site admins: a plugin kept a member's account deletion from happening (see core.privacy)."""
    data = note.data or {}
    plugin = _strong(data.get("plugin_name") or data.get("plugin") or "?")
    return Markup(escape(_("A member could not delete their account: the feature %(plugin)s failed to erase its "
                           "part, so nothing was deleted. See the server log and fix or disable it."))) % {
        "plugin": plugin}


def core_notification_kinds() -> list[NotificationKind]:
    return [
        NotificationKind("join_request", _sentence(lambda: _("%(actor)s asked to join %(group)s."))),
        NotificationKind("request_approved", _sentence(lambda: _("Your request to join %(group)s was approved."))),
        NotificationKind("request_denied", _sentence(lambda: _("Your request to join %(group)s was declined."))),
        NotificationKind("post_reply", _sentence(lambda: _("%(actor)s commented on your post in %(group)s."))),
        NotificationKind("comment_reply", _sentence(lambda: _("%(actor)s replied to your comment in %(group)s."))),
        NotificationKind("mention", _sentence(lambda: _("%(actor)s mentioned you in %(group)s."))),
        NotificationKind("new_post", _sentence(lambda: _("%(actor)s wrote a new post in %(group)s."))),
        NotificationKind("invitation", _sentence(lambda: _("%(actor)s invited you to join %(group)s."))),
        NotificationKind("role_changed", _sentence(lambda: _("Your role in %(group)s is now %(role)s."))),
        NotificationKind("removed_from_group", _sentence(lambda: _("You were removed from %(group)s."))),
        NotificationKind("erasure_failed", _erasure_failed),
    ]


def core_email_kinds() -> list[EmailKind]:
    return [
        EmailKind("join_request", label=_l("Someone asks to join a group you manage")),
        EmailKind("request_approved", label=_l("Your request to join a group is approved")),
        EmailKind("request_denied", label=_l("Your request to join a group is declined")),
        EmailKind("post_reply", label=_l("Someone comments on your post")),
        EmailKind("comment_reply", label=_l("Someone replies to your comment")),
        EmailKind("mention", label=_l("Someone mentions you")),
        EmailKind("new_post", label=_l("A new post in a group you watch")),
        EmailKind("invitation", label=_l("Someone invites you to a group")),
        # The digest is chosen on its own (daily, weekly or off), not as an email kind.
        EmailKind("digest"),
        # Account mail: always sent, not a setting.
        EmailKind("confirm"),
        EmailKind("password_reset"),
        EmailKind("password_changed"),
        EmailKind("email_change"),
        EmailKind("email_change_notice"),
        EmailKind("email_in_use"),
    ]
