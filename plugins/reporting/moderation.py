"""Moderation decisions: several actions at once with one explanation, then everyone is told.

The reported person learns what was done and which rule was cited (never who reported);
every reporter learns the outcome; the audit log records the decision.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core.plugin_api import Membership, User, db, suspend_account, utcnow
from plugins.reporting import audit, bans, notices
from plugins.reporting.categories import KEEP, SANCTIONS, SUPPORT, outcome_for
from plugins.reporting.content import content_type, load_item
from plugins.reporting.hiding import UNHIDEABLE, hide, unhide
from plugins.reporting.models import RESOLVED, Case, Decision, Note, Report
from plugins.reporting.permissions import can_sanction_member, can_suspend
from plugins.reporting.reports import support_resources


class DecisionError(Exception):
    """A decision that cannot be applied; ``field`` names the input at fault."""

    def __init__(self, message: str, field: str = "actions") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def available_actions(moderator: Any, case: Case) -> list[str]:
    """What this moderator can do about this case (without loading the item)."""
    actions = [KEEP]
    ct = content_type(case.content_type)
    if case.content_type not in UNHIDEABLE:
        actions.append("hide")
    if ct is not None and ct.delete is not None:
        actions.append("delete")
    if case.author_id is not None:
        actions.append("warn")
        if case.group_id is not None:
            actions += ["remove", "ban"]
        if can_suspend(moderator):
            actions.append("suspend")
        actions.append(SUPPORT)
    return actions


def end_of_day(day: date | None) -> datetime | None:
    """A ban or suspension "until" a date lasts through that whole day (UTC)."""
    if day is None:
        return None
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=UTC)


def decide(moderator: User, case: Case, data: dict[str, Any]) -> Decision:
    """Apply ``data`` (validated ``DecisionSchema``) to an open case; raises ``DecisionError``."""
    if not case.is_open:
        raise DecisionError(_("This case is already resolved."))
    actions: list[str] = list(dict.fromkeys(data["actions"]))
    allowed = available_actions(moderator, case)
    refused = [a for a in actions if a not in allowed]
    if refused:
        raise DecisionError(_("Not available for this case: %(actions)s.", actions=", ".join(refused)))
    target = db.session.get(User, case.author_id) if case.author_id is not None else None
    item = None
    if "hide" in actions or "delete" in actions:
        item = load_item(case.content_type, case.content_id)
        if item is None:
            raise DecisionError(_("The item no longer exists; it cannot be hidden or deleted."))
    if ("remove" in actions or "ban" in actions) and target is not None:
        membership = db.session.scalar(select(Membership).where(Membership.group_id == case.group_id,
                                                                Membership.user_id == target.id))
        if not can_sanction_member(moderator, case.group, membership):
            raise DecisionError(_("You cannot remove or ban someone with the same or a higher role."))
    if "suspend" in actions and target is not None and target.is_site_admin:
        raise DecisionError(_("Site admins cannot be suspended here."))

    decision = Decision(case_id=case.id, group_id=case.group_id, moderator_id=moderator.id,
                        target_user_id=case.author_id, actions=actions, rule=(data.get("rule") or None),
                        explanation=(data.get("explanation") or "").strip(),
                        ban_until=end_of_day(data.get("ban_until")) if "ban" in actions else None,
                        suspend_until=end_of_day(data.get("suspend_until")) if "suspend" in actions else None)
    db.session.add(decision)
    db.session.flush()

    if KEEP in actions:
        unhide(case.content_type, case.content_id)
    if "hide" in actions:
        hide(case, automatic=False)
    if "delete" in actions:
        unhide(case.content_type, case.content_id)
        item.type.delete(item.obj)
    if target is not None:
        if "remove" in actions:
            bans.remove_member(case.group, target)
        if "ban" in actions:
            bans.ban(case.group, target, decision.ban_until, decision.id)
        if "suspend" in actions:
            suspend_account(target, decision.explanation[:500], decision.suspend_until)
        if SUPPORT in actions:
            notices.caring_message(target, [_resource_dict(r) for r in support_resources(target)])

    case.state = RESOLVED
    case.outcome = outcome_for(actions)
    case.resolved_at = utcnow()
    case.resolved_by_id = moderator.id
    audit.record("decision", actor=moderator, case=case,
                 detail={"decision_id": decision.id, "actions": actions, "rule": decision.rule,
                         "ban_until": _iso(decision.ban_until), "suspend_until": _iso(decision.suspend_until)})
    db.session.flush()
    if any(a in SANCTIONS for a in actions):
        notices.decision_made(decision, decision_url(decision))
    reports = list(db.session.scalars(select(Report).options(joinedload(Report.reporter))
                                      .where(Report.case_id == case.id)))
    notices.outcome_to_reporters(case, reports)
    return decision


def decision_url(decision: Decision) -> str:
    """Where the affected person reads a decision; suspended accounts get a signed link (no log-in)."""
    from plugins.reporting.links import decision_token

    if "suspend" in decision.actions:
        return url_for("reporting.decision", decision_id=decision.id, t=decision_token(decision))
    return url_for("reporting.decision", decision_id=decision.id)


def claim(moderator: User, case: Case) -> None:
    case.claimed_by_id = moderator.id
    case.claimed_at = utcnow()
    audit.record("claimed", actor=moderator, case=case)


def unclaim(moderator: User, case: Case) -> None:
    case.claimed_by_id = None
    case.claimed_at = None
    audit.record("unclaimed", actor=moderator, case=case)


def add_note(moderator: User, case: Case, text: str) -> Note:
    note = Note(case_id=case.id, author_id=moderator.id, text=text.strip())
    db.session.add(note)
    return note


def _resource_dict(resource: Any) -> dict[str, Any]:
    return {"name": resource.name, "kind": resource.kind, "phone": resource.phone,
            "phone_display": resource.phone_display, "url": resource.url, "description": resource.description,
            "hours": resource.hours}


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
