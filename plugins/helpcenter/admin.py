"""Site admins keep the directory right: add, edit, retire entries; see usage statistics.

Everyone else gets 404, so the pages' existence is not revealed.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from core.plugin_api import country_choices, db, is_site_admin, load_form, utcnow
from plugins.helpcenter.directory import site_country
from plugins.helpcenter.editing import apply_emergency_number, apply_helpline, helpline_form_values
from plugins.helpcenter.models import EmergencyNumber, Helpline
from plugins.helpcenter.schemas import EmergencyNumberSchema, helpline_schema
from plugins.helpcenter.topics import TOPICS
from plugins.helpcenter.usage import MIN_SHOWN, weekly_stats

bp = Blueprint("helpcenter_admin", __name__, url_prefix="/admin/helpcenter", template_folder="templates")


@bp.before_request
def _site_admins_only():
    if not is_site_admin(current_user):
        abort(404)


def _country_options() -> tuple[tuple[str, str], ...]:
    return country_choices(str(get_locale() or "en"))


def _languages() -> tuple[str, ...]:
    return tuple(current_app.config["LANGUAGES"])


def _helpline_or_404(helpline_id: int) -> Helpline:
    helpline = db.session.get(Helpline, helpline_id, options=[selectinload(Helpline.channels)])
    if helpline is None:
        abort(404)
    return helpline


@bp.get("/")
def directory():
    helplines = list(db.session.scalars(
        db.select(Helpline).options(selectinload(Helpline.channels))
        .order_by(Helpline.retired_at.is_not(None), Helpline.country, Helpline.name)
    ))
    numbers = list(db.session.scalars(db.select(EmergencyNumber).order_by(EmergencyNumber.country)))
    return render_template("helpcenter/admin/directory.html", helplines=helplines, numbers=numbers)


def _helpline_form(helpline: Helpline | None, values: dict, errors: dict, status: int = 200):
    return render_template(
        "helpcenter/admin/helpline_form.html", helpline=helpline, values=values, errors=errors,
        languages=_languages(), topics=TOPICS, country_options=_country_options(),
    ), status


def _save_helpline(helpline: Helpline | None):
    schema = helpline_schema(_languages())()
    data, errors, values = load_form(schema, request.form)
    if errors:
        return _helpline_form(helpline, values, errors, status=400)
    created = helpline is None
    helpline = apply_helpline(helpline or Helpline(), data)
    db.session.commit()
    flash(_("“%(name)s” was added.", name=helpline.name) if created
          else _("“%(name)s” was saved.", name=helpline.name))
    return redirect(url_for(".directory"))


@bp.route("/helplines/new", methods=["GET", "POST"])
def new_helpline():
    if request.method == "POST":
        return _save_helpline(None)
    values = {"country": site_country(), "topics": []}
    return _helpline_form(None, values, {})


@bp.route("/helplines/<int:helpline_id>/edit", methods=["GET", "POST"])
def edit_helpline(helpline_id: int):
    helpline = _helpline_or_404(helpline_id)
    if request.method == "POST":
        return _save_helpline(helpline)
    return _helpline_form(helpline, helpline_form_values(helpline, list(_languages())), {})


@bp.post("/helplines/<int:helpline_id>/retire")
def retire_helpline(helpline_id: int):
    """Retired entries disappear from /help and other plugins but stay in the directory for the record."""
    helpline = _helpline_or_404(helpline_id)
    if helpline.retired_at is None:
        helpline.retired_at = utcnow()
        db.session.commit()
    flash(_("“%(name)s” was retired and is no longer shown.", name=helpline.name))
    return redirect(url_for(".directory"))


@bp.post("/helplines/<int:helpline_id>/restore")
def restore_helpline(helpline_id: int):
    helpline = _helpline_or_404(helpline_id)
    if helpline.retired_at is not None:
        helpline.retired_at = None
        db.session.commit()
    flash(_("“%(name)s” is shown again.", name=helpline.name))
    return redirect(url_for(".directory"))


def _emergency_form(number: EmergencyNumber | None, values: dict, errors: dict, status: int = 200):
    return render_template("helpcenter/admin/emergency_form.html", number=number, values=values,
                           errors=errors, country_options=_country_options()), status


@bp.route("/emergency/new", methods=["GET", "POST"])
@bp.route("/emergency/<country>/edit", methods=["GET", "POST"])
def edit_emergency(country: str | None = None):
    number = None
    if country is not None:
        number = db.session.get(EmergencyNumber, country.upper())
        if number is None:
            abort(404)
    if request.method == "GET":
        values = {"country": site_country(), "number": ""}
        if number is not None:
            values = {"country": number.country, "number": number.number, "source_name": number.source_name,
                      "source_url": number.source_url or "",
                      "verified_on": number.verified_on.isoformat() if number.verified_on else ""}
        return _emergency_form(number, values, {})
    data, errors, values = load_form(EmergencyNumberSchema(), request.form)
    if not errors and number is None and db.session.get(EmergencyNumber, data["country"]) is not None:
        errors = {"country": [_("This country already has an emergency number; edit it instead.")]}
    if not errors and number is not None and data["country"] != number.country:
        errors = {"country": [_("The country of an emergency number cannot be changed.")]}
    if errors:
        return _emergency_form(number, values, errors, status=400)
    apply_emergency_number(number or EmergencyNumber(country=data["country"]), data)
    db.session.commit()
    flash(_("The emergency number for %(country)s was saved.", country=data["country"]))
    return redirect(url_for(".directory"))


@bp.get("/stats")
def stats():
    rows, next_before = weekly_stats(request.args.get("before") or None)
    return render_template("helpcenter/admin/stats.html", rows=rows, next_before=next_before, min_shown=MIN_SHOWN)
