"""Programmes: made from a template, edited freely, moved through draft → open → running → finished."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.plugin_api import Group, User, db, utcnow
from plugins.mentorship.errors import MentorshipError
from plugins.mentorship.models import Programme
from plugins.mentorship.template_files import ProgrammeTemplate

NEXT_STATE = {"draft": "open", "open": "running", "running": "finished"}
STATE_LABELS = {
    "draft": _l("Draft"),
    "open": _l("Open for sign-up"),
    "running": _l("Running"),
    "finished": _l("Finished"),
}
STATE_ACTIONS = {
    "open": _l("Open for sign-up"),
    "running": _l("Start the programme"),
    "finished": _l("Finish the programme"),
}


def create_from_template(group: Group, user: User, template: ProgrammeTemplate) -> Programme:
    """A draft programme holding its own copy of the template's text (later edits stay local)."""
    programme = Programme(
        group_id=group.id,
        created_by_id=user.id,
        kind=template.kind,
        template_key=template.key,
        name=template.name,
        description=template.description,
        duration_weeks=template.duration_weeks,
        steps=[step.as_dict() for step in template.steps],
        questions=list(template.signup_questions),
        topics=list(template.topics),
        state="draft",
    )
    db.session.add(programme)
    db.session.flush()
    return programme


def update_copy(programme: Programme, data: dict[str, Any]) -> None:
    """Apply the edit form: everything but the state; steps decide the duration."""
    for name in (
        "name",
        "description",
        "partner_name",
        "partner_url",
        "partner_description",
        "admin_matching",
        "member_requests",
        "topics",
        "questions",
    ):
        setattr(programme, name, data[name])
    programme.steps = data["steps"]
    programme.duration_weeks = len(data["steps"])


def advance(programme: Programme, target: str) -> None:
    """Move to the next state only; going back would strand sign-ups or pairs."""
    if NEXT_STATE.get(programme.state) != target:
        raise MentorshipError(
            _(
                "A programme in state “%(state)s” cannot move to “%(target)s”.",
                state=STATE_LABELS[programme.state],
                target=STATE_LABELS.get(target, target),
            ),
            field="state",
            status=409,
        )
    programme.state = target
    if target == "running":
        programme.started_at = utcnow()
    if target == "finished":
        programme.finished_at = utcnow()
        from plugins.mentorship.pairing import complete_active_pairs

        complete_active_pairs(programme)


def group_programmes(group: Group, *, include_drafts: bool) -> list[Programme]:
    query = db.select(Programme).where(Programme.group_id == group.id)
    if not include_drafts:
        query = query.where(Programme.state != "draft")
    return list(db.session.scalars(query.order_by(Programme.id.desc())))


def programme_in_group(group: Group, programme_id: int) -> Programme | None:
    return db.session.scalar(db.select(Programme).where(Programme.id == programme_id, Programme.group_id == group.id))
