"""Creating a group and changing its settings; shared by the pages and the API."""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from core.extensions import db
from core.groups.errors import InvalidInput, NotAllowed, NotFound
from core.models import Group, Membership
from core.permissions import can_admin_group, can_create_group, forget_membership, is_authenticated
from core.plugins import get_plugins

SETTINGS_FIELDS = ("name", "description", "rules", "visibility", "join_mode", "join_question")


def slug_taken(slug: str) -> bool:
    return db.session.scalar(db.select(Group.id).where(Group.slug == slug)) is not None


def create_group(actor: Any, data: dict[str, Any]) -> Group:
    """Create a group from validated ``GroupCreateSchema`` data; the creator becomes its owner."""
    if not is_authenticated(actor):
        raise NotFound()
    if not can_create_group(actor):
        raise NotAllowed(_("Confirm your email address before creating a group."))
    if slug_taken(data["slug"]):
        raise InvalidInput(_("This address is already taken. Please choose another."), field="slug")
    group = Group(slug=data["slug"], created_by_id=actor.id, member_count=1,
                  **{name: data.get(name) for name in SETTINGS_FIELDS if name in data})
    group.description = group.description or ""
    group.rules = list(group.rules or [])
    db.session.add(group)
    try:
        db.session.flush()
    except IntegrityError as exc:  # a concurrent request took the slug between check and insert
        db.session.rollback()
        raise InvalidInput(_("This address is already taken. Please choose another."), field="slug") from exc
    db.session.add(Membership(group_id=group.id, user_id=actor.id, role="owner"))
    db.session.flush()
    forget_membership(actor, group)
    get_plugins().call("group_created", group=group, user=actor)
    db.session.commit()
    return group


def update_group(actor: Any, group: Group, data: dict[str, Any]) -> Group:
    """Apply validated ``GroupSettingsSchema`` data (all of it, or a PATCH's part) for admins and owners."""
    if not can_admin_group(actor, group):
        raise NotFound()
    join_mode = data.get("join_mode", group.join_mode)
    join_question = data["join_question"] if "join_question" in data else group.join_question
    if join_mode == "request" and not join_question:
        raise InvalidInput(_("Groups that review requests need a question for applicants."), field="join_question")
    for name in SETTINGS_FIELDS:
        if name in data:
            setattr(group, name, data[name] if name != "description" else (data[name] or ""))
    db.session.commit()
    return group
