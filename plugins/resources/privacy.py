"""Export and erasure: an editor's roles and the revisions they wrote or published. Readers have nothing."""
from __future__ import annotations

from typing import Any

from sqlalchemy import or_, update

from core.plugin_api import db
from plugins.resources.models import Hub, HubRole, ResourceText, Revision


def export(user: Any) -> dict:
    roles = db.session.execute(db.select(Hub.slug, HubRole.role).join(HubRole, HubRole.hub_id == Hub.id)
                               .where(HubRole.user_id == user.id)).all()
    revisions = db.session.execute(
        db.select(Revision, ResourceText.resource_id, ResourceText.locale)
        .join(ResourceText, ResourceText.id == Revision.text_id)
        .where(or_(Revision.author_id == user.id, Revision.reviewer_id == user.id)).order_by(Revision.id)).all()
    return {"hub_roles": [{"hub": slug, "role": role} for slug, role in roles],
            "revisions": [{"resource_id": rid, "locale": locale, "number": r.number, "title": r.title,
                           "note": r.note, "wrote": r.author_id == user.id, "published": r.reviewer_id == user.id,
                           "created_at": r.created_at.isoformat()} for r, rid, locale in revisions]}


def erase(user: Any) -> None:
    """Roles go; published words stay (they belong to the hub) without the name of who wrote them."""
    db.session.execute(db.delete(HubRole).where(HubRole.user_id == user.id))
    db.session.execute(update(Revision).where(Revision.author_id == user.id).values(author_id=None)
                       .execution_options(synchronize_session=False))
    db.session.execute(update(Revision).where(Revision.reviewer_id == user.id).values(reviewer_id=None)
                       .execution_options(synchronize_session=False))
