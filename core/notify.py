"""Create in-app notifications and, for important kinds, queue an email.

Every notification goes through ``notify`` so the ``can_interact`` policy, the member's
email preferences and their language are respected in one place. Email goes out only to
a confirmed address, for a kind in ``EMAIL_KINDS`` the member has not switched off, rendered
from ``email/<kind>.subject.txt|.txt|.html`` in the member's language. Templates get
``user``, ``actor``, ``group``, ``data``, ``url`` and ``settings_url`` (absolute links).
"""
from __future__ import annotations

from typing import Any

from flask import current_app, render_template, url_for
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
# What the preferences page and API call each kind.
EMAIL_KIND_LABELS = {
    "join_request": _l("Someone asks to join a group you manage"),
    "request_approved": _l("Your request to join a group is approved"),
    "request_denied": _l("Your request to join a group is declined"),
    "post_reply": _l("Someone comments on your post"),
    "invitation": _l("Someone invites you to a group"),
}
KINDS = ("join_request", "request_approved", "request_denied", "post_reply", "invitation", "role_changed",
         "removed_from_group")


def email_preferences(user: User) -> dict[str, bool]:
    """Every email kind with the member's choice (the default where they made none); one query."""
    rows = db.session.execute(
        db.select(NotificationPreference.kind, NotificationPreference.email_enabled)
        .where(NotificationPreference.user_id == user.id)
    ).all()
    chosen = {kind: bool(enabled) for kind, enabled in rows}
    return {kind: chosen.get(kind, default) for kind, default in EMAIL_KINDS.items()}


def set_email_preferences(user: User, changes: dict[str, bool]) -> None:
    """Store choices for the given kinds (a row only where it differs from the default); caller commits."""
    rows = {
        pref.kind: pref
        for pref in db.session.scalars(
            db.select(NotificationPreference).where(NotificationPreference.user_id == user.id)
        )
    }
    for kind, enabled in changes.items():
        if kind not in EMAIL_KINDS:
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
        settings_url = _absolute(url_for("notifications.settings", _anchor=f"kind-{kind}"))
        with force_locale(user.locale):
            context = {"user": user, "actor": actor, "group": group, "data": data or {}, "kind": kind,
                       "site_name": current_app.config["SITE_NAME"], "url": _absolute(url),
                       "settings_url": settings_url}
            subject = " ".join(render_template(f"email/{kind}.subject.txt", **context).split())
            text = render_template(f"email/{kind}.txt", **context)
            html = render_template(f"email/{kind}.html", **context)
        enqueue(user.email, subject, text, html)
    return note


def _absolute(url: str | None) -> str | None:
    """Links in mail point at the public site address, whatever host served the request."""
    if not url or url.startswith(("http://", "https://")):
        return url
    return current_app.config["SITE_URL"].rstrip("/") + url
