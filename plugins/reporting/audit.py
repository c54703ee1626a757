"""The audit log: every moderation action, who took it, on whom. Never who reported."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core.plugin_api import db
from plugins.reporting.models import AuditEntry

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


def entries(group_id: int | None, *, everything: bool = False, before: int | None = None,
            limit: int = PAGE) -> tuple[list[AuditEntry], int | None]:
    """Newest first: one group's entries, or (site admins) ``everything``; keyset by id."""
    stmt = (select(AuditEntry)
            .options(joinedload(AuditEntry.actor), joinedload(AuditEntry.target_user), joinedload(AuditEntry.group))
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
