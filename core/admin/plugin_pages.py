"""Site administration of plugins: list, enable/disable, settings form from the plugin's schema.

Its own blueprint (``admin_plugins``, under ``/admin/plugins``) so the admin dashboard's
module stays about users. Anyone but a site admin gets 404.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import Schema, ValidationError

from core.forms import form_values
from core.permissions import can_manage_plugins
from core.plugins import PluginStatus, get_plugins
from core.plugins import settings as plugin_settings
from core.plugins import state as plugin_state
from core.plugins.settings import describe_schema
from core.schemas.error_messages import field_errors

bp = Blueprint("admin_plugins", __name__, url_prefix="/admin/plugins")


@bp.before_request
def _site_admins_only() -> None:
    if not can_manage_plugins(current_user):
        abort(404)


def _status_or_404(plugin_id: str) -> PluginStatus:
    plugins = get_plugins()
    if plugin_id not in plugins.installed:
        abort(404)
    return plugins.status(plugin_id)


@bp.get("")
def index():
    plugins = get_plugins()
    return render_template("admin/plugins.html", statuses=plugins.statuses(), blocked=sorted(plugins.blocked),
                           failed=sorted(plugins.failed.items()))


@bp.get("/<plugin_id>")
def detail(plugin_id: str):
    status = _status_or_404(plugin_id)
    schema_cls = plugin_settings.settings_schema(plugin_id) if status.has_settings else None
    values = schema_cls().dump(plugin_settings.get_settings(plugin_id)) if schema_cls is not None else {}
    return _render_detail(status, schema_cls, values, {})


@bp.post("/<plugin_id>/settings")
def save_settings(plugin_id: str):
    status = _status_or_404(plugin_id)
    schema_cls = plugin_settings.settings_schema(plugin_id)
    if schema_cls is None:
        abort(404)
    values = form_values(request.form, schema_cls())
    try:
        plugin_settings.save_settings(plugin_id, values)
    except ValidationError as err:
        return _render_detail(status, schema_cls, values, field_errors(err)), 422
    flash(_("Settings for %(name)s are saved.", name=status.name), "success")
    return redirect(url_for("admin_plugins.detail", plugin_id=plugin_id))


@bp.post("/<plugin_id>/enable")
def enable(plugin_id: str):
    status = _status_or_404(plugin_id)
    if plugin_state.set_enabled(plugin_id, True):
        flash(_("%(name)s is enabled.", name=status.name), "success")
    return redirect(_back(plugin_id))


@bp.post("/<plugin_id>/disable")
def disable(plugin_id: str):
    status = _status_or_404(plugin_id)
    if plugin_state.set_enabled(plugin_id, False):
        flash(_("%(name)s is disabled. Its data is kept for when you enable it again.", name=status.name),
              "success")
    return redirect(_back(plugin_id))


def _render_detail(status: PluginStatus, schema_cls: type[Schema] | None, values: dict, errors: dict):
    fields = describe_schema(schema_cls()) if schema_cls is not None else []
    return render_template("admin/plugins_detail.html", status=status, fields=fields, values=values,
                           errors=errors, settings_broken=status.has_settings and schema_cls is None)


def _back(plugin_id: str) -> str:
    """Back to the list or the plugin's page, whichever the form was on."""
    if request.form.get("next") == "detail":
        return url_for("admin_plugins.detail", plugin_id=plugin_id)
    return url_for("admin_plugins.index")
