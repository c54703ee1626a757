"""Filing a report: dedupe, rate limit, routing into a case, auto-hide, help for self-harm.

A report joins the open case for its item, or opens one. A resolved case absorbs further
reports on the same version of the content (mass-report protection): the reporter is told
the earlier outcome at once and nothing is re-queued. An edited item is a new version and
opens a new case; so does a first self-harm concern about an item reviewed for something else.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from core.plugin_api import Group, User, db, get_settings, utcnow
from core.plugin_api import support_resources as core_support_resources
from plugins.reporting import audit, notices
from plugins.reporting.categories import SELF_HARM, priority
from plugins.reporting.content import Item, content_hash
from plugins.reporting.hiding import hide
from plugins.reporting.models import OPEN, Case, Report
from plugins.reporting.permissions import eligible_moderators, is_staff, remember_reporter

PLUGIN_ID = "reporting"
SNAPSHOT_MAX = 20000


class ReportError(Exception):
    """A report that cannot be filed; ``field`` names the input at fault (or None)."""

    status = 422
    field: str | None = None

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if field is not None:
            self.field = field


class AlreadyReported(ReportError):
    status = 409

    def __init__(self, report: Report) -> None:
        super().__init__(_("You already reported this. Thank you: moderators will look at it."))
        self.report = report


class RateLimited(ReportError):
    status = 429

    def __init__(self) -> None:
        super().__init__(_("You have sent many reports in a short time. Please try again in an hour."))


class OwnContent(ReportError):
    def __init__(self) -> None:
        super().__init__(_("You cannot report your own content."))


def group_rules(group: Group | None) -> list[str]:
    """A group's rules as plain texts (rules may be stored as strings or as {title, text})."""
    if group is None:
        return []
    texts = []
    for rule in group.rules or []:
        if isinstance(rule, str):
            texts.append(rule)
        elif isinstance(rule, dict):
            title = rule.get("title") or rule.get("name") or ""
            body = rule.get("text") or rule.get("description") or ""
            texts.append(f"{title}: {body}" if title and body else (title or body))
    return [t for t in texts if t]


def existing_report(reporter: User, type_name: str, content_id: int) -> Report | None:
    return db.session.scalar(select(Report).where(Report.reporter_id == reporter.id,
                                                  Report.content_type == type_name,
                                                  Report.content_id == content_id))


def support_context(user: Any) -> dict[str, Any]:
    country = getattr(user, "country", None) or current_app.config.get("DEFAULT_COUNTRY")
    return {"country": country, "reason": "self_harm"}


def support_resources(user: Any, locale: str | None = None) -> list[Any]:
    """Help for a self-harm concern in ``user``'s language and country (emergency number at least)."""
    locale = locale or getattr(user, "locale", None) or "en"
    return core_support_resources(locale, support_context(user))


def file_report(reporter: User, item: Item, data: dict[str, Any]) -> Report:
    """File ``reporter``'s report on ``item`` (already checked visible); raises ``ReportError``."""
    found = existing_report(reporter, item.type.name, item.id)
    if found is not None:
        raise AlreadyReported(found)
    if item.author_id == reporter.id:
        raise OwnContent()
    settings = get_settings(PLUGIN_ID)
    recent = db.session.scalar(select(func.count(Report.id)).where(
        Report.reporter_id == reporter.id, Report.created_at >= utcnow() - timedelta(hours=1)))
    if recent >= settings["reports_per_hour"]:
        raise RateLimited()
    group = db.session.get(Group, item.group_id) if item.group_id is not None else None
    rule = (data.get("rule") or "").strip() or None
    if rule is not None and rule not in group_rules(group):
        raise ReportError(_("Pick one of the group's rules."), "rule")

    snapshot = item.snapshot[:SNAPSHOT_MAX]
    snapshot_html = item.snapshot_html(SNAPSHOT_MAX)
    version = content_hash(snapshot)
    category = data["category"]
    case, is_new = _case_for(item, group, snapshot, snapshot_html, version, category)
    report = Report(case=case, reporter_id=reporter.id, content_type=item.type.name, content_id=item.id,
                    category=category, note=(data.get("note") or "").strip(), rule=rule, snapshot=snapshot,
                    snapshot_html=snapshot_html, content_hash=version)
    db.session.add(report)
    if not case.is_open:
        db.session.flush()
        notices.outcome_to_reporter(case, report, reporter)
        return report

    if case.content_hash != version:  # edited while open: moderators decide on the newest version
        case.snapshot = snapshot
        case.snapshot_html = snapshot_html
        case.content_hash = version
    became_urgent = category == SELF_HARM and not case.urgent
    counts = dict(case.categories or {})
    counts[category] = counts.get(category, 0) + 1
    case.categories = counts
    case.report_count = (case.report_count or 0) + 1
    case.urgent = case.urgent or category == SELF_HARM
    case.priority = priority(counts, case.report_count)
    case.updated_at = utcnow()
    db.session.flush()
    remember_reporter(reporter, case, True)
    if case.report_count >= settings["auto_hide_threshold"]:
        _auto_hide(case)
    escalated = _escalate_if_nobody_may_handle(case)
    if is_new or became_urgent or escalated:
        notices.new_case(case)
    return report


def _case_for(item: Item, group: Group | None, snapshot: str, snapshot_html: str, version: str,
              category: str) -> tuple[Case, bool]:
    latest = db.session.scalar(select(Case).where(Case.content_type == item.type.name, Case.content_id == item.id)
                               .order_by(Case.id.desc()).limit(1))
    if latest is not None and latest.is_open:
        return latest, False
    if latest is not None and latest.content_hash == version and not (category == SELF_HARM and not latest.urgent):
        return latest, False
    case = Case(content_type=item.type.name, content_id=item.id, content_url=item.url, group_id=item.group_id,
                author_id=item.author_id, state=OPEN, snapshot=snapshot, snapshot_html=snapshot_html,
                content_hash=version, categories={},
                report_count=0, priority=0, urgent=False)
    try:
        with db.session.begin_nested():
            db.session.add(case)
    except IntegrityError:  # someone opened the case for this item a moment ago: join theirs
        case = db.session.scalar(select(Case).where(Case.content_type == item.type.name,
                                                    Case.content_id == item.id, Case.state == OPEN))
        return case, False
    case.group = group
    return case, True


def _escalate_if_nobody_may_handle(case: Case) -> bool:
    """Send a group's case to the site queue too when every moderator there is a party to it."""
    if case.group_id is None or case.escalated or eligible_moderators(case):
        return False
    case.escalated = True
    audit.record("escalated", case=case)
    return True


def _auto_hide(case: Case) -> None:
    """Past the threshold an item is hidden pending review, unless its author is staff."""
    if is_staff(case.author_id, case.group_id):
        return
    if hide(case, automatic=True):
        audit.record("auto_hidden", case=case, detail={"reports": case.report_count})
