"""Page action: how much a member hears from a group (watching, normal, muted), set on its page."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from core.groups import bp, following
from core.groups.loading import group_or_404


@bp.post("/<slug>/notifications")
@login_required
def notify_level(slug: str):
    context = group_or_404(slug)
    if context.membership is None:
        abort(404)
    level = request.form.get("level", "")
    if level not in following.NOTIFY_LEVELS:
        flash(_("Choose watching, normal or muted."), "error")
    else:
        following.set_level(context.membership, level)
        flash({"watching": _("You are watching this group: every new post is sent to you."),
               "normal": _("You hear about replies to you and mentions of you in this group."),
               "muted": _("This group is muted: it sends you no notifications.")}[level], "success")
    return redirect(url_for("groups.group", slug=slug))
