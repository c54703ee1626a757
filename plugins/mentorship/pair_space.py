"""The pair space: only the mentor and the mentee ever reach it — not group admins, not site admins.

Every page and API route of a pair loads it through :func:`pair_for`, which answers None (a
404) for anyone else, so there is one place to get the privacy rule right.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask_babel import gettext as _

from core.plugin_api import User, can_interact, db, is_authenticated, render_markdown, utcnow
from plugins.mentorship.errors import MentorshipError
from plugins.mentorship.models import Pair, PairNote, PairPost, Programme

FIT_CHECK_AFTER = timedelta(weeks=2)


def pair_for(user: Any, pair_id: int, group_id: int | None = None) -> tuple[Pair, Programme, User] | None:
    """The pair, its programme and the other person if ``user`` is one of the two, else None (one query)."""
    if not is_authenticated(user):
        return None
    other_id = db.case((Pair.mentor_id == user.id, Pair.mentee_id), else_=Pair.mentor_id)
    row = db.session.execute(
        db.select(Pair, Programme, User)
        .join(Programme, Programme.id == Pair.programme_id)
        .join(User, User.id == other_id)
        .where(Pair.id == pair_id, db.or_(Pair.mentor_id == user.id, Pair.mentee_id == user.id))
    ).first()
    if row is None or (group_id is not None and row[1].group_id != group_id):
        return None
    return row[0], row[1], row[2]


@dataclass
class PairView:
    pair: Pair
    programme: Programme
    role: str
    other: User
    blocked: bool

    @property
    def open(self) -> bool:
        """Posting and marking steps need an active pair nobody blocked."""
        return self.pair.status == "active" and not self.blocked

    @property
    def current_step(self) -> int:
        return min(self.pair.steps_done, len(self.programme.steps) - 1)

    @property
    def finished_steps(self) -> bool:
        return self.pair.steps_done >= len(self.programme.steps)

    @property
    def fit_due(self) -> bool:
        mine = self.pair.fit_mentor if self.role == "mentor" else self.pair.fit_mentee
        return self.open and mine is None and utcnow() - self.pair.started_at >= FIT_CHECK_AFTER

    @property
    def percent(self) -> int:
        return round(100 * min(self.pair.steps_done, len(self.programme.steps)) / max(len(self.programme.steps), 1))


def view_of(user: User, pair: Pair, programme: Programme, other: User) -> PairView:
    return PairView(pair, programme, pair.role_of(user.id), other, blocked=not can_interact(user, other))


def require_open(view: PairView) -> None:
    if not view.open:
        raise MentorshipError(_("This pairing has ended; nothing can be added any more."), status=409)


def _touch(pair: Pair) -> None:
    pair.last_activity_at = utcnow()


def add_post(view: PairView, author: User, body: str, parent_id: int | None = None) -> PairPost:
    require_open(view)
    if parent_id is not None:
        parent = db.session.get(PairPost, parent_id)
        if parent is None or parent.pair_id != view.pair.id or parent.parent_id is not None:
            raise MentorshipError(_("That post is not in this pair."), field="parent_id", status=404)
    post = PairPost(
        pair_id=view.pair.id,
        parent_id=parent_id,
        author_id=author.id,
        step=view.current_step,
        body=body,
        body_html=render_markdown(body),
    )
    db.session.add(post)
    _touch(view.pair)
    return post


def posts_of(pair: Pair) -> tuple[list[PairPost], dict[int, list[PairPost]]]:
    """Posts newest first and their comments oldest first, in one query."""
    rows = list(db.session.scalars(db.select(PairPost).where(PairPost.pair_id == pair.id).order_by(PairPost.id)))
    comments: dict[int, list[PairPost]] = {}
    for row in rows:
        if row.parent_id is not None:
            comments.setdefault(row.parent_id, []).append(row)
    return [row for row in reversed(rows) if row.parent_id is None], comments


def mark_step_done(view: PairView) -> None:
    require_open(view)
    if view.finished_steps:
        raise MentorshipError(_("Every step is already done."), status=409)
    view.pair.steps_done += 1
    _touch(view.pair)


def add_note(view: PairView, author: User, body: str) -> PairNote:
    if view.role != "mentor":
        raise MentorshipError(_("Only the mentor keeps notes."), status=404)
    note = PairNote(pair_id=view.pair.id, author_id=author.id, body=body, body_html=render_markdown(body))
    db.session.add(note)
    return note


def notes_of(view: PairView) -> list[PairNote]:
    if view.role != "mentor":
        return []
    return list(
        db.session.scalars(db.select(PairNote).where(PairNote.pair_id == view.pair.id).order_by(PairNote.id.desc()))
    )


def record_fit(view: PairView, answer: str) -> None:
    """The fit check opens after the second week; an answer may change while the pair is open."""
    require_open(view)
    if utcnow() - view.pair.started_at < FIT_CHECK_AFTER:
        raise MentorshipError(_("The fit check opens after your second week together."), field="answer", status=409)
    if view.role == "mentor":
        view.pair.fit_mentor = answer
    else:
        view.pair.fit_mentee = answer


def record_end_feedback(view: PairView, feedback: str, keep_posts: bool) -> None:
    """Each person's words for the other once the pair has ended; none across a block."""
    if view.pair.status == "active":
        raise MentorshipError(_("Feedback is left once the pairing has ended."), status=409)
    if view.blocked:
        raise MentorshipError(_("Feedback can no longer be left for this pairing."), status=409)
    if view.role == "mentor":
        view.pair.feedback_mentor, view.pair.keep_mentor = feedback, keep_posts
    else:
        view.pair.feedback_mentee, view.pair.keep_mentee = feedback, keep_posts
