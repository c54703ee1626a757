"""Pairing: by hand, from suggestions (the matching engine), or by request; ending a pair.

Every way of making a pair goes through :func:`check_pair`, so the rules (same programme,
not the same person, both adults and members, no block, a mentor with a free place, no
earlier "not a good fit") hold whichever page or API call asks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from flask_babel import gettext as _

from core.plugin_api import Group, User, can_interact, db, interaction_barriers, is_member, notify_many, utcnow
from plugins.mentorship import suggestion_cache
from plugins.mentorship.errors import MentorshipError
from plugins.mentorship.links import path_for
from plugins.mentorship.matching import Mentee, Mentor, Preferences, explain_pair
from plugins.mentorship.matching.availability import week_monday
from plugins.mentorship.models import Exclusion, Pair, Programme, Signup
from plugins.mentorship.signups import is_adult

if TYPE_CHECKING:
    from plugins.mentorship.matching import MatchResult

INTRODUCTION = "mentorship_introduction"
PAIR_ENDED = "mentorship_pair_ended"


@dataclass
class Pool:
    """A programme's sign-ups with what pairing needs, loaded in a few queries."""

    mentors: list[Signup]
    mentees: list[Signup]
    users: dict[int, User]
    used: dict[int, int]  # mentor user id -> active mentees
    paired_mentees: set[int]
    ruled_out: set[tuple[int, int]]  # (mentor, mentee): not a good fit, or rejected

    def remaining(self, mentor: Signup) -> int:
        return max(mentor.capacity - self.used.get(mentor.user_id, 0), 0)


def load_pool(programme: Programme) -> Pool:
    signups = list(db.session.scalars(db.select(Signup).where(Signup.programme_id == programme.id).order_by(Signup.id)))
    ids = {signup.user_id for signup in signups}
    users = {user.id: user for user in db.session.scalars(db.select(User).where(User.id.in_(ids)))} if ids else {}
    pairs = list(db.session.scalars(db.select(Pair).where(Pair.programme_id == programme.id)))
    used: dict[int, int] = {}
    paired = set()
    ruled_out = set()
    for pair in pairs:
        if pair.status == "active":
            used[pair.mentor_id] = used.get(pair.mentor_id, 0) + 1
            paired.add(pair.mentee_id)
        elif pair.end_reason in ("not_a_good_fit", "blocked"):
            ruled_out.add((pair.mentor_id, pair.mentee_id))
    ruled_out |= {
        (row.mentor_id, row.mentee_id)
        for row in db.session.scalars(db.select(Exclusion).where(Exclusion.programme_id == programme.id))
    }
    return Pool(
        mentors=[s for s in signups if s.role == "mentor"],
        mentees=[s for s in signups if s.role == "mentee"],
        users=users,
        used=used,
        paired_mentees=paired,
        ruled_out=ruled_out,
    )


def _mentor(signup: Signup, capacity: int) -> Mentor:
    return Mentor(
        id=signup.user_id,
        topics=signup.topics,
        languages=signup.languages,
        time_zone=signup.time_zone,
        availability=[tuple(slot) for slot in signup.availability],
        preferences=Preferences(languages=signup.preferred_languages or ()),
        capacity=capacity,
    )


def _mentee(signup: Signup) -> Mentee:
    return Mentee(
        id=signup.user_id,
        topics=signup.topics,
        languages=signup.languages,
        time_zone=signup.time_zone,
        availability=[tuple(slot) for slot in signup.availability],
        preferences=Preferences(languages=signup.preferred_languages or ()),
    )


def reference_week(programme: Programme) -> date:
    return (programme.started_at or utcnow()).date()


def suggest_matches(mentors: list[Mentor], mentees: list[Mentee], **options) -> MatchResult:
    """The matching engine; its numpy and OR-Tools are imported on the first call, not with the plugin."""
    from plugins.mentorship.matching import suggest_matches as engine

    return engine(mentors, mentees, **options)


def suggestions(programme: Programme, pool: Pool) -> MatchResult:
    """The engine's optimal suggestions for everyone still unpaired; blocks and bad fits excluded.

    Blocks come from ``interaction_barriers`` (one query for the whole pool, whatever its size);
    the result is remembered while the engine's input stays the same (``suggestion_cache``).
    """
    mentors = [_mentor(s, pool.remaining(s)) for s in pool.mentors if pool.remaining(s) > 0 and s.user_id in pool.users]
    mentees = [_mentee(s) for s in pool.mentees if s.user_id not in pool.paired_mentees and s.user_id in pool.users]
    mentor_ids, mentee_ids = {m.id for m in mentors}, {m.id for m in mentees}
    forbidden = set(pool.ruled_out)
    for a, b in interaction_barriers([pool.users[i] for i in mentor_ids | mentee_ids]):
        if a in mentor_ids and b in mentee_ids:
            forbidden.add((a, b))
        if b in mentor_ids and a in mentee_ids:
            forbidden.add((b, a))
    forbidden = {(a, b) for a, b in forbidden if a in mentor_ids and b in mentee_ids}
    priority = {s.user_id for s in pool.mentees if s.priority and s.user_id in mentee_ids}
    week = week_monday(reference_week(programme))
    key = suggestion_cache.fingerprint(mentors, mentees, week=week, forbidden=forbidden, priority=priority)
    return suggestion_cache.remembered(
        programme.id,
        key,
        lambda: suggest_matches(mentors, mentees, week=week, forbidden=forbidden, priority=priority),
    )


def explain(programme: Programme, mentor: Signup, mentee: Signup):
    return explain_pair(_mentor(mentor, 1), _mentee(mentee), week=reference_week(programme))


def check_pair(programme: Programme, group: Group, mentor_id: int, mentee_id: int, pool: Pool) -> tuple[Signup, Signup]:
    """The two sign-ups if they may be paired now, else a :class:`MentorshipError` saying why."""
    if mentor_id == mentee_id:
        raise MentorshipError(_("Nobody can be paired with themselves."), field="mentee_id")
    if programme.state not in ("open", "running"):
        raise MentorshipError(_("Pairs are made while a programme is open or running."), status=409)
    mentor = next((s for s in pool.mentors if s.user_id == mentor_id), None)
    mentee = next((s for s in pool.mentees if s.user_id == mentee_id), None)
    if mentor is None:
        raise MentorshipError(_("This person has not signed up as a mentor in this programme."), field="mentor_id")
    if mentee is None:
        raise MentorshipError(_("This person has not signed up as a mentee in this programme."), field="mentee_id")
    mentor_user, mentee_user = pool.users[mentor_id], pool.users[mentee_id]
    for person, field in ((mentor_user, "mentor_id"), (mentee_user, "mentee_id")):
        if not is_member(person, group) or person.is_suspended:
            raise MentorshipError(
                _("%(name)s is no longer a member of this group.", name=person.display_name), field=field
            )
        if not is_adult(person):
            raise MentorshipError(
                _("%(name)s has not confirmed being 18 or older.", name=person.display_name), field=field
            )
    if mentee_id in pool.paired_mentees:
        raise MentorshipError(_("This mentee already has a mentor."), field="mentee_id", status=409)
    if pool.remaining(mentor) <= 0:
        raise MentorshipError(
            _("This mentor has no free place (capacity %(n)s).", n=mentor.capacity), field="mentor_id", status=409
        )
    if not (can_interact(mentor_user, mentee_user) and can_interact(mentee_user, mentor_user)):
        raise MentorshipError(_("These two people cannot be paired."), field="mentee_id", status=409)
    if (mentor_id, mentee_id) in pool.ruled_out:
        raise MentorshipError(
            _("These two were paired before and it was not a good fit."), field="mentee_id", status=409
        )
    return mentor, mentee


def make_pair(programme: Programme, group: Group, mentor_id: int, mentee_id: int) -> Pair:
    """Create the pair and introduce the two (notification and email, with the first step)."""
    pool = load_pool(programme)
    mentor, mentee = check_pair(programme, group, mentor_id, mentee_id, pool)
    pair = Pair(
        programme_id=programme.id,
        mentor_id=mentor_id,
        mentee_id=mentee_id,
        status="active",
        started_at=utcnow(),
        last_activity_at=utcnow(),
    )
    db.session.add(pair)
    mentee.priority = False
    db.session.flush()
    users = [pool.users[mentor_id], pool.users[mentee_id]]
    first = programme.steps[0]["title"] if programme.steps else ""
    names = {mentor_id: pool.users[mentor_id].display_name, mentee_id: pool.users[mentee_id].display_name}
    notify_many(
        users,
        INTRODUCTION,
        group=group,
        url=path_for("mentorship.pair_page", slug=group.slug, pair_id=pair.id),
        data=lambda user: {
            "programme": programme.name,
            "other": names[pair.other_id(user.id)],
            "role": pair.role_of(user.id),
            "first_step": first,
        },
    )
    return pair


def end_pair(pair: Pair, group: Group, *, by: User | None, reason: str, notify_other: bool = True) -> None:
    """End an active pair early; the other person is told kindly, never why nor (for a block) by whom.

    ``by`` None (a safety-net job): both are told. A block sends the same neutral notice as an
    erased account does – "ended, you will be matched again first" – so it reveals nothing.
    """
    if pair.status != "active":
        raise MentorshipError(_("This pairing has already ended."), status=409)
    pair.status = "ended"
    pair.end_reason = reason
    pair.ended_at = utcnow()
    rematch = reason in ("not_a_good_fit", "blocked", "account_erased")
    if rematch:
        offer_rematch(pair, by)
    if not notify_other:
        return
    ids = [pair.mentor_id, pair.mentee_id] if by is None else [pair.other_id(by.id)]
    told = list(db.session.scalars(db.select(User).where(User.id.in_(ids))))
    if told:
        notify_many(
            told,
            PAIR_ENDED,
            group=group,
            bypass_policy=True,
            url=path_for("mentorship.programme_page", slug=group.slug, programme_id=pair.programme_id),
            data={"reason": "fit" if reason == "not_a_good_fit" else "ended", "rematch": rematch},
        )


def offer_rematch(pair: Pair, by: User | None) -> None:
    """The mentee goes first in the next suggestions (no fault, whoever ended it)."""
    signup = db.session.scalar(
        db.select(Signup).where(
            Signup.programme_id == pair.programme_id, Signup.user_id == pair.mentee_id, Signup.role == "mentee"
        )
    )
    if signup is not None:
        signup.priority = True


def complete_active_pairs(programme: Programme) -> None:
    """A finished programme completes every pair still active: it ran its course."""
    for pair in db.session.scalars(db.select(Pair).where(Pair.programme_id == programme.id, Pair.status == "active")):
        pair.status = "completed"
        pair.ended_at = utcnow()


def reject_suggestion(programme: Programme, mentor_id: int, mentee_id: int) -> None:
    exists = db.session.scalar(
        db.select(Exclusion.id).where(
            Exclusion.programme_id == programme.id, Exclusion.mentor_id == mentor_id, Exclusion.mentee_id == mentee_id
        )
    )
    if exists is None:
        db.session.add(Exclusion(programme_id=programme.id, mentor_id=mentor_id, mentee_id=mentee_id))


def pairs_between(user_a: int, user_b: int) -> list[Pair]:
    return list(
        db.session.scalars(
            db.select(Pair).where(
                Pair.status == "active",
                db.or_(
                    db.and_(Pair.mentor_id == user_a, Pair.mentee_id == user_b),
                    db.and_(Pair.mentor_id == user_b, Pair.mentee_id == user_a),
                ),
            )
        )
    )


def programme_group(pair: Pair) -> tuple[Programme, Group]:
    programme = db.session.get(Programme, pair.programme_id)
    return programme, db.session.get(Group, programme.group_id)


def end_for_block(blocker: User, blocked: User) -> int:
    """A block ends every active pair of the two at once (hook ``user_blocked``); returns how many.

    Same transaction as the block; the blocked person gets the neutral "ended" notice with a
    no-fault rematch, and the two are ruled out of each other's suggestions by the block itself.
    """
    ended = 0
    for pair in pairs_between(blocker.id, blocked.id):
        _programme, group = programme_group(pair)
        end_pair(pair, group, by=blocker, reason="blocked")
        ended += 1
    return ended
