"""The member's home page part (core's ``home`` slot): the step each active pairing is on.

One query (the member's active pairs with programme, group and the other person), and only in
groups where mentorship is switched on; a pair with someone the member cannot interact with
(a block) is left out, as its space is closed.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import render_template
from markupsafe import Markup

from core.plugin_api import Group, User, can_interact, db, is_plugin_enabled
from plugins.mentorship.models import Pair, Programme


@dataclass
class StepDue:
    pair: Pair
    programme: Programme
    group: Group
    other: User
    step_number: int
    step_title: str
    role: str


def steps_due(user: Any) -> list[StepDue]:
    """The member's active pairs in groups where mentorship is on, each with its current step."""
    other = db.aliased(User)
    rows = db.session.execute(
        db.select(Pair, Programme, Group, other)
        .join(Programme, Programme.id == Pair.programme_id)
        .join(Group, Group.id == Programme.group_id)
        .join(other, other.id == db.case((Pair.mentor_id == user.id, Pair.mentee_id), else_=Pair.mentor_id))
        .where(Pair.status == "active", db.or_(Pair.mentor_id == user.id, Pair.mentee_id == user.id))
        .order_by(Pair.id)
    ).all()
    due = []
    for pair, programme, group, person in rows:
        if not programme.steps or not is_plugin_enabled("mentorship", group) or not can_interact(user, person, group):
            continue
        index = min(pair.steps_done, len(programme.steps) - 1)
        due.append(StepDue(pair, programme, group, person, index + 1, str(programme.steps[index].get("title", "")),
                           "mentor" if pair.mentor_id == user.id else "mentee"))
    return due


def home_part(user: Any) -> Markup | None:
    if not getattr(user, "is_authenticated", False):
        return None
    due = steps_due(user)
    return Markup(render_template("mentorship/slots/home.html", due=due)) if due else None
