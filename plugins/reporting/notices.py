"""Notifications reporting sends, through core's ``notify``, and how each one reads.

No notice ever carries an actor: the reported person must not learn who reported them
(nor which moderator acted), and reporters are told outcomes, not names. Notices to the
reported person bypass the ``can_interact`` policy, so blocking a moderator cannot stop a
moderation notice. A notice stores only structured data (ids, the outcome, the actions
taken, the category); its sentence is built when it is shown, in the reader's language
(``KINDS`` below, declared through ``register_notification_kinds``).
"""
from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.plugin_api import EmailKind, NotificationKind, User, db, notify, notify_many
from plugins.reporting.categories import OUTCOMES, category_label, item_label, result_label
from plugins.reporting.models import Appeal, Case, Decision, Report
from plugins.reporting.permissions import eligible_moderators

NEW_CASE = "reporting_new_case"
URGENT_CASE = "reporting_urgent_case"
DECISION = "reporting_decision"
OUTCOME = "reporting_outcome"
SUPPORT = "reporting_support"
NEW_APPEAL = "reporting_new_appeal"
APPEAL_DECIDED = "reporting_appeal_decided"


# --- how each notice reads (called when shown, in the reader's language) --------------------------


def _new_case(note: Any) -> str:
    return _("A new report is waiting in the moderation queue.")


def _urgent_case(note: Any) -> str:
    return _("Urgent: a self-harm or suicide concern was reported and needs attention now.")


def _decision(note: Any) -> str:
    data = note.data or {}
    done = "; ".join(result_label(action) for action in data.get("actions") or [])
    text = _("A moderator reviewed your %(item)s: %(results)s.", item=_item_label(data.get("item") or ""),
             results=done)
    if data.get("rule"):
        text += " " + _("Rule: %(rule)s", rule=data["rule"])
    return text


def _outcome(note: Any) -> str:
    data = note.data or {}
    outcome = str(OUTCOMES.get(data.get("outcome"), ""))
    if not data.get("category"):  # the report is gone (an old notice whose report was deleted)
        return _("Your report was reviewed: %(outcome)s.", outcome=outcome)
    return _("Your report (%(category)s) was reviewed: %(outcome)s.", category=category_label(data["category"]),
             outcome=outcome)


def _support(note: Any) -> str:
    return _("Someone in the community is thinking of you. If things are hard right now, help is available.")


def _new_appeal(note: Any) -> str:
    return _("An appeal against a moderation decision is waiting for a second opinion.")


def _appeal_decided(note: Any) -> str:
    if (note.data or {}).get("state") == "overturned":
        return _("Your appeal was accepted: the decision was overturned.")
    return _("Your appeal was reviewed by another moderator: the decision stands.")


def notification_kinds() -> list[NotificationKind]:
    return [
        NotificationKind(NEW_CASE, _new_case),
        NotificationKind(URGENT_CASE, _urgent_case),
        NotificationKind(DECISION, _decision),
        NotificationKind(OUTCOME, _outcome),
        NotificationKind(SUPPORT, _support),
        NotificationKind(NEW_APPEAL, _new_appeal),
        NotificationKind(APPEAL_DECIDED, _appeal_decided),
    ]


def email_kinds() -> list[EmailKind]:
    """Mail comes from ``templates/reporting/email/<kind>.*``; the other kinds are in-app only."""
    return [
        EmailKind(URGENT_CASE, label=_l("An urgent report (self-harm concern) reaches a queue you moderate")),
        EmailKind(DECISION, label=_l("A moderator acts on something of yours")),
        EmailKind(OUTCOME, label=_l("A report you made is decided")),
        EmailKind(SUPPORT, label=_l("Someone is worried about you and we send help resources")),
        EmailKind(APPEAL_DECIDED, label=_l("Your appeal is decided")),
    ]


# --- sending ----------------------------------------------------------------------------------------


def moderators_of(case: Case) -> list[User]:
    """Who handles ``case``: its group's moderators (site admins once escalated), never a party to it."""
    return eligible_moderators(case, site=case.escalated)


def new_case(case: Case) -> None:
    """Tell the case's moderators a new item entered their queue (urgent ones also by email)."""
    notify_many(moderators_of(case), URGENT_CASE if case.urgent else NEW_CASE, group=case.group,
                url=url_for("reporting_mod.case", case_id=case.id), bypass_policy=True, data={"case_id": case.id})


def decision_made(decision: Decision, url: str) -> None:
    """Tell the affected person what was done and which rule was cited (only for sanctions)."""
    target = decision.target_user
    if target is None or not decision.sanctions:
        return
    notify(target, DECISION, group=decision.group, url=url, bypass_policy=True,
           data={"decision_id": decision.id, "actions": decision.sanctions, "rule": decision.rule,
                 "explanation": decision.explanation, "item": decision.case.content_type})


def outcome_to_reporters(case: Case, reports: list[Report]) -> None:
    """Tell each reporter the outcome, in their own words: "we took action" or "no violation"."""
    by_reporter = {report.reporter_id: report for report in reports if report.reporter is not None}
    notify_many([by_reporter[uid].reporter for uid in by_reporter], OUTCOME, group=case.group, bypass_policy=True,
                url=lambda user: url_for("reporting.report_status", report_id=by_reporter[user.id].id),
                data=lambda user: _outcome_data(case, by_reporter[user.id]))


def outcome_to_reporter(case: Case, report: Report, reporter: User) -> None:
    notify(reporter, OUTCOME, group=case.group, url=url_for("reporting.report_status", report_id=report.id),
           bypass_policy=True, data=_outcome_data(case, report))


def _outcome_data(case: Case, report: Report) -> dict[str, Any]:
    return {"report_id": report.id, "outcome": case.outcome, "category": report.category}


def caring_message(user: User, resources: list[dict]) -> None:
    """Reach out to someone others are worried about; says nothing about who raised it."""
    notify(user, SUPPORT, url=url_for("reporting.care"), bypass_policy=True, data={"resources": resources})


def new_appeal(appeal: Appeal, case: Case) -> None:
    """Tell whoever may decide the appeal (its queue's moderators but the decider) that it waits."""
    deciders = eligible_moderators(case, excluding=(appeal.decision.moderator_id, appeal.appellant_id),
                                   site=appeal.group_id is None)
    notify_many(deciders, NEW_APPEAL, group=case.group, url=url_for("reporting_mod.appeal", appeal_id=appeal.id),
                bypass_policy=True, data={"appeal_id": appeal.id})


def appeal_decided(appeal: Appeal, url: str) -> None:
    appellant = db.session.get(User, appeal.appellant_id) if appeal.appellant_id else None
    if appellant is None:
        return
    notify(appellant, APPEAL_DECIDED, group=appeal.decision.group, url=url, bypass_policy=True,
           data={"appeal_id": appeal.id, "state": appeal.state, "response": appeal.response})


def _item_label(content_type_name: str) -> str:
    from plugins.reporting.content import content_type

    ct = content_type(content_type_name)
    return item_label(content_type_name, ct.label if ct is not None else None)
