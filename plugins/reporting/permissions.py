"""Who may do what in reporting, built on ``core.permissions`` (the one place for roles).

Nobody handles a case they are a party to: its subject, anyone who reported it, and – for
an appeal – the moderator whose decision is appealed. Parties never see the case in a queue
(so reporters' names cannot reach them), cannot open, claim or decide it, and never read
the audit entries about it. When no moderator of the group is left who may handle a case
or an appeal, it goes to the site queue (``eligible_moderators``).
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, or_, select, true
from sqlalchemy.orm import aliased

from core import plugin_api as core
from core.plugin_api import ROLE_RANK, Group, Membership, User, db
from plugins.reporting.models import Case, Report

STAFF_ROLES = tuple(role for role, rank in ROLE_RANK.items() if rank >= ROLE_RANK["moderator"])
_ABOUT_CASE = aliased(Case, name="about_case")
#: The request's memo (``request_memo``) of who reported which case: a queue page asks for every case.
REPORTERS = "reporting.reporters"


def can_use_queue(user: Any, group: Group | None) -> bool:
    """A group's queue: its moderators and admins (and site admins); the site queue: site admins."""
    if not core.is_authenticated(user) or user.is_suspended:
        return False
    if core.is_site_admin(user):
        return True
    return group is not None and core.can_moderate(user, group)


# --- parties to a case ------------------------------------------------------------------------


def remember_reporter(user: Any, case: Any, reported: bool) -> None:
    """Prime the memo with whether ``user`` reported ``case`` (loaded with the case, saves a query)."""
    if core.is_authenticated(user):
        core.request_memo(REPORTERS)[(user.id, case.id)] = bool(reported)


def has_reported(user: Any, case: Any) -> bool:
    """Whether ``user`` filed a report on ``case`` (memoised for the request)."""
    if not core.is_authenticated(user):
        return False
    memo = core.request_memo(REPORTERS)
    key = (user.id, case.id)
    if key not in memo:
        memo[key] = db.session.scalar(select(Report.id).where(Report.case_id == case.id,
                                                              Report.reporter_id == user.id).limit(1)) is not None
    return memo[key]


def is_party_to(user: Any, case: Any) -> bool:
    """The case is about them, or they reported it."""
    return core.is_authenticated(user) and (user.id == case.author_id or has_reported(user, case))


def reported_by(user: Any, case_id: ColumnElement) -> ColumnElement:
    """SQL: ``user`` filed a report on the case with id ``case_id``."""
    return exists().where(Report.case_id == case_id, Report.reporter_id == user.id)


def not_party_clause(user: Any, case_id: ColumnElement) -> ColumnElement:
    """SQL for "not a party": rows about a case (by id; None for no case) ``user`` may read about."""
    about = _ABOUT_CASE
    subject_or_reporter = exists().where(about.id == case_id, or_(about.author_id == user.id,
                                                                  reported_by(user, about.id)))
    return or_(case_id.is_(None), ~subject_or_reporter)


def can_handle_case(user: Any, case: Any) -> bool:
    """See, claim, annotate and decide a case: its queue's moderators, unless a party to it."""
    return can_use_queue(user, case.group) and not is_party_to(user, case)


def handles_cases_clause(user: Any) -> ColumnElement:
    """SQL for the cases ``user`` may see in a queue they use: not about them, not reported by them."""
    return and_(or_(Case.author_id.is_(None), Case.author_id != user.id), ~reported_by(user, Case.id))


# --- appeals ----------------------------------------------------------------------------------


def can_view_appeal(user: Any, appeal: Any) -> bool:
    """The appeal's page: whoever may handle its case, except the person appealing."""
    return can_handle_case(user, appeal.decision.case) and user.id != appeal.appellant_id


def can_decide_appeal(user: Any, appeal: Any) -> bool:
    """A second opinion: someone who may handle the case and did not take the decision appealed."""
    return can_view_appeal(user, appeal) and user.id != appeal.decision.moderator_id


def eligible_moderators(case: Any, excluding: Iterable[int | None] = (), *, site: bool = False) -> list[User]:
    """Who may handle ``case``: the staff of its group (site admins for the site queue, or with
    ``site``), not suspended, not its subject, none of its reporters, nobody in ``excluding``.

    One query. No one left in the group sends the case (or appeal) to the site queue.
    """
    left_out = {i for i in (case.author_id, *excluding) if i is not None}
    if case.group_id is not None and not site:
        stmt = (select(User).join(Membership, Membership.user_id == User.id)
                .where(Membership.group_id == case.group_id, Membership.role.in_(STAFF_ROLES)))
    else:
        stmt = select(User).where(User.is_site_admin.is_(True))
    stmt = stmt.where(~reported_by_user(case.id), User.id.not_in(left_out) if left_out else true())
    return [user for user in db.session.scalars(stmt.order_by(User.id)) if not user.is_suspended]


def reported_by_user(case_id: int) -> ColumnElement:
    """SQL, per ``User`` row: that person filed a report on case ``case_id``."""
    return exists().where(Report.case_id == case_id, Report.reporter_id == User.id)


# --- other decisions --------------------------------------------------------------------------


def can_block_by_id(user: Any, target: User | None) -> bool:
    """Block (or confirm blocking) someone picked by id, e.g. from a profile or a post.

    Only people ``user`` can see, or already blocks: an id must not reveal whether an account
    exists or who it is when that person blocked ``user`` (or is hidden from them otherwise).
    """
    from plugins.reporting.blocks import has_blocked

    if target is None or not core.is_authenticated(user) or target.id == user.id:
        return False
    return has_blocked(user.id, target.id) or core.can_view_profile(user, target)


def can_suspend(user: Any) -> bool:
    return core.is_site_admin(user) and not user.is_suspended


def can_sanction_member(actor: Any, group: Group, target: Membership | None) -> bool:
    """Remove or ban: moderators only act on members below them; site admins on anyone but owners."""
    if target is None:
        return True
    if core.is_site_admin(actor):
        return target.rank < ROLE_RANK["owner"]
    return core.can_change_role(actor, group, target, None)


def can_read_decision(user: Any, decision: Any) -> bool:
    """The person a decision is about reads it (what was done and why)."""
    return core.is_authenticated(user) and decision.target_user_id == user.id


def is_staff(user_id: int | None, group_id: int | None) -> bool:
    """Site admins and a group's moderators: their content is never hidden automatically."""
    if user_id is None:
        return False
    row = db.session.execute(
        db.select(User.is_site_admin, Membership.role)
        .outerjoin(Membership, and_(Membership.user_id == User.id, Membership.group_id == group_id))
        .where(User.id == user_id)
    ).first()
    if row is None:
        return False
    return bool(row[0]) or (row[1] is not None and ROLE_RANK[row[1]] >= ROLE_RANK["moderator"])

