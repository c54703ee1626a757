"""Jobs: the weekly gentle reminder (once per week, never twice) and deleting old pair posts."""
from __future__ import annotations

from datetime import timedelta

from core.plugin_api import Notification, db, utcnow
from plugins.mentorship.jobs import delete_old_posts, end_blocked_pairs, send_reminders
from plugins.mentorship.models import PairNote, PairPost


def _reminders():
    return sorted(n.user_id for n in db.session.scalars(db.select(Notification).where(
        Notification.kind == "mentorship_reminder")))


def _quiet(pair, days):
    pair.last_activity_at = utcnow() - timedelta(days=days)
    db.session.commit()


def test_a_pair_quiet_for_seven_days_is_reminded_once_that_week(circle, pair):
    _quiet(pair, 8)
    assert send_reminders() == 1
    assert _reminders() == sorted([circle.mentor.id, circle.mentee.id])
    assert send_reminders() == 0  # a second run (or a second worker) the same week sends nothing
    assert len(_reminders()) == 2


def test_a_pair_that_talked_this_week_is_not_reminded(circle, pair):
    _quiet(pair, 3)
    assert send_reminders() == 0 and _reminders() == []


def test_still_quiet_a_week_later_gets_one_more_reminder(circle, pair):
    _quiet(pair, 8)
    send_reminders()
    assert send_reminders(now=utcnow() + timedelta(days=7)) == 1
    assert len(_reminders()) == 4


def test_the_reminder_is_emailed_to_both_in_their_language(circle, pair, outbox):
    circle.mentee.locale = "de"
    db.session.commit()
    _quiet(pair, 8)
    send_reminders()
    mails = {row.to_addr: row for row in outbox()}
    assert "It has been a quiet week in your mentorship pair." in mails[circle.mentor.email].body_text
    assert "Es war eine ruhige Woche in eurem Mentoring-Paar." in mails[circle.mentee.email].body_text


def test_the_hourly_safety_net_ends_a_pair_whose_block_was_not_announced(circle, pair):
    """A block stored while mentorship could not hear it (the plugin off, its listener failed)."""
    from plugins.mentorship.models import Signup
    from plugins.reporting.models import Block

    db.session.add(Block(blocker_id=circle.mentor.id, blocked_id=circle.mentee.id))
    db.session.commit()
    assert end_blocked_pairs() == 1
    db.session.refresh(pair)
    assert (pair.status, pair.end_reason) == ("ended", "blocked")
    assert db.session.scalar(db.select(Signup.priority).where(Signup.user_id == circle.mentee.id))
    _quiet(pair, 8)
    assert send_reminders() == 0


def _finished_with_posts(programme, pair, months_ago):
    db.session.add_all([PairPost(pair_id=pair.id, author_id=pair.mentor_id, body="x", body_html="<p>x</p>"),
                        PairNote(pair_id=pair.id, author_id=pair.mentor_id, body="n", body_html="<p>n</p>")])
    programme.state = "finished"
    programme.finished_at = utcnow() - timedelta(days=30 * months_ago + 1)
    db.session.commit()


def test_posts_are_deleted_months_after_the_programme_finishes(circle, programme, pair):
    _finished_with_posts(programme, pair, 12)
    assert delete_old_posts() == 1
    assert db.session.scalar(db.select(PairPost)) is None and db.session.scalar(db.select(PairNote)) is None
    assert delete_old_posts() == 0


def test_posts_are_kept_before_the_time_or_when_both_keep_them(circle, programme, pair):
    _finished_with_posts(programme, pair, 11)
    assert delete_old_posts() == 0
    programme.finished_at = utcnow() - timedelta(days=400)
    pair.keep_mentor = pair.keep_mentee = True
    db.session.commit()
    assert delete_old_posts() == 0
    pair.keep_mentee = False
    db.session.commit()
    assert delete_old_posts() == 1


def test_both_jobs_are_registered_on_the_platform_queue(app):
    from core.jobs import get_registry

    names = set(get_registry().names()) if hasattr(get_registry(), "names") else set(get_registry().jobs)
    assert {"mentorship.weekly_reminder", "mentorship.delete_old_posts"} <= names
