"""Export and erase: a member's own sign-ups, pairings, posts and notes; erasing ends their pairs."""

from __future__ import annotations

from typing import Any

from core.plugin_api import Group, User, db
from plugins.mentorship.models import MatchRequest, Pair, PairNote, PairPost, Programme, Signup


def export(user: User) -> dict[str, Any]:
    signups = db.session.execute(
        db.select(Signup, Programme)
        .join(Programme, Programme.id == Signup.programme_id)
        .where(Signup.user_id == user.id)
        .order_by(Signup.id)
    ).all()
    pairs = db.session.execute(
        db.select(Pair, Programme)
        .join(Programme, Programme.id == Pair.programme_id)
        .where(db.or_(Pair.mentor_id == user.id, Pair.mentee_id == user.id))
        .order_by(Pair.id)
    ).all()
    posts = db.session.scalars(db.select(PairPost).where(PairPost.author_id == user.id).order_by(PairPost.id))
    notes = db.session.scalars(db.select(PairNote).where(PairNote.author_id == user.id).order_by(PairNote.id))
    return {
        "signups": [
            {
                "programme": p.name,
                "role": s.role,
                "goals": s.goals,
                "topics": s.topics,
                "languages": s.languages,
                "preferred_languages": s.preferred_languages,
                "time_zone": s.time_zone,
                "availability": s.availability,
                "answers": s.answers,
                "capacity": s.capacity,
                "created_at": s.created_at.isoformat(),
            }
            for s, p in signups
        ],
        "pairings": [
            {
                "id": pair.id,
                "programme": p.name,
                "role": pair.role_of(user.id),
                "status": pair.status,
                "steps_done": pair.steps_done,
                "started_at": pair.started_at.isoformat(),
                "ended_at": pair.ended_at.isoformat() if pair.ended_at else None,
                "my_fit_check": pair.fit_mentor if pair.role_of(user.id) == "mentor" else pair.fit_mentee,
                "my_feedback": pair.feedback_mentor if pair.role_of(user.id) == "mentor" else pair.feedback_mentee,
            }
            for pair, p in pairs
        ],
        "posts": [
            {"pair": post.pair_id, "body": post.body, "created_at": post.created_at.isoformat()} for post in posts
        ],
        "notes": [
            {"pair": note.pair_id, "body": note.body, "created_at": note.created_at.isoformat()} for note in notes
        ],
    }


def erase(user: User) -> None:
    """End the person's active pairs kindly (the other is offered a rematch), then delete their data."""
    from plugins.mentorship.pairing import end_pair

    active = list(
        db.session.scalars(
            db.select(Pair).where(Pair.status == "active", db.or_(Pair.mentor_id == user.id, Pair.mentee_id == user.id))
        )
    )
    for pair in active:
        group = db.session.scalar(
            db.select(Group).join(Programme, Programme.group_id == Group.id).where(Programme.id == pair.programme_id)
        )
        end_pair(pair, group, by=user, reason="account_erased")
    db.session.flush()
    db.session.execute(db.delete(PairNote).where(PairNote.author_id == user.id))
    db.session.execute(db.delete(PairPost).where(PairPost.author_id == user.id))
    db.session.execute(
        db.delete(MatchRequest).where(db.or_(MatchRequest.mentor_id == user.id, MatchRequest.mentee_id == user.id))
    )
    db.session.execute(db.delete(Signup).where(Signup.user_id == user.id))
    pair_ids = [
        pair.id
        for pair in db.session.scalars(
            db.select(Pair).where(db.or_(Pair.mentor_id == user.id, Pair.mentee_id == user.id))
        )
    ]
    if pair_ids:
        db.session.execute(db.delete(PairPost).where(PairPost.pair_id.in_(pair_ids)))
        db.session.execute(db.delete(PairNote).where(PairNote.pair_id.in_(pair_ids)))
        db.session.execute(db.delete(Pair).where(Pair.id.in_(pair_ids)))
