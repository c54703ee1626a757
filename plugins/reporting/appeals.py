"""Appeals: one per decision, by the person it affected, decided by a different moderator.

The appeal waits in the group's queue when a moderator there may decide it (not the one who
decided, not a reporter, not its subject), else in the site queue. Overturning undoes what
can be undone: the item is shown again, a ban or suspension is lifted, a warning no longer
counts. A deleted item stays deleted (its snapshot is kept).
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask_babel import gettext as _

from core.plugin_api import User, db, get_settings, unsuspend_account, utcnow
from plugins.reporting import audit, bans, notices
from plugins.reporting.hiding import unhide
from plugins.reporting.models import Appeal, Decision
from plugins.reporting.permissions import (
    can_decide_appeal,
    eligible_moderators,
    not_party_clause,
)

PLUGIN_ID = "reporting"


class AppealError(Exception):
    def __init__(self, message: str, field: str | None = None, status: int = 422) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status


def appeal_deadline(decision: Decision):
    return decision.created_at + timedelta(days=get_settings(PLUGIN_ID)["appeal_days"])


def can_appeal(decision: Decision) -> bool:
    """Sanctions may be appealed once, within the window, unless already overturned."""
    return (bool(decision.sanctions) and decision.appeal is None and decision.overturned_at is None
            and utcnow() < appeal_deadline(decision))


def file_appeal(user: User, decision: Decision, text: str) -> Appeal:
    if decision.appeal is not None:
        raise AppealError(_("You already appealed this decision."), status=409)
    if not decision.sanctions or decision.overturned_at is not None:
        raise AppealError(_("There is nothing to appeal in this decision."), status=409)
    if utcnow() >= appeal_deadline(decision):
        raise AppealError(_("The time to appeal this decision has passed."), status=409)
    deciders = eligible_moderators(decision.case, excluding=(decision.moderator_id, user.id))
    group_id = decision.group_id if deciders else None
    appeal = Appeal(decision=decision, appellant_id=user.id, group_id=group_id, text=text.strip())
    db.session.add(appeal)
    db.session.flush()
    audit.record("appealed", actor=user, case=decision.case, detail={"decision_id": decision.id,
                                                                     "appeal_id": appeal.id})
    notices.new_appeal(appeal, decision.case)
    return appeal


def decide_appeal(moderator: User, appeal: Appeal, outcome: str, response: str, url: str) -> Appeal:
    """Uphold or overturn; the caller has checked ``can_decide_appeal`` (checked again here)."""
    if appeal.state != "pending":
        raise AppealError(_("This appeal was already decided."), status=409)
    decision = appeal.decision
    if not can_decide_appeal(moderator, appeal):
        raise AppealError(_("A different moderator must decide this appeal."), status=403)
    appeal.state = outcome
    appeal.response = (response or "").strip()
    appeal.decided_at = utcnow()
    appeal.decided_by_id = moderator.id
    if outcome == "overturned":
        _undo(decision)
    audit.record("appeal_" + outcome, actor=moderator, case=decision.case,
                 detail={"decision_id": decision.id, "appeal_id": appeal.id})
    db.session.flush()
    notices.appeal_decided(appeal, url)
    return appeal


def _undo(decision: Decision) -> None:
    decision.overturned_at = utcnow()
    case = decision.case
    if "hide" in decision.actions:
        unhide(case.content_type, case.content_id)
    if "ban" in decision.actions and decision.group_id is not None and decision.target_user_id is not None:
        bans.lift(decision.group_id, decision.target_user_id)
    if "suspend" in decision.actions and decision.target_user_id is not None:
        target = db.session.get(User, decision.target_user_id)
        if target is not None:
            unsuspend_account(target)


def pending_for(group_id: int | None, viewer: Any, *, everything: bool = False) -> list[Appeal]:
    """Pending appeals in a queue, oldest first; never those about a case the viewer is a party to."""
    from sqlalchemy import select
    from sqlalchemy.orm import joinedload

    stmt = (select(Appeal).join(Appeal.decision)
            .options(joinedload(Appeal.decision).joinedload(Decision.case),
                     joinedload(Appeal.decision).joinedload(Decision.moderator))
            .where(Appeal.state == "pending", Appeal.appellant_id != viewer.id,
                   not_party_clause(viewer, Decision.case_id))
            .order_by(Appeal.id))
    if not everything:
        stmt = stmt.where(Appeal.group_id == group_id) if group_id is not None else stmt.where(
            Appeal.group_id.is_(None))
    return list(db.session.scalars(stmt))
