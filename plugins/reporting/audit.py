"""The audit log: every moderation action, who took it, on whom. Never who reported.

It follows the rule of the queues: nobody reads entries about a case they are a party to
(its subject or a reporter), nor entries about themselves, wherever the log is shown.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from core.plugin_api import db
from plugins.reporting.models import AuditEntry
from plugins.reporting.permissions import not_party_clause

PAGE = 50


def record(action: str, *, actor: Any = None, case: Any = None, group_id: int | None = None,
           target_user_id: int | None = None, detail: dict | None = None) -> AuditEntry:
    entry = AuditEntry(action=action, actor_id=getattr(actor, "id", None), case_id=getattr(case, "id", None),
                       group_id=group_id if group_id is not None else getattr(case, "group_id", None),
                       target_user_id=target_user_id if target_user_id is not None
                       else getattr(case, "author_id", None),
                       detail=detail or {})
    db.session.add(entry)
    return entry


def entries(viewer: Any, group_id: int | None, *, everything: bool = False, before: int | None = None,
            limit: int = PAGE) -> tuple[list[AuditEntry], int | None]:
    """Newest first: one group's entries, or (site admins) ``everything``; keyset by id.

    Entries about ``viewer`` or about a case they are a party to are left out.
    """
    stmt = (select(AuditEntry)
            .options(joinedload(AuditEntry.actor), joinedload(AuditEntry.target_user), joinedload(AuditEntry.group))
            .where(or_(AuditEntry.target_user_id.is_(None), AuditEntry.target_user_id != viewer.id),
                   not_party_clause(viewer, AuditEntry.case_id))
            .order_by(AuditEntry.id.desc()).limit(limit + 1))
    if not everything:
        stmt = stmt.where(AuditEntry.group_id == group_id) if group_id is not None \
            else stmt.where(AuditEntry.group_id.is_(None))
    if before is not None:
        stmt = stmt.where(AuditEntry.id < before)
    rows = list(db.session.scalars(stmt))
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (rows[-1].id if more and rows else None)
