"""A group's features: its owners and admins switch group-scope plugins on or off.

Only plugins a site admin enabled site-wide are offered. Anyone else gets 404, as for
every group page they may not see. Blueprint ``group_plugins`` under ``/g/<slug>/plugins``.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core.groups.queries import load_group
from core.models import Group
from core.permissions import can_manage_group_plugins
from core.plugins import get_plugins
from core.plugins import state as plugin_state

bp = Blueprint("group_plugins", __name__, url_prefix="/g")


def _managed_group_or_404(slug: str) -> Group:
    context = load_group(slug, current_user)
    if context is None or not can_manage_group_plugins(current_user, context.group):
        abort(404)
    return context.group


@bp.get("/<slug>/plugins")
def index(slug: str):
    group = _managed_group_or_404(slug)
    return render_template("groups/plugins.html", group=group, choices=get_plugins().group_features(group))


@bp.post("/<slug>/plugins/<plugin_id>")
def switch(slug: str, plugin_id: str):
    group = _managed_group_or_404(slug)
    offered = {info.id: info for info, _on in get_plugins().group_features(group)}
    info = offered.get(plugin_id)
    if info is None:
        abort(404)
    enabled = _wants_on(request.form.get("enabled"))
    if plugin_state.set_group_enabled(plugin_id, group, enabled):
        if enabled:
            flash(_("%(name)s is on for this group.", name=info.meta.name), "success")
        else:
            flash(_("%(name)s is off for this group. Its data is kept.", name=info.meta.name), "success")
    return redirect(url_for("group_plugins.index", slug=group.slug))


def _wants_on(value: Any) -> bool:
    return str(value).lower() in ("1", "true", "on", "yes")
