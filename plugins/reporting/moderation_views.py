"""Moderator pages: queues, a case, decisions, notes, appeals and the audit log.

Anyone who may not use a queue gets a 404, exactly as for a queue that does not exist.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core.plugin_api import MAX_ID, Group, db, load_form
from plugins.reporting import appeals, audit, moderation, queue
from plugins.reporting.categories import ACTIONS, APPEAL_OUTCOMES, CATEGORIES, OUTCOMES
from plugins.reporting.models import Appeal, Decision
from plugins.reporting.permissions import can_decide_appeal, can_handle_case, can_use_queue, can_view_appeal
from plugins.reporting.reports import group_rules
from plugins.reporting.schemas import AppealDecisionSchema, DecisionSchema, NoteSchema

bp = Blueprint("reporting_mod", __name__, url_prefix="/moderation")

STATES = ("open", "resolved", "all")


def _queue_group(slug: str | None) -> Group | None:
    """The group (or None for the site queue) if the viewer may use its queue; 404 otherwise."""
    group = None
    if slug is not None:
        group = queue.group_with_membership(slug, current_user)
        if group is None:
            abort(404)
    if not can_use_queue(current_user, group):
        abort(404)
    return group


@bp.get("/")
@login_required
def index():
    queues = queue.queues_for(current_user)
    if not queues:
        abort(404)
    return render_template("reporting/mod/index.html", queues=queues)


@bp.get("/site", defaults={"slug": None})
@bp.get("/g/<slug>")
@login_required
def queue_page(slug: str | None):
    group = _queue_group(slug)
    state = request.args.get("state", "open")
    if state not in STATES:
        state = "open"
    rows, cursor = queue.list_cases(current_user, group, state, request.args.get("after"))
    return render_template("reporting/mod/queue.html", group=group, rows=rows, cursor=cursor, state=state,
                           states=STATES, categories=CATEGORIES, outcomes=OUTCOMES)


def _case_or_404(case_id: int):
    loaded = queue.load_case(case_id, current_user)
    if loaded is None or not can_handle_case(current_user, loaded[0]):
        abort(404)
    return loaded


def _case_page(case, hidden, errors=None, values=None, note_errors=None, status=200):
    detail = queue.case_detail(case, hidden)
    rules = group_rules(case.group)
    for report in detail.reports:
        if report.rule and report.rule not in rules:
            rules.append(report.rule)
    return render_template("reporting/mod/case.html", detail=detail, case=case, rules=rules,
                           actions=moderation.available_actions(current_user, case), action_labels=ACTIONS,
                           categories=CATEGORIES, outcomes=OUTCOMES, errors=errors or {}, values=values or {},
                           note_errors=note_errors or {}), status


@bp.get("/cases/<int:case_id>")
@login_required
def case(case_id: int):
    found, hidden = _case_or_404(case_id)
    return _case_page(found, hidden)


@bp.post("/cases/<int:case_id>/claim")
@login_required
def claim(case_id: int):
    found, _hidden = _case_or_404(case_id)
    if request.form.get("release"):
        moderation.unclaim(current_user, found)
        flash(_("You released this case."), "success")
    else:
        moderation.claim(current_user, found)
        flash(_("You claimed this case: other moderators see that you are on it."), "success")
    db.session.commit()
    return redirect(url_for("reporting_mod.case", case_id=found.id))


@bp.post("/cases/<int:case_id>/notes")
@login_required
def add_note(case_id: int):
    found, hidden = _case_or_404(case_id)
    data, errors, values = load_form(NoteSchema(), request.form)
    if data is None:
        return _case_page(found, hidden, note_errors=errors, values={"note_text": values.get("text", "")},
                          status=422)
    moderation.add_note(current_user, found, data["text"])
    db.session.commit()
    flash(_("Note added. Only moderators see it."), "success")
    return redirect(url_for("reporting_mod.case", case_id=found.id) + "#notes")


@bp.post("/cases/<int:case_id>/decide")
@login_required
def decide(case_id: int):
    found, hidden = _case_or_404(case_id)
    data, errors, values = load_form(DecisionSchema(), request.form)
    if data is not None:
        try:
            moderation.decide(current_user, found, data)
        except moderation.DecisionError as err:
            db.session.rollback()
            errors = {err.field: [err.message]}
        else:
            db.session.commit()
            flash(_("Decision saved. The people concerned have been told."), "success")
            back = url_for("reporting_mod.queue_page", slug=found.group.slug) if found.group is not None \
                else url_for("reporting_mod.queue_page")
            return redirect(back)
    found, hidden = _case_or_404(case_id)
    return _case_page(found, hidden, errors=errors, values=values, status=422)


# --- appeals ----------------------------------------------------------------------------------


@bp.get("/site/appeals", defaults={"slug": None})
@bp.get("/g/<slug>/appeals")
@login_required
def appeals_page(slug: str | None):
    group = _queue_group(slug)
    pending = appeals.pending_for(group.id if group is not None else None, current_user)
    return render_template("reporting/mod/appeals.html", group=group, appeals=pending)


def _appeal_or_404(appeal_id: int) -> Appeal:
    found = db.session.scalar(select(Appeal).options(
        joinedload(Appeal.decision).joinedload(Decision.case), joinedload(Appeal.decision).joinedload(Decision.group),
        joinedload(Appeal.decision).joinedload(Decision.moderator)).where(Appeal.id == appeal_id))
    if found is None or not can_view_appeal(current_user, found):
        abort(404)
    return found


def _appeal_page(found: Appeal, errors=None, values=None, status=200):
    return render_template("reporting/mod/appeal.html", appeal=found, decision=found.decision,
                           case=found.decision.case, may_decide=can_decide_appeal(current_user, found),
                           outcomes=APPEAL_OUTCOMES, action_labels=ACTIONS, errors=errors or {},
                           values=values or {}), status


@bp.route("/appeals/<int:appeal_id>", methods=["GET", "POST"])
@login_required
def appeal(appeal_id: int):
    found = _appeal_or_404(appeal_id)
    if request.method == "GET":
        return _appeal_page(found)
    data, errors, values = load_form(AppealDecisionSchema(), request.form)
    if data is None:
        return _appeal_page(found, errors, values, 422)
    try:
        appeals.decide_appeal(current_user, found, data["outcome"], data["response"],
                              moderation.decision_url(found.decision))
    except appeals.AppealError as err:
        db.session.rollback()
        return _appeal_page(_appeal_or_404(appeal_id), {"outcome": [err.message]}, values, err.status)
    db.session.commit()
    flash(_("Appeal decided. The person has been told."), "success")
    return redirect(url_for("reporting_mod.appeal", appeal_id=appeal_id))


# --- audit log --------------------------------------------------------------------------------


@bp.get("/audit", defaults={"slug": None})
@bp.get("/g/<slug>/audit")
@login_required
def audit_log(slug: str | None):
    """Group moderators see their group's entries; site admins see every entry here."""
    group = _queue_group(slug)
    everything = group is None
    before_id = request.args.get("before", type=int)
    if before_id is not None and not 1 <= before_id <= MAX_ID:
        abort(400)
    entries, before = audit.entries(current_user, group.id if group else None, everything=everything,
                                    before=before_id)
    return render_template("reporting/mod/audit.html", group=group, entries=entries, before=before,
                           action_labels=ACTIONS)
