"""JSON API under /api/v1: reports, queues, cases, decisions, appeals, audit log, blocks.

Same schemas and services as the pages. Forbidden and unknown objects are both 404; errors
name the field at fault under ``errors.json``.
"""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint, abort
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from core.plugin_api import Group, User, db, not_found, require_user
from plugins.reporting import appeals, audit, blocks, moderation, queue
from plugins.reporting.categories import SELF_HARM, case_title, priority_level
from plugins.reporting.content import load_visible_item
from plugins.reporting.links import token_matches
from plugins.reporting.models import Appeal, Decision, Report
from plugins.reporting.permissions import (
    can_decide_appeal,
    can_handle_case,
    can_read_decision,
    can_use_queue,
    can_view_appeal,
)
from plugins.reporting.reports import AlreadyReported, ReportError, file_report, support_resources
from plugins.reporting.schemas import (
    AppealDecisionSchema,
    AppealOut,
    AppealSchema,
    AuditArgsSchema,
    AuditOut,
    BlockOut,
    BlockSchema,
    CaseDetailOut,
    CaseOut,
    CasePageOut,
    DecisionOut,
    DecisionSchema,
    GroupArgsSchema,
    ModeratorAppealOut,
    ModeratorDecisionOut,
    NoteOut,
    NoteSchema,
    QueueArgsSchema,
    ReportCreateSchema,
    ReportOut,
)

blp = Blueprint("reporting_api", __name__, url_prefix="/api/v1",
                description="Reporting & blocking: reports, moderation queues, decisions, appeals, blocks")


def _field_error(status: int, message: str, field: str | None = None) -> None:
    if field:
        abort(status, message=message, errors={"json": {field: [message]}})
    abort(status, message=message)


# --- reports ------------------------------------------------------------------------------------


def _report_out(report: Report) -> dict[str, Any]:
    case = report.case
    return {"id": report.id, "content_type": report.content_type, "content_id": report.content_id,
            "category": report.category, "note": report.note, "rule": report.rule, "created_at": report.created_at,
            "status": case.state, "outcome": case.outcome if not case.is_open else None,
            "support_resources": support_resources(current_user) if report.category == SELF_HARM else []}


@blp.route("/reports", methods=["POST"])
@blp.arguments(ReportCreateSchema)
@blp.response(201, ReportOut)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
@blp.alt_response(429, response="TOO_MANY_REQUESTS")
def create_report(data):
    """Report an item of any registered content type. A self-harm concern returns help resources."""
    user = require_user()
    item = load_visible_item(data["content_type"], data["content_id"], user)
    if item is None:
        not_found(_("No such item."))
    try:
        report = file_report(user, item, data)
        db.session.commit()
    except AlreadyReported:
        db.session.rollback()
        abort(409, message=_("You already reported this. Thank you: moderators will look at it."))
    except ReportError as err:
        db.session.rollback()
        _field_error(err.status, err.message, err.field)
    except IntegrityError:
        db.session.rollback()
        abort(409, message=_("You already reported this. Thank you: moderators will look at it."))
    return _report_out(report)


@blp.route("/reports", methods=["GET"])
@blp.response(200, ReportOut(many=True))
def list_reports():
    """Reports you made, newest first, with their outcome."""
    user = require_user()
    reports = db.session.scalars(select(Report).options(joinedload(Report.case))
                                 .where(Report.reporter_id == user.id).order_by(Report.id.desc()).limit(200))
    return [_report_out(r) for r in reports]


@blp.route("/reports/<int:report_id>", methods=["GET"])
@blp.response(200, ReportOut)
@blp.alt_response(404, response="NOT_FOUND")
def get_report(report_id: int):
    """One of your reports."""
    user = require_user()
    report = db.session.scalar(select(Report).options(joinedload(Report.case))
                               .where(Report.id == report_id, Report.reporter_id == user.id))
    if report is None:
        not_found()
    return _report_out(report)


# --- queues and cases ---------------------------------------------------------------------------


def _queue_group(slug: str | None) -> Group | None:
    user = require_user()
    group = None
    if slug:
        group = queue.group_with_membership(slug, user)
        if group is None:
            not_found()
    if not can_use_queue(user, group):
        not_found()
    return group


def _case_out(case, hidden: bool) -> dict[str, Any]:
    return {"id": case.id, "content_type": case.content_type, "content_id": case.content_id,
            "content_url": case.content_url, "group": case.group, "author": case.author, "title": case_title(case),
            "state": case.state, "urgent": case.urgent, "priority": case.priority,
            "priority_level": priority_level(case), "report_count": case.report_count,
            "categories": case.categories or {}, "snapshot": case.snapshot, "snapshot_html": case.snapshot_html,
            "hidden": hidden, "escalated": case.escalated,
            "claimed_by": case.claimed_by, "outcome": case.outcome, "created_at": case.created_at,
            "updated_at": case.updated_at}


@blp.route("/moderation/queue", methods=["GET"])
@blp.arguments(QueueArgsSchema, location="query")
@blp.response(200, CasePageOut)
@blp.alt_response(404, response="NOT_FOUND")
def get_queue(args):
    """A queue page: ``group`` (slug) for a group's queue, none for the site queue (site admins)."""
    group = _queue_group(args["group"])
    rows, cursor = queue.list_cases(current_user, group, args["state"], args["after"])
    return {"items": [_case_out(r.case, r.hidden) for r in rows], "next": cursor}


def _case_or_404(case_id: int):
    user = require_user()
    loaded = queue.load_case(case_id, user)
    if loaded is None or not can_handle_case(user, loaded[0]):
        not_found()
    return loaded


@blp.route("/moderation/cases/<int:case_id>", methods=["GET"])
@blp.response(200, CaseDetailOut)
@blp.alt_response(404, response="NOT_FOUND")
def get_case(case_id: int):
    """A case with every report (and reporter), private notes and decisions."""
    case, hidden = _case_or_404(case_id)
    detail = queue.case_detail(case, hidden)
    out = _case_out(case, hidden)
    out.update(reports=detail.reports, notes=detail.notes,
               decisions=[_decision_out(d) for d in detail.decisions])
    return out


@blp.route("/moderation/cases/<int:case_id>/claim", methods=["POST"])
@blp.response(200, CaseOut)
@blp.alt_response(404, response="NOT_FOUND")
def claim_case(case_id: int):
    """Claim a case so other moderators see you are on it."""
    case, hidden = _case_or_404(case_id)
    moderation.claim(current_user, case)
    db.session.commit()
    return _case_out(case, hidden)


@blp.route("/moderation/cases/<int:case_id>/claim", methods=["DELETE"])
@blp.response(200, CaseOut)
@blp.alt_response(404, response="NOT_FOUND")
def release_case(case_id: int):
    """Release your claim."""
    case, hidden = _case_or_404(case_id)
    moderation.unclaim(current_user, case)
    db.session.commit()
    return _case_out(case, hidden)


@blp.route("/moderation/cases/<int:case_id>/notes", methods=["POST"])
@blp.arguments(NoteSchema)
@blp.response(201, NoteOut)
@blp.alt_response(404, response="NOT_FOUND")
def add_note(data, case_id: int):
    """Add a private moderator note."""
    case, _hidden = _case_or_404(case_id)
    note = moderation.add_note(current_user, case, data["text"])
    db.session.commit()
    return note


@blp.route("/moderation/cases/<int:case_id>/decisions", methods=["POST"])
@blp.arguments(DecisionSchema)
@blp.response(201, ModeratorDecisionOut)
@blp.alt_response(404, response="NOT_FOUND")
def decide(data, case_id: int):
    """Decide a case: any of keep, hide, delete, warn, remove, ban, suspend, support; one explanation."""
    case, _hidden = _case_or_404(case_id)
    try:
        decision = moderation.decide(current_user, case, data)
    except moderation.DecisionError as err:
        db.session.rollback()
        _field_error(422, err.message, err.field)
    db.session.commit()
    return _decision_out(decision)


def _decision_out(decision: Decision) -> dict[str, Any]:
    return {"id": decision.id, "actions": decision.actions, "rule": decision.rule,
            "explanation": decision.explanation, "ban_until": decision.ban_until,
            "suspend_until": decision.suspend_until, "created_at": decision.created_at,
            "overturned": decision.overturned_at is not None, "case": decision.case, "appeal": decision.appeal,
            "can_appeal": appeals.can_appeal(decision), "moderator": decision.moderator}


# --- appeals (moderators) -----------------------------------------------------------------------


@blp.route("/moderation/appeals", methods=["GET"])
@blp.arguments(GroupArgsSchema, location="query")
@blp.response(200, ModeratorAppealOut(many=True))
@blp.alt_response(404, response="NOT_FOUND")
def list_appeals(args):
    """Pending appeals in a group's queue (``group``) or the site queue."""
    group = _queue_group(args["group"])
    return [_appeal_out(a) for a in appeals.pending_for(group.id if group else None, current_user)]


def _appeal_out(appeal: Appeal) -> dict[str, Any]:
    return {"id": appeal.id, "decision_id": appeal.decision_id, "text": appeal.text, "state": appeal.state,
            "response": appeal.response, "created_at": appeal.created_at, "decided_at": appeal.decided_at,
            "decision": _decision_out(appeal.decision)}


@blp.route("/moderation/appeals/<int:appeal_id>/decision", methods=["POST"])
@blp.arguments(AppealDecisionSchema)
@blp.response(200, ModeratorAppealOut)
@blp.alt_response(403, response="FORBIDDEN")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def decide_appeal(data, appeal_id: int):
    """Uphold or overturn; must be a different moderator from the one who decided."""
    user = require_user()
    appeal = db.session.get(Appeal, appeal_id)
    if appeal is None or not can_view_appeal(user, appeal):
        not_found()
    if not can_decide_appeal(user, appeal):
        abort(403, message=_("A different moderator must decide this appeal."))
    try:
        appeals.decide_appeal(user, appeal, data["outcome"], data["response"],
                              moderation.decision_url(appeal.decision))
    except appeals.AppealError as err:
        db.session.rollback()
        abort(err.status, message=err.message)
    db.session.commit()
    return _appeal_out(appeal)


@blp.route("/moderation/audit", methods=["GET"])
@blp.arguments(AuditArgsSchema, location="query")
@blp.response(200, AuditOut(many=True))
@blp.alt_response(404, response="NOT_FOUND")
def audit_log(args):
    """Moderation audit log, newest first: a group's (``group``) or, for site admins, everything."""
    group = _queue_group(args["group"])
    entries, _before = audit.entries(current_user, group.id if group else None, everything=group is None,
                                     before=args["before"])
    return entries


# --- decisions about me, appeals ----------------------------------------------------------------


def _my_decision(decision_id: int, token: str | None = None) -> Decision:
    decision = db.session.scalar(select(Decision).options(joinedload(Decision.case), joinedload(Decision.appeal))
                                 .where(Decision.id == decision_id))
    if decision is None or not (can_read_decision(current_user, decision) or token_matches(token, decision)):
        not_found()
    return decision


@blp.route("/decisions", methods=["GET"])
@blp.response(200, DecisionOut(many=True))
def my_decisions():
    """Moderation decisions about you (what was done, which rule, why) — never who reported."""
    user = require_user()
    found = db.session.scalars(select(Decision).options(joinedload(Decision.case), joinedload(Decision.appeal))
                               .where(Decision.target_user_id == user.id).order_by(Decision.id.desc()))
    return [_member_decision_out(d) for d in found if d.sanctions]


def _member_decision_out(decision: Decision) -> dict[str, Any]:
    out = _decision_out(decision)
    out["actions"] = decision.sanctions
    out.pop("moderator")
    return out


@blp.route("/decisions/<int:decision_id>", methods=["GET"])
@blp.response(200, DecisionOut)
@blp.alt_response(404, response="NOT_FOUND")
def get_decision(decision_id: int):
    """A decision about you."""
    require_user()
    return _member_decision_out(_my_decision(decision_id))


@blp.route("/decisions/<int:decision_id>/appeal", methods=["POST"])
@blp.arguments(AppealSchema)
@blp.response(201, AppealOut)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def appeal(data, decision_id: int):
    """Appeal a decision about you, once (at most 2,000 characters)."""
    user = require_user()
    decision = _my_decision(decision_id)
    try:
        created = appeals.file_appeal(user, decision, data["text"])
    except appeals.AppealError as err:
        db.session.rollback()
        _field_error(err.status, err.message, "text" if err.status == 422 else None)
    db.session.commit()
    return created


# --- blocks -------------------------------------------------------------------------------------


@blp.route("/blocks", methods=["GET"])
@blp.response(200, BlockOut(many=True))
def list_blocks():
    """People you block."""
    return blocks.blocks_of(require_user())


@blp.route("/blocks", methods=["POST"])
@blp.arguments(BlockSchema)
@blp.response(201, BlockOut)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def block(data):
    """Block someone: neither of you sees the other's posts, comments or profile. They are not told."""
    user = require_user()
    target = db.session.scalar(select(User).where(User.username == data["username"].strip().lstrip("@").lower()))
    if target is None:
        not_found(_("No such person."))
    try:
        row = blocks.block(user, target)
    except blocks.BlockingSelf:
        _field_error(422, _("You cannot block yourself."), "username")
    db.session.commit()
    return row


@blp.route("/blocks/<username>", methods=["DELETE"])
@blp.response(204)
@blp.alt_response(404, response="NOT_FOUND")
def unblock(username: str):
    """Unblock someone you blocked."""
    user = require_user()
    target = db.session.scalar(select(User).where(User.username == username.lower()))
    if target is None or not blocks.unblock(user, target):
        not_found()
    db.session.commit()
