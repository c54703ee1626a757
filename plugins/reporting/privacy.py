"""A member's reporting data: export it, or erase it when the account is deleted.

Exported: reports I made, whom I block, decisions about me and my appeals — never who
reported me. Erased: my reports, blocks either way, appeals, bans; cases about me keep
their counts for the moderators' record but lose the copy of my words.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import delete, or_, select, update

from core.plugin_api import User, db
from plugins.reporting import blocks
from plugins.reporting.models import Appeal, Block, Case, Decision, GroupBan, HiddenContent, Report


def export(user: User) -> dict[str, Any]:
    reports = db.session.scalars(select(Report).where(Report.reporter_id == user.id).order_by(Report.id))
    decisions = db.session.scalars(select(Decision).where(Decision.target_user_id == user.id).order_by(Decision.id))
    appeals = db.session.scalars(select(Appeal).where(Appeal.appellant_id == user.id).order_by(Appeal.id))
    return {
        "reports": [{"content_type": r.content_type, "content_id": r.content_id, "category": r.category,
                     "note": r.note, "rule": r.rule, "created_at": r.created_at.isoformat(),
                     "outcome": r.case.outcome if r.case is not None else None} for r in reports],
        "blocks": blocks.export(user),
        "decisions_about_me": [{"actions": d.sanctions, "rule": d.rule, "explanation": d.explanation,
                                "created_at": d.created_at.isoformat(),
                                "overturned": d.overturned_at is not None} for d in decisions],
        "appeals": [{"text": a.text, "state": a.state, "response": a.response,
                     "created_at": a.created_at.isoformat()} for a in appeals],
    }


def erase(user: User) -> None:
    about_me = select(Case.id).where(Case.author_id == user.id)
    db.session.execute(update(Report).where(Report.case_id.in_(about_me)).values(snapshot="", snapshot_html="")
                       .execution_options(synchronize_session=False))
    db.session.execute(update(Case).where(Case.author_id == user.id).values(snapshot="", snapshot_html="")
                       .execution_options(synchronize_session=False))
    db.session.execute(delete(Report).where(Report.reporter_id == user.id)
                       .execution_options(synchronize_session=False))
    db.session.execute(delete(Block).where(or_(Block.blocker_id == user.id, Block.blocked_id == user.id))
                       .execution_options(synchronize_session=False))
    db.session.execute(delete(Appeal).where(Appeal.appellant_id == user.id)
                       .execution_options(synchronize_session=False))
    db.session.execute(delete(GroupBan).where(GroupBan.user_id == user.id)
                       .execution_options(synchronize_session=False))
    db.session.execute(update(Decision).where(Decision.target_user_id == user.id).values(explanation="")
                       .execution_options(synchronize_session=False))
    db.session.execute(delete(HiddenContent).where(HiddenContent.content_type == "profile",
                                                   HiddenContent.content_id == user.id)
                       .execution_options(synchronize_session=False))
