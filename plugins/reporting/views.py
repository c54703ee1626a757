"""Member pages: report something, see what became of my reports, blocks, decisions and appeals."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from core.plugin_api import Group, User, db, load_form
from plugins.reporting import appeals, blocks
from plugins.reporting.categories import (
    CATEGORIES,
    OUTCOMES,
    SELF_HARM,
    case_title,
    item_label,
    priority_label,
    priority_level,
    result_label,
)
from plugins.reporting.content import load_visible_item
from plugins.reporting.links import token_matches
from plugins.reporting.models import Decision, Report
from plugins.reporting.permissions import can_block_by_id, can_read_decision
from plugins.reporting.reports import (
    SNAPSHOT_MAX,
    AlreadyReported,
    ReportError,
    existing_report,
    file_report,
    group_rules,
    support_resources,
)
from plugins.reporting.schemas import NOTE_MAX, AppealSchema, ReportSchema

bp = Blueprint("reporting", __name__, template_folder="templates", static_folder="static",
               static_url_path="/reporting/static")


@bp.app_context_processor
def _reporting_helpers() -> dict:
    return {"reporting_item_label": item_label, "reporting_result_label": result_label,
            "reporting_case_title": case_title, "reporting_priority_level": priority_level,
            "reporting_priority_label": priority_label}


@bp.app_template_filter("reporting_upper_first")
def _upper_first(text: str) -> str:
    """Capitalise the first letter only (Jinja's ``capitalize`` would lower-case German nouns)."""
    text = str(text)
    return text[:1].upper() + text[1:]


# --- reporting --------------------------------------------------------------------------------


@bp.route("/report/<content_type>/<int:content_id>", methods=["GET", "POST"])
@login_required
def report(content_type: str, content_id: int):
    """The report form; unknown or invisible items are a 404 (their existence is not revealed)."""
    user = current_user._get_current_object()
    item = load_visible_item(content_type, content_id, user)
    if item is None:
        abort(404)
    found = existing_report(user, content_type, content_id)
    if found is not None:
        status = 409 if request.method == "POST" else 200
        return render_template("reporting/already_reported.html", report=found), status
    group = db.session.get(Group, item.group_id) if item.group_id is not None else None
    context = {"item": item, "item_html": item.snapshot_html(SNAPSHOT_MAX), "group": group,
               "rules": group_rules(group), "categories": CATEGORIES, "note_max": NOTE_MAX, "general_error": None}
    if request.method == "GET":
        return render_template("reporting/report_form.html", errors={}, values={}, **context)
    data, errors, values = load_form(ReportSchema(), request.form)
    status = 422
    if data is not None:
        try:
            filed = file_report(user, item, data)
            db.session.commit()
        except AlreadyReported as err:
            db.session.rollback()
            return render_template("reporting/already_reported.html", report=err.report), 409
        except ReportError as err:
            db.session.rollback()
            status = err.status
            if err.field:
                errors = {err.field: [err.message]}
            else:
                context["general_error"] = err.message
        except IntegrityError:  # a double submit raced us: the first one counts
            db.session.rollback()
            found = existing_report(user, content_type, content_id)
            return render_template("reporting/already_reported.html", report=found), 409
        else:
            flash(_("Thank you. Your report was sent to the moderators."), "success")
            return redirect(url_for("reporting.report_status", report_id=filed.id))
    return render_template("reporting/report_form.html", errors=errors, values=values, **context), status


def _own_report(report_id: int) -> Report:
    report = db.session.scalar(select(Report).options(joinedload(Report.case)).where(
        Report.id == report_id, Report.reporter_id == current_user.id))
    if report is None:
        abort(404)
    return report


@bp.get("/reports/<int:report_id>")
@login_required
def report_status(report_id: int):
    """What became of my report; a self-harm concern shows help straight away."""
    report = _own_report(report_id)
    resources = support_resources(current_user) if report.category == SELF_HARM else []
    return render_template("reporting/report_status.html", report=report, case=report.case, resources=resources,
                           categories=CATEGORIES, outcomes=OUTCOMES)


@bp.get("/reports")
@login_required
def my_reports():
    reports = list(db.session.scalars(select(Report).options(joinedload(Report.case))
                                      .where(Report.reporter_id == current_user.id)
                                      .order_by(Report.id.desc()).limit(200)))
    return render_template("reporting/my_reports.html", reports=reports, categories=CATEGORIES, outcomes=OUTCOMES)


@bp.get("/care")
def care():
    """Help resources, shown to someone others are worried about (and to anyone who looks)."""
    return render_template("reporting/care.html", resources=support_resources(current_user))


# --- blocks -----------------------------------------------------------------------------------


@bp.get("/blocks")
@login_required
def block_list():
    return render_template("reporting/blocks.html", blocks=blocks.blocks_of(current_user), errors={}, values={})


@bp.get("/blocks/confirm/<int:user_id>")
@login_required
def block_confirm(user_id: int):
    target = db.session.get(User, user_id)
    if not can_block_by_id(current_user, target):
        abort(404)
    return render_template("reporting/block_confirm.html", target=target,
                           already=blocks.has_blocked(current_user.id, target.id))


@bp.post("/blocks")
@login_required
def block():
    """Block by username (from the blocks page) or by id (from a profile or content menu)."""
    user = current_user._get_current_object()
    username = (request.form.get("username") or "").strip().lstrip("@").lower()
    user_id = request.form.get("user_id", type=int)
    if user_id is not None:
        target = db.session.get(User, user_id)
        if target is not None and target.id != user.id and not can_block_by_id(user, target):
            abort(404)
    elif username:
        target = db.session.scalar(select(User).where(User.username == username))
    else:
        return _blocks_error({"username": [_("Enter the username of the person to block.")]}, username, 422)
    if target is None:
        if user_id is not None:
            abort(404)
        return _blocks_error({"username": [_("Nobody has that username.")]}, username, 404)
    # Someone hidden from you is named by the username you typed, never by their display name.
    name = target.display_name if can_block_by_id(user, target) else "@" + target.username
    try:
        blocks.block(user, target)
    except blocks.BlockingSelf:
        return _blocks_error({"username": [_("You cannot block yourself.")]}, username, 422)
    db.session.commit()
    flash(_("You blocked %(name)s. You will not see each other's posts, comments or profile.", name=name),
          "success")
    return redirect(url_for("reporting.block_list"))


def _blocks_error(errors: dict, username: str, status: int):
    return render_template("reporting/blocks.html", blocks=blocks.blocks_of(current_user), errors=errors,
                           values={"username": username}), status


@bp.post("/blocks/<int:user_id>/delete")
@login_required
def unblock(user_id: int):
    target = db.session.get(User, user_id)
    if target is None or not blocks.unblock(current_user, target):
        abort(404)
    db.session.commit()
    flash(_("You unblocked %(name)s.", name=target.display_name), "success")
    return redirect(url_for("reporting.block_list"))


# --- decisions and appeals (the person a decision is about) -----------------------------------


def _decision_for_reader(decision_id: int) -> tuple[Decision, str | None]:
    """The affected person logged in, or holding a signed link (a suspended account cannot log in)."""
    decision = db.session.scalar(select(Decision).options(joinedload(Decision.case), joinedload(Decision.appeal),
                                                          joinedload(Decision.group))
                                 .where(Decision.id == decision_id))
    if decision is None:
        abort(404)
    token = request.args.get("t") or request.form.get("t")
    if can_read_decision(current_user, decision):
        return decision, None
    if token_matches(token, decision):
        return decision, token
    abort(404)


@bp.get("/decisions/<int:decision_id>")
def decision(decision_id: int):
    found, token = _decision_for_reader(decision_id)
    return _decision_page(found, token, {}, {})


def _decision_page(found: Decision, token: str | None, errors: dict, values: dict, status: int = 200):
    return render_template("reporting/decision.html", decision=found, token=token, errors=errors, values=values,
                           can_appeal=appeals.can_appeal(found), deadline=appeals.appeal_deadline(found),
                           appeal_max=2000), status


@bp.post("/decisions/<int:decision_id>/appeal")
def appeal(decision_id: int):
    found, token = _decision_for_reader(decision_id)
    data, errors, values = load_form(AppealSchema(), request.form)
    if data is None:
        return _decision_page(found, token, errors, values, 422)
    try:
        appeals.file_appeal(db.session.get(User, found.target_user_id), found, data["text"])
    except appeals.AppealError as err:
        db.session.rollback()
        return _decision_page(found, token, {"text": [err.message]}, values, err.status)
    db.session.commit()
    flash(_("Your appeal was sent. A different moderator will review the decision."), "success")
    return redirect(url_for("reporting.decision", decision_id=found.id, t=token) if token
                    else url_for("reporting.decision", decision_id=found.id))
