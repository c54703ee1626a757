"""A group's features: its owners and admins switch group-scope plugins on or off, and set
each one's per-group settings (a form generated from the plugin's ``group_settings_schema``).

Only plugins a site admin enabled site-wide are offered. Anyone else gets 404, as for
every group page they may not see. Blueprint ``group_plugins`` under ``/g/<slug>/plugins``.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import ValidationError

from core.forms import form_values
from core.groups.queries import load_group
from core.models import Group
from core.permissions import can_manage_group_plugins
from core.plugins import PluginInfo, get_plugins
from core.plugins import settings as plugin_settings
from core.plugins import state as plugin_state

bp = Blueprint("group_plugins", __name__, url_prefix="/g")


def _managed_group_or_404(slug: str) -> Group:
    context = load_group(slug, current_user)
    if context is None or not can_manage_group_plugins(current_user, context.group):
        abort(404)
    return context.group


def _offered_or_404(group: Group, plugin_id: str) -> PluginInfo:
    offered = {info.id: info for info, _on in get_plugins().group_features(group)}
    info = offered.get(plugin_id)
    if info is None:
        abort(404)
    return info


@bp.get("/<slug>/plugins")
def index(slug: str):
    group = _managed_group_or_404(slug)
    choices = get_plugins().group_features(group)
    configurable = {info.id for info, _on in choices if plugin_settings.group_settings_schema(info.id) is not None}
    return render_template("groups/plugins.html", group=group, choices=choices, configurable=configurable)


@bp.post("/<slug>/plugins/<plugin_id>")
def switch(slug: str, plugin_id: str):
    group = _managed_group_or_404(slug)
    info = _offered_or_404(group, plugin_id)
    enabled = _wants_on(request.form.get("enabled"))
    if plugin_state.set_group_enabled(plugin_id, group, enabled):
        if enabled:
            flash(_("%(name)s is on for this group.", name=info.meta.name), "success")
        else:
            flash(_("%(name)s is off for this group. Its data is kept.", name=info.meta.name), "success")
    return redirect(url_for("group_plugins.index", slug=group.slug))


def _wants_on(value: Any) -> bool:
    return str(value).lower() in ("1", "true", "on", "yes")


@bp.route("/<slug>/plugins/<plugin_id>/settings", methods=["GET", "POST"])
def settings(slug: str, plugin_id: str):
    """This group's own settings for a feature; invalid input is shown at its field, nothing saved."""
    group = _managed_group_or_404(slug)
    info = _offered_or_404(group, plugin_id)
    schema_cls = plugin_settings.group_settings_schema(plugin_id)
    if schema_cls is None:
        abort(404)
    errors: dict = {}
    values = schema_cls().dump(plugin_settings.get_group_settings(plugin_id, group))
    if request.method == "POST":
        values = form_values(request.form, schema_cls())
        try:
            plugin_settings.save_group_settings(plugin_id, group, values)
        except ValidationError as err:
            errors = err.messages if isinstance(err.messages, dict) else {"_schema": err.messages}
        else:
            flash(_("The settings of %(name)s for this group are saved.", name=info.meta.name), "success")
            return redirect(url_for("group_plugins.index", slug=group.slug))
    fields = plugin_settings.describe_schema(schema_cls())
    return render_template("groups/plugin_settings.html", group=group, info=info, fields=fields, values=values,
                           errors=errors), 422 if errors else 200
