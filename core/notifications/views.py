"""In-app notifications and per-kind email preferences (pages; the API is core/api/notifications.py)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from marshmallow import ValidationError

from core.extensions import db
from core.groups import keyset
from core.notifications import inbox
from core.notifications.describe import describe
from core.notifications.preferences import email_kind_labels, email_preferences, set_email_preferences
from core.schemas.error_messages import field_errors
from core.schemas.notifications import EmailPreferencesSchema

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.get("/")
@login_required
def index():
    """Newest first, keyset-paged (``?before=``); ``?unread=1`` shows only unread ones."""
    unread_only = request.args.get("unread") == "1"
    try:
        found = inbox.page(current_user, before=request.args.get("before") or None, unread_only=unread_only)
    except keyset.BadCursor:
        abort(400)
    return render_template("notifications/index.html", page=found, unread_only=unread_only, describe=describe)


@bp.post("/<int:notification_id>/read")
@login_required
def mark_read(notification_id: int):
    note = inbox.get_own(current_user, notification_id)
    if note is None:
        abort(404)
    inbox.mark_read(note)
    db.session.commit()
    return redirect(_back())


@bp.post("/read-all")
@login_required
def mark_all_read():
    marked = inbox.mark_all_read(current_user)
    db.session.commit()
    if marked:
        flash(_("All notifications are marked as read."), "success")
    return redirect(_back())


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    """One checkbox per kind of email; unchecked means no email (the in-app notification stays)."""
    errors: dict = {}
    values = email_preferences(current_user)
    if request.method == "POST":
        submitted = {"email": {kind: kind in request.form for kind in values}}
        try:
            data = EmailPreferencesSchema().load(submitted)
        except ValidationError as err:
            errors = field_errors(err).get("email", {})
        else:
            set_email_preferences(current_user, data["email"])
            db.session.commit()
            flash(_("Your email settings are saved."), "success")
            return redirect(url_for("notifications.settings"))
    return render_template("notifications/settings.html", values=values, errors=errors, labels=email_kind_labels(),
                           email_confirmed=current_user.email_confirmed)


@bp.post("/digest")
@login_required
def digest_setting():
    """Off, a daily or a weekly summary of new posts in one's groups (sent by ``core.groups.digest``)."""
    from core.groups import digest

    choice = request.form.get("digest", "")
    if choice not in digest.FREQUENCIES:
        flash(_("Choose off, daily or weekly."), "error")
    else:
        digest.set_frequency(current_user, choice)
        flash({"off": _("You will get no summary emails."),
               "daily": _("You will get a summary of new posts every day."),
               "weekly": _("You will get a summary of new posts every week.")}[choice], "success")
    return redirect(url_for("notifications.settings", _anchor="digest"))


def _back() -> str:
    """Return to the list page the form was on (a local path only)."""
    target = request.form.get("next", "")
    if target.startswith("/notifications") and not target.startswith("//"):
        return target
    return url_for("notifications.index")
