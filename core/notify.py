"""Create in-app notifications and, for important kinds, queue an email.

Every notification goes through ``notify`` so the ``can_interact`` policy, the member's
email preferences and their language are respected in one place.
"""
from __future__ import annotations

from typing import Any

from flask import render_template, url_for
from flask_babel import force_locale

from core.extensions import db
from core.models import Notification, NotificationPreference, User
from core.outbox import enqueue

# kind -> sends email by default (members can switch each off)
EMAIL_KINDS = {
    "join_request": True,
    "request_approved": True,
    "post_reply": True,
    "invitation": True,
}
KINDS = ("join_request", "request_approved", "request_denied", "post_reply", "invitation", "role_changed",
         "removed_from_group")


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
    """
    from core.permissions import can_interact

    if actor is not None and not bypass_policy and not can_interact(actor, user):
        return None
    note = Notification(user_id=user.id, kind=kind, actor_id=actor.id if actor else None,
                        group_id=group.id if group is not None else None, url=url, data=data or {})
    db.session.add(note)
    if user.email_confirmed and email_enabled(user, kind):
        with force_locale(user.locale):
            context = {"user": user, "actor": actor, "group": group, "data": data or {},
                       "url": _absolute(url), "settings_url": _absolute(url_for("notifications.settings"))}
            subject = render_template(f"email/{kind}.subject.txt", **context).strip()
            text = render_template(f"email/{kind}.txt", **context)
            html = render_template(f"email/{kind}.html", **context)
        enqueue(user.email, subject, text, html)
    return note


def _absolute(url: str | None) -> str | None:
    from flask import current_app

    if not url or url.startswith("http"):
        return url
    return current_app.config["SITE_URL"].rstrip("/") + url
