"""First-run setup: the first site admin names the site, describes it, gives it a logo, picks its
default language and the features to start with. Shown once: saving or skipping ends it; the
same form stays at /admin/setup for later changes. Site admins only; others get 404."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core.extensions import db
from core.forms import load_form
from core.permissions import is_site_admin
from core.plugins import get_plugins
from core.plugins import state as plugin_state
from core.schemas.site import SiteSetupSchema
from core.site_profile import save_profile, site_identity
from core.storage import ImageRejected, delete_file, store_image

bp = Blueprint("setup", __name__, url_prefix="/admin/setup")
LOGO_SIDE = 256


@bp.before_request
def _site_admins_only():
    if not is_site_admin(current_user):
        abort(404)


def _form_values() -> dict:
    site = site_identity()
    plugins = get_plugins()
    return {"name": site.name, "description": site.description, "default_locale": site.default_locale,
            "plugins": [status.id for status in plugins.statuses() if status.enabled]}


def _render(values: dict, errors: dict, status: int = 200):
    languages = [(code, _language_name(code)) for code in current_app.config["LANGUAGES"]]
    return render_template("admin/setup.html", values=values, errors=errors, languages=languages,
                           statuses=get_plugins().statuses(), first_run=not site_identity().configured), status


def _language_name(code: str) -> str:
    from babel import Locale

    return Locale.parse(code).get_display_name(code).capitalize()


@bp.get("/")
def form():
    return _render(_form_values(), {})


@bp.post("/")
def save():
    data, errors, values = load_form(SiteSetupSchema(), request.form)
    installed = {status.id for status in get_plugins().statuses()}
    if data is not None and not set(data["plugins"]) <= installed:
        data, errors = None, {**errors, "plugins": [_("Choose among the features offered.")]}
    upload = request.files.get("logo")
    logo = None
    if data is not None and upload is not None and upload.filename:
        try:
            logo = store_image(upload, max_side=LOGO_SIDE)
        except ImageRejected as rejected:
            data, errors = None, {"logo": [str(rejected.message)]}
    if data is None:
        values.setdefault("plugins", [])
        return _render(values, errors, 422)
    fields = {"name": data["name"].strip(), "description": data["description"].strip(),
              "default_locale": data["default_locale"]}
    if logo is not None or request.form.get("remove_logo"):
        old = site_identity().logo_key
        fields["logo_key"] = logo.key if logo is not None else None
        if old and old != fields["logo_key"]:
            delete_file(old)
    for plugin_id in installed:
        plugin_state.set_enabled(plugin_id, plugin_id in data["plugins"], commit=False)
    save_profile(**fields)
    db.session.commit()
    flash(_("Your site is set up. You can change these choices here at any time."), "success")
    return redirect(url_for("admin.index"))


@bp.post("/skip")
def skip():
    save_profile(skipped=True)
    db.session.commit()
    flash(_("Setup skipped. You find it under Administration whenever you want it."), "info")
    return redirect(url_for("web.index"))
