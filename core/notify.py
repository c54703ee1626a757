"""Create in-app notifications and, for important kinds, queue an email.

Every notification goes through ``notify`` so the ``can_interact`` policy, the member's
email preferences and their language are respected in one place. Email goes out only to
a confirmed address, for a kind in ``EMAIL_KINDS`` the member has not switched off, rendered
from ``email/<kind>.subject.txt|.txt|.html`` in the member's language. Templates get
``user``, ``actor``, ``group``, ``data``, ``url`` and ``settings_url`` (absolute links).
"""
from __future__ import annotations

from typing import Any

from flask import current_app, has_request_context, render_template, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from core.extensions import db
from core.models import Notification, NotificationPreference, User
from core.outbox import enqueue

# kind -> sends email by default (members can switch each off)
EMAIL_KINDS = {
    "join_request": True,
    "request_approved": True,
    "request_denied": True,
    "post_reply": True,
    "invitation": True,
}
# Core's own kinds; EMAIL_KINDS grows as plugins register theirs (active only where enabled).
CORE_EMAIL_KINDS = tuple(EMAIL_KINDS)
# What the preferences page and API call each kind.
EMAIL_KIND_LABELS = {
    "join_request": _l("Someone asks to join a group you manage"),
    "request_approved": _l("Your request to join a group is approved"),
    "request_denied": _l("Your request to join a group is declined"),
    "post_reply": _l("Someone comments on your post"),
    "invitation": _l("Someone invites you to a group"),
}
KINDS = ("join_request", "request_approved", "request_denied", "post_reply", "invitation", "role_changed",
         "removed_from_group", "erasure_failed")
# Plugins' email kinds: where their templates live, and the plugin they belong to (their kinds are
# left off the preferences while that plugin is disabled).
EMAIL_TEMPLATES: dict[str, str] = {}
EMAIL_KIND_PLUGINS: dict[str, str] = {}


def register_email_kind(kind: str, label: Any, *, plugin_id: str, default: bool = True,
                        templates: str | None = None) -> None:
    """A plugin adds an email kind (call it from ``register_blueprints``); idempotent.

    Its mail is rendered from ``<templates>.subject.txt|.txt|.html``, by default
    ``<plugin_id>/email/<kind>`` inside the plugin's own template folder.
    """
    EMAIL_KINDS[kind] = default
    EMAIL_KIND_LABELS[kind] = label
    EMAIL_KIND_PLUGINS[kind] = plugin_id
    EMAIL_TEMPLATES[kind] = templates or f"{plugin_id}/email/{kind}"


def _kind_active(kind: str) -> bool:
    from core.plugins import get_plugins

    plugin_id = EMAIL_KIND_PLUGINS.get(kind)
    return plugin_id is None or get_plugins().is_enabled(plugin_id)


def active_email_kinds() -> dict[str, bool]:
    """The email kinds a member can choose now (core's and enabled plugins'), each with its default."""
    return {kind: default for kind, default in EMAIL_KINDS.items() if _kind_active(kind)}


def email_kind_labels() -> dict[str, str]:
    """What the preferences page calls each active kind, in the current language."""
    return {kind: str(EMAIL_KIND_LABELS.get(kind, kind)) for kind in active_email_kinds()}


def email_preferences(user: User) -> dict[str, bool]:
    """Every active email kind with the member's choice (the default where they made none); one query."""
    rows = db.session.execute(
        db.select(NotificationPreference.kind, NotificationPreference.email_enabled)
        .where(NotificationPreference.user_id == user.id)
    ).all()
    chosen = {kind: bool(enabled) for kind, enabled in rows}
    return {kind: chosen.get(kind, default) for kind, default in active_email_kinds().items()}


def set_email_preferences(user: User, changes: dict[str, bool]) -> None:
    """Store choices for the given kinds (a row only where it differs from the default); caller commits."""
    rows = {
        pref.kind: pref
        for pref in db.session.scalars(
            db.select(NotificationPreference).where(NotificationPreference.user_id == user.id)
        )
    }
    active = active_email_kinds()
    for kind, enabled in changes.items():
        if kind not in active:
            raise KeyError(kind)
        row = rows.get(kind)
        if enabled == EMAIL_KINDS[kind]:
            if row is not None:
                db.session.delete(row)
        elif row is None:
            db.session.add(NotificationPreference(user_id=user.id, kind=kind, email_enabled=enabled))
        else:
            row.email_enabled = enabled


def email_enabled(user: User, kind: str) -> bool:
    if kind not in EMAIL_KINDS:
        return False
    pref = db.session.scalar(
        db.select(NotificationPreference.email_enabled).where(
            NotificationPreference.user_id == user.id, NotificationPreference.kind == kind
        )
    )
    return EMAIL_KINDS[kind] if pref is None else bool(pref)


def notify(user: User, kind: str, *, actor: User | None = None, group: Any = None, url: str | None = None,
           data: dict | None = None, bypass_policy: bool = False) -> Notification | None:
    """Notify ``user``; returns None when policy forbids ``actor`` reaching them.

    ``bypass_policy`` is for moderation notices, which must reach people who blocked a moderator.
    Nobody is notified about their own action.
    """
    from core.permissions import can_interact

    if actor is not None and actor.id == user.id:
        return None
    if actor is not None and not bypass_policy and not can_interact(actor, user):
        return None
    note = Notification(user_id=user.id, kind=kind, actor_id=actor.id if actor else None,
                        group_id=group.id if group is not None else None, url=url, data=data or {})
    db.session.add(note)
    if user.email_confirmed and email_enabled(user, kind):
        settings_url = _absolute(_path_for("notifications.settings") + f"#kind-{kind}")
        with force_locale(user.locale):
            context = {"user": user, "actor": actor, "group": group, "data": data or {}, "kind": kind,
                       "site_name": current_app.config["SITE_NAME"], "url": _absolute(url),
                       "settings_url": settings_url}
            base = EMAIL_TEMPLATES.get(kind, f"email/{kind}")
            subject = " ".join(render_template(f"{base}.subject.txt", **context).split())
            text = render_template(f"{base}.txt", **context)
            html = render_template(f"{base}.html", **context)
        enqueue(user.email, subject, text, html)
    return note


def _path_for(endpoint: str, **values: Any) -> str:
    """``url_for`` that also works outside a request (CLI jobs, seeding)."""
    if has_request_context():
        return url_for(endpoint, **values)
    return current_app.url_map.bind("localhost").build(endpoint, values)


def _absolute(url: str | None) -> str | None:
    """Links in mail point at the public site address, whatever host served the request."""
    if not url or url.startswith(("http://", "https://")):
        return url
    return current_app.config["SITE_URL"].rstrip("/") + url
