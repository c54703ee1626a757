"""The admin view of a programme: counts only, never words; small figures withheld.

A figure computed from fewer than ``MIN_PAIRS`` pairs could point at one person ("the one
pair that said 'not a good fit'"), so it is replaced by None and shown as hidden.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from core.plugin_api import db, utcnow
from plugins.mentorship.models import Pair, Programme, Signup

MIN_PAIRS = 5
ACTIVITY_BUCKETS = (("this_week", timedelta(days=7)), ("this_month", timedelta(days=30)))


def programme_figures(programme: Programme) -> dict[str, Any]:
    """Sign-ups, pairs and (from 5 pairs on) steps, activity, fit checks, completed/ended."""
    mentors, mentees = (
        db.session.scalar(
            db.select(db.func.count(Signup.id)).where(Signup.programme_id == programme.id, Signup.role == role)
        )
        or 0
        for role in ("mentor", "mentee")
    )
    pairs = list(
        db.session.execute(
            db.select(Pair.status, Pair.steps_done, Pair.last_activity_at, Pair.fit_mentor, Pair.fit_mentee).where(
                Pair.programme_id == programme.id
            )
        )
    )
    figures: dict[str, Any] = {
        "mentors": mentors,
        "mentees": mentees,
        "pairs": len(pairs),
        "hidden": len(pairs) < MIN_PAIRS,
        "min_pairs": MIN_PAIRS,
    }
    if figures["hidden"]:
        return figures
    now = utcnow()
    buckets = {"this_week": 0, "this_month": 0, "older": 0}
    for row in pairs:
        age = now - row.last_activity_at
        key = next((name for name, limit in ACTIVITY_BUCKETS if age <= limit), "older")
        buckets[key] += 1
    fits: dict[str, int] = {"good_fit": 0, "still_deciding": 0, "not_a_good_fit": 0}
    for row in pairs:
        for answer in (row.fit_mentor, row.fit_mentee):
            if answer in fits:
                fits[answer] += 1
    figures.update(
        {
            "active": sum(row.status == "active" for row in pairs),
            "completed": sum(row.status == "completed" for row in pairs),
            "ended": sum(row.status == "ended" for row in pairs),
            "steps_done": sum(row.steps_done for row in pairs),
            "activity": buckets,
            "fits": fits,
        }
    )
    return figures
