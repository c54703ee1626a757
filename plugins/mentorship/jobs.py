"""Background work: the weekly gentle reminder, and deleting pair posts after a programme ends.

Both run on the platform's task queue (``register_jobs``) and are idempotent: a reminder is
claimed per pair and ISO week with one conditional UPDATE, so several workers (or a re-run)
never send it twice for the same week; deleting what is already deleted changes nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from core.plugin_api import (
    Group,
    User,
    db,
    get_settings,
    interaction_barriers,
    is_plugin_enabled,
    notify_many,
    utcnow,
)
from plugins.mentorship.links import path_for
from plugins.mentorship.models import Pair, PairNote, PairPost, Programme
from plugins.mentorship.notices import REMINDER

REMINDER_JOB = "mentorship.weekly_reminder"
RETENTION_JOB = "mentorship.delete_old_posts"
QUIET_FOR = timedelta(days=7)
MONTH = timedelta(days=30)


def week_key(moment: datetime) -> str:
    year, week, _day = moment.isocalendar()
    return f"{year}-W{week:02d}"


def send_reminders(now: datetime | None = None) -> int:
    """Remind both people of every active pair quiet for 7 days, once per week; returns pairs reminded.

    Pairs one of them blocked are ended first (``end_blocked_pairs``), never reminded.
    """

    now = now or utcnow()
    key = week_key(now)
    end_blocked_pairs()
    rows = db.session.execute(
        db.select(Pair, Group)
        .join(Programme, Programme.id == Pair.programme_id)
        .join(Group, Group.id == Programme.group_id)
        .where(
            Pair.status == "active",
            Pair.last_activity_at <= now - QUIET_FOR,
            db.or_(Pair.reminded_week.is_(None), Pair.reminded_week != key),
        )
    ).all()
    reminded = 0
    for pair, group in rows:
        if not is_plugin_enabled("mentorship", group):
            continue
        mentor, mentee = db.session.get(User, pair.mentor_id), db.session.get(User, pair.mentee_id)
        claimed = db.session.execute(
            db.update(Pair)
            .where(
                Pair.id == pair.id,
                Pair.status == "active",
                db.or_(Pair.reminded_week.is_(None), Pair.reminded_week != key),
            )
            .values(reminded_week=key)
            .execution_options(page_cache_keys=())  # the week reminded shows on no cached page
        )
        if claimed.rowcount != 1:  # another worker got there first
            db.session.rollback()
            continue
        notify_many(
            [mentor, mentee],
            REMINDER,
            group=group,
            url=path_for("mentorship.pair_page", slug=group.slug, pair_id=pair.id),
            data={"week": key},
        )
        db.session.commit()
        reminded += 1
    return reminded


def end_blocked_pairs() -> int:
    """End every active pair whose two people no longer may interact; the safety net.

    A new block ends the pair at once (hook ``user_blocked``); this catches what that could not
    – a block made while this plugin was off, a policy plugin other than blocks saying no –
    with the same no-fault rematch, both told neutrally. One ``interaction_barriers`` call for
    every active pair's people, not a check per pair.
    """
    from plugins.mentorship.pairing import end_pair

    rows = db.session.execute(
        db.select(Pair, Group)
        .join(Programme, Programme.id == Pair.programme_id)
        .join(Group, Group.id == Programme.group_id)
        .where(Pair.status == "active")
    ).all()
    ids = {pair.mentor_id for pair, _group in rows} | {pair.mentee_id for pair, _group in rows}
    people = list(db.session.scalars(db.select(User).where(User.id.in_(ids)))) if ids else []
    barriers = interaction_barriers(people)
    ended = 0
    for pair, group in rows:
        if (pair.mentor_id, pair.mentee_id) in barriers or (pair.mentee_id, pair.mentor_id) in barriers:
            end_pair(pair, group, by=None, reason="blocked")
            ended += 1
    db.session.commit()
    return ended


def delete_old_posts(now: datetime | None = None) -> int:
    """Delete the posts (and the mentor's notes) of pairs in programmes finished long enough ago.

    ``retention_months`` is the plugin's setting; a pair where both chose to keep their posts
    keeps them. Returns how many posts were deleted.
    """
    now = now or utcnow()
    months = get_settings("mentorship")["retention_months"]
    cutoff = now - months * MONTH
    pair_ids = (
        db.select(Pair.id)
        .join(Programme, Programme.id == Pair.programme_id)
        .where(
            Programme.state == "finished",
            Programme.finished_at <= cutoff,
            db.not_(db.and_(Pair.keep_mentor, Pair.keep_mentee)),
        )
    )
    deleted = db.session.execute(db.delete(PairPost).where(PairPost.pair_id.in_(pair_ids))).rowcount
    db.session.execute(db.delete(PairNote).where(PairNote.pair_id.in_(pair_ids)))
    db.session.commit()
    return deleted or 0
