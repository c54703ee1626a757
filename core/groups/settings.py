"""Page: a group's settings, for its admins and owners (plugins add sections via a slot)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.groups import bp, group_actions
from core.groups.errors import InvalidInput
from core.groups.group_form import group_values, load_group_form
from core.groups.loading import group_or_404, group_tabs
from core.permissions import can_admin_group
from core.schemas.groups import GroupSettingsSchema


@bp.route("/<slug>/settings", methods=["GET", "POST"])
@login_required
def settings(slug: str):
    context = group_or_404(slug)
    group = context.group
    if not can_admin_group(current_user, group):
        abort(404)
    values, errors = group_values(group), {}
    if request.method == "POST":
        data, errors, values = load_group_form(GroupSettingsSchema(), request.form)
        if data is not None:
            try:
                group_actions.update_group(current_user, group, data)
            except InvalidInput as error:
                errors = error.as_errors()
            else:
                flash(_("The group's settings are saved."), "success")
                return redirect(url_for("groups.settings", slug=slug))
    return render_template("groups/settings.html", context=context, group=group, tabs=group_tabs(context),
                           values=values, errors=errors), 422 if errors else 200
