"""Who may do what in reporting, built on ``core.permissions`` (the one place for roles).

A person never handles a case about themselves: their own reports stay invisible to them
even when they moderate the group, so a reporter's identity cannot reach them that way.
"""
from __future__ import annotations

from typing import Any

from core import plugin_api as core
from core.plugin_api import ROLE_RANK, Group, Membership


def can_use_queue(user: Any, group: Group | None) -> bool:
    """A group's queue: its moderators and admins (and site admins); the site queue: site admins."""
    if not core.is_authenticated(user) or user.is_suspended:
        return False
    if core.is_site_admin(user):
        return True
    return group is not None and core.can_moderate(user, group)


def can_handle_case(user: Any, case: Any) -> bool:
    return can_use_queue(user, case.group) and user.id != case.author_id


def can_suspend(user: Any) -> bool:
    return core.is_site_admin(user) and not user.is_suspended


def can_sanction_member(actor: Any, group: Group, target: Membership | None) -> bool:
    """Remove or ban: moderators only act on members below them; site admins on anyone but owners."""
    if target is None:
        return True
    if core.is_site_admin(actor):
        return target.rank < ROLE_RANK["owner"]
    return core.can_change_role(actor, group, target, None)


def can_decide_appeal(user: Any, appeal: Any) -> bool:
    """A different moderator than the one who decided, and never the appellant."""
    decision = appeal.decision
    return (can_handle_case(user, decision.case) and user.id != decision.moderator_id
            and user.id != appeal.appellant_id)


def can_read_decision(user: Any, decision: Any) -> bool:
    """The person a decision is about reads it (what was done and why)."""
    return core.is_authenticated(user) and decision.target_user_id == user.id


def is_staff(user_id: int | None, group_id: int | None) -> bool:
    """Site admins and a group's moderators: their content is never hidden automatically."""
    from sqlalchemy import and_

    from core.plugin_api import User, db

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
