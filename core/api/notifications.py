"""API: the caller's notifications and email preferences."""
from __future__ import annotations

from flask_smorest import Blueprint, abort

from core.api.access import not_found, require_user
from core.extensions import db
from core.groups import keyset
from core.notifications import inbox
from core.notifications.preferences import email_kind_labels, email_preferences, set_email_preferences
from core.schemas.notifications import (
    EmailPreferencesOutSchema,
    EmailPreferencesSchema,
    NotificationArgsSchema,
    NotificationPageSchema,
    NotificationSchema,
    ReadAllResultSchema,
)
from core.ui import unread_notifications

blp = Blueprint("api_notifications", __name__, url_prefix="/api/v1", description="notifications")

SECURITY = [{"bearerAuth": []}, {"cookieAuth": []}]


@blp.get("/notifications")
@blp.arguments(NotificationArgsSchema, location="query")
@blp.response(200, NotificationPageSchema)
@blp.doc(security=SECURITY)
def list_notifications(args: dict):
    """The caller's notifications, newest first (keyset-paged with ``before``)."""
    user = require_user()
    try:
        found = inbox.page(user, before=args["before"], limit=args["limit"], unread_only=args["unread"])
    except keyset.BadCursor:
        abort(422, message="Invalid cursor.", errors={"query": {"before": ["Invalid cursor."]}})
    return {"items": found.items, "next": found.next, "unread_count": unread_notifications()}


@blp.post("/notifications/<int:notification_id>/read")
@blp.response(200, NotificationSchema)
@blp.doc(security=SECURITY)
def mark_read(notification_id: int):
    """Mark one notification read; someone else's answers 404."""
    user = require_user()
    note = inbox.get_own(user, notification_id)
    if note is None:
        not_found("Notification not found.")
    inbox.mark_read(note)
    db.session.commit()
    return note


@blp.post("/notifications/read-all")
@blp.response(200, ReadAllResultSchema)
@blp.doc(security=SECURITY)
def mark_all_read():
    """Mark every unread notification read."""
    user = require_user()
    marked = inbox.mark_all_read(user)
    db.session.commit()
    return {"marked": marked}


@blp.get("/notifications/preferences")
@blp.response(200, EmailPreferencesOutSchema)
@blp.doc(security=SECURITY)
def get_preferences():
    """Which kinds of notification also send an email (true = email), and what each kind is called."""
    return _preferences(require_user())


@blp.put("/notifications/preferences")
@blp.arguments(EmailPreferencesSchema)
@blp.response(200, EmailPreferencesOutSchema)
@blp.doc(security=SECURITY)
def put_preferences(body: dict):
    """Change some or all kinds: ``{"email": {"post_reply": false}}``; kinds left out keep their setting."""
    user = require_user()
    set_email_preferences(user, body["email"])
    db.session.commit()
    return _preferences(user)


def _preferences(user) -> dict:
    return {"email": email_preferences(user), "labels": email_kind_labels()}
