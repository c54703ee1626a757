"""Notifications reporting sends, through core's ``notify``.

No notice ever carries an actor: the reported person must not learn who reported them
(nor which moderator acted), and reporters are told outcomes, not names. Notices to the
reported person bypass the ``can_interact`` policy, so blocking a moderator cannot stop a
moderation notice. Each sentence is rendered in the recipient's language.
"""
from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.plugin_api import ROLE_RANK, Membership, User, db, notify
from plugins.reporting.categories import OUTCOMES, category_label, item_label, result_label
from plugins.reporting.models import Appeal, Case, Decision, Report

NEW_CASE = "reporting_new_case"
URGENT_CASE = "reporting_urgent_case"
DECISION = "reporting_decision"
OUTCOME = "reporting_outcome"
SUPPORT = "reporting_support"
NEW_APPEAL = "reporting_new_appeal"
APPEAL_DECIDED = "reporting_appeal_decided"

# kind -> (email by default, what the preferences page calls it); kinds not listed are in-app only.
EMAIL_KINDS: dict[str, tuple[bool, Any]] = {
    URGENT_CASE: (True, _l("An urgent report (self-harm concern) reaches a queue you moderate")),
    DECISION: (True, _l("A moderator acts on something of yours")),
    OUTCOME: (True, _l("A report you made is decided")),
    SUPPORT: (True, _l("Someone is worried about you and we send help resources")),
    APPEAL_DECIDED: (True, _l("Your appeal is decided")),
}


def moderators_of(case: Case) -> list[User]:
    """Who handles ``case``: the group's moderators and admins, or site admins; never its subject."""
    if case.group_id is not None:
        stmt = (select(User).join(Membership, Membership.user_id == User.id)
                .where(Membership.group_id == case.group_id,
                       Membership.role.in_([r for r, rank in ROLE_RANK.items() if rank >= ROLE_RANK["moderator"]])))
    else:
        stmt = select(User).where(User.is_site_admin.is_(True))
    return [u for u in db.session.scalars(stmt) if u.id != case.author_id and not u.is_suspended]


def new_case(case: Case) -> None:
    """Tell the case's moderators a new item entered their queue (urgent ones also by email)."""
    kind = URGENT_CASE if case.urgent else NEW_CASE
    url = url_for("reporting_mod.case", case_id=case.id)
    for moderator in moderators_of(case):
        with force_locale(moderator.locale):
            if case.urgent:
                text = _("Urgent: a self-harm or suicide concern was reported and needs attention now.")
            else:
                text = _("A new report is waiting in the moderation queue.")
        notify(moderator, kind, group=case.group, url=url, bypass_policy=True,
               data={"text": text, "case_id": case.id})


def decision_made(decision: Decision, url: str) -> None:
    """Tell the affected person what was done and which rule was cited (only for sanctions)."""
    target = decision.target_user
    if target is None or not decision.sanctions:
        return
    with force_locale(target.locale):
        done = "; ".join(result_label(a) for a in decision.sanctions)
        text = _("A moderator reviewed your %(item)s: %(results)s.", item=_item_label(decision.case), results=done)
        if decision.rule:
            text += " " + _("Rule: %(rule)s", rule=decision.rule)
    notify(target, DECISION, group=decision.group, url=url, bypass_policy=True,
           data={"text": text, "decision_id": decision.id, "actions": decision.sanctions, "rule": decision.rule,
                 "explanation": decision.explanation, "item": decision.case.content_type})


def outcome_to_reporters(case: Case, reports: list[Report]) -> None:
    """Tell each reporter the outcome, in their own words: "we took action" or "no violation"."""
    for report in reports:
        reporter = report.reporter
        if reporter is None:
            continue
        outcome_to_reporter(case, report, reporter)


def outcome_to_reporter(case: Case, report: Report, reporter: User) -> None:
    with force_locale(reporter.locale):
        outcome = str(OUTCOMES.get(case.outcome or "", ""))
        text = _("Your report (%(category)s) was reviewed: %(outcome)s.",
                 category=category_label(report.category), outcome=outcome)
    notify(reporter, OUTCOME, group=case.group, url=url_for("reporting.report_status", report_id=report.id),
           bypass_policy=True, data={"text": text, "report_id": report.id, "outcome": case.outcome})


def caring_message(user: User, resources: list[dict]) -> None:
    """Reach out to someone others are worried about; says nothing about who raised it."""
    with force_locale(user.locale):
        text = _("Someone in the community is thinking of you. If things are hard right now, "
                 "help is available.")
    notify(user, SUPPORT, url=url_for("reporting.care"), bypass_policy=True,
           data={"text": text, "resources": resources})


def new_appeal(appeal: Appeal, case: Case) -> None:
    """Tell the case's other moderators an appeal waits (not the one who decided)."""
    decided_by = appeal.decision.moderator_id
    url = url_for("reporting_mod.appeal", appeal_id=appeal.id)
    for moderator in moderators_of(case):
        if moderator.id == decided_by:
            continue
        with force_locale(moderator.locale):
            text = _("An appeal against a moderation decision is waiting for a second opinion.")
        notify(moderator, NEW_APPEAL, group=case.group, url=url, bypass_policy=True,
               data={"text": text, "appeal_id": appeal.id})


def appeal_decided(appeal: Appeal, url: str) -> None:
    appellant = db.session.get(User, appeal.appellant_id) if appeal.appellant_id else None
    if appellant is None:
        return
    with force_locale(appellant.locale):
        if appeal.state == "overturned":
            text = _("Your appeal was accepted: the decision was overturned.")
        else:
            text = _("Your appeal was reviewed by another moderator: the decision stands.")
    notify(appellant, APPEAL_DECIDED, group=appeal.decision.group, url=url, bypass_policy=True,
           data={"text": text, "appeal_id": appeal.id, "state": appeal.state, "response": appeal.response})


def _item_label(case: Case) -> str:
    from plugins.reporting.content import content_type

    ct = content_type(case.content_type)
    return item_label(case.content_type, ct.label if ct is not None else None)
