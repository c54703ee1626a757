"""Queue reads: a page of cases in one query, a case with its reports, notes and decisions.

The queue never filters by the moderator's own blocks: moderators keep moderating. Nobody
sees a case they are a party to (its subject, its reporters), so reporter names cannot reach
them through the queue. The site queue also holds group cases no group moderator may handle.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import joinedload

from core.plugin_api import ROLE_RANK, Group, Membership, db, remember_membership
from plugins.reporting.models import OPEN, RESOLVED, Case, Decision, HiddenContent, Note, Report
from plugins.reporting.permissions import handles_cases_clause, remember_reporter, reported_by

PAGE = 25


@dataclass
class CaseRow:
    case: Case
    hidden: bool


def _hidden_flag():
    return (select(HiddenContent.id).where(HiddenContent.content_type == Case.content_type,
                                           HiddenContent.content_id == Case.content_id)
            .correlate(Case).exists())


def _in_queue(group: Group | None):
    """A group's own cases, or the site's (outside groups, and escalated from groups)."""
    if group is not None:
        return Case.group_id == group.id
    return or_(Case.group_id.is_(None), Case.escalated.is_(True))


def parse_cursor(state: str, cursor: str | None) -> tuple[int, int] | None:
    if not cursor:
        return None
    try:
        first, _, second = cursor.partition(".")
        return int(first), int(second or 0)
    except ValueError:
        return None


def list_cases(viewer: Any, group: Group | None, state: str = OPEN, after: str | None = None,
               limit: int = PAGE) -> tuple[list[CaseRow], str | None]:
    """One page of a queue (one query). Open cases: urgent and high priority first."""
    stmt = (select(Case, _hidden_flag())
            .options(joinedload(Case.author), joinedload(Case.claimed_by))
            .where(handles_cases_clause(viewer), _in_queue(group)))
    if state in (OPEN, RESOLVED):
        stmt = stmt.where(Case.state == state)
    position = parse_cursor(state, after)
    if state == OPEN:
        stmt = stmt.order_by(Case.priority.desc(), Case.id)
        if position is not None:
            p, i = position
            stmt = stmt.where(or_(Case.priority < p, and_(Case.priority == p, Case.id > i)))
    else:
        stmt = stmt.order_by(Case.id.desc())
        if position is not None:
            stmt = stmt.where(Case.id < position[0])
    rows = [CaseRow(case, bool(hidden)) for case, hidden in db.session.execute(stmt.limit(limit + 1)).unique()]
    more = len(rows) > limit
    rows = rows[:limit]
    cursor = None
    if more and rows:
        last = rows[-1].case
        cursor = f"{last.priority}.{last.id}" if state == OPEN else f"{last.id}"
    return rows, cursor


def group_with_membership(slug: str, viewer: Any) -> Group | None:
    """The group and the viewer's membership in one query (the membership memo is primed)."""
    if not getattr(viewer, "is_authenticated", False):
        return db.session.scalar(select(Group).where(Group.slug == slug))
    row = db.session.execute(
        select(Group, Membership).outerjoin(Membership, and_(Membership.group_id == Group.id,
                                                             Membership.user_id == viewer.id))
        .where(Group.slug == slug)
    ).first()
    if row is None:
        return None
    remember_membership(viewer, row[0], row[1])
    return row[0]


def load_case(case_id: int, viewer: Any) -> tuple[Case, bool] | None:
    """A case with group, author, claimer, hidden flag, the viewer's membership and whether the
    viewer reported it (for ``can_handle_case``): one query."""
    row = db.session.execute(
        select(Case, _hidden_flag(), Membership, reported_by(viewer, Case.id))
        .options(joinedload(Case.group), joinedload(Case.author), joinedload(Case.claimed_by))
        .outerjoin(Membership, and_(Membership.group_id == Case.group_id, Membership.user_id == viewer.id))
        .where(Case.id == case_id)
    ).first()
    if row is None:
        return None
    case, hidden, membership, reported = row
    if case.group is not None:
        remember_membership(viewer, case.group, membership)
    remember_reporter(viewer, case, reported)
    return case, bool(hidden)


@dataclass
class CaseDetail:
    case: Case
    hidden: bool
    reports: list[Report] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)


def case_detail(case: Case, hidden: bool) -> CaseDetail:
    """Reports (with reporters), notes and decisions (with appeals): three queries."""
    reports = list(db.session.scalars(select(Report).options(joinedload(Report.reporter))
                                      .where(Report.case_id == case.id).order_by(Report.id)))
    notes = list(db.session.scalars(select(Note).options(joinedload(Note.author))
                                    .where(Note.case_id == case.id).order_by(Note.id)))
    decisions = list(db.session.scalars(select(Decision)
                                        .options(joinedload(Decision.moderator), joinedload(Decision.appeal))
                                        .where(Decision.case_id == case.id).order_by(Decision.id)))
    return CaseDetail(case=case, hidden=hidden, reports=reports, notes=notes, decisions=decisions)


def queues_for(viewer: Any) -> list[dict[str, Any]]:
    """The queues a person can open, with open-case counts (one query; site admins get every group)."""
    open_count = (select(func.count(Case.id)).where(Case.group_id == Group.id, Case.state == OPEN,
                                                    handles_cases_clause(viewer))
                  .correlate(Group).scalar_subquery())
    if viewer.is_site_admin:
        site_count = (select(func.count(Case.id)).where(_in_queue(None), Case.state == OPEN,
                                                        handles_cases_clause(viewer)).scalar_subquery())
        rows = db.session.execute(
            select(Group, open_count, site_count).where(open_count > 0).order_by(Group.name)
        ).all()
        site = rows[0][2] if rows else db.session.scalar(select(site_count))
        return [{"group": None, "open": site}] + [{"group": g, "open": n} for g, n, _s in rows]
    ranks = [r for r, rank in ROLE_RANK.items() if rank >= ROLE_RANK["moderator"]]
    rows = db.session.execute(
        select(Group, open_count).join(Membership, Membership.group_id == Group.id)
        .where(Membership.user_id == viewer.id, Membership.role.in_(ranks)).order_by(Group.name)
    ).all()
    return [{"group": g, "open": n} for g, n in rows]


def site_open_count(viewer: Any) -> int:
    return db.session.scalar(select(func.count(Case.id)).where(_in_queue(None), Case.state == OPEN,
                                                               handles_cases_clause(viewer))) or 0
