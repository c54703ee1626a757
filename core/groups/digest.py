"""The email digest: a daily or weekly summary of new posts in one's groups, as a periodic job.

Members choose "off" (the default), "daily" or "weekly" on their email settings. The job runs
every hour; for each member whose digest is due it first claims the period that just ended
(``users.digest_sent_period``, set with a conditional UPDATE), then sends one mail listing the
posts of that period in their groups — muted groups and people hidden from them left out.
Claiming before sending makes the job idempotent: run twice, or by two workers at once, each
period's digest goes out once. A period without new posts is claimed and sends nothing.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from flask import url_for

from core.extensions import db
from core.mail_render import absolute, render_email
from core.models import Group, Membership, Post, User
from core.models.base import utcnow
from core.outbox import enqueue
from core.visibility import not_hidden

FREQUENCIES = ("off", "daily", "weekly")
JOB = "core.digest.send"
MAX_POSTS = 30
BATCH = 200


def period(frequency: str, now: datetime) -> tuple[str, datetime, datetime]:
    """The period that ended last before ``now``: (key, start, end), in UTC."""
    today = datetime(now.year, now.month, now.day, tzinfo=UTC)
    if frequency == "daily":
        start = today - timedelta(days=1)
        return f"daily:{start.date().isoformat()}", start, today
    monday = today - timedelta(days=today.weekday())
    start = monday - timedelta(days=7)
    year, week, _day = start.isocalendar()
    return f"weekly:{year}-W{week:02d}", start, monday


def _claim(user_id: int, key: str) -> bool:
    """Mark ``key`` as sent for the member; False when it already was (another run took it)."""
    result = db.session.execute(
        db.update(User).where(User.id == user_id,
                              db.or_(User.digest_sent_period.is_(None), User.digest_sent_period != key))
        .values(digest_sent_period=key).execution_options(synchronize_session=False))
    return bool(result.rowcount)


def posts_for(user: User, start: datetime, end: datetime) -> list[Post]:
    """New posts of the period in the member's groups (not muted), newest first; one query."""
    stmt = (
        db.select(Post).join(Membership, db.and_(Membership.group_id == Post.group_id, Membership.user_id == user.id))
        .join(Post.group).join(Post.author)
        .options(db.contains_eager(Post.group), db.contains_eager(Post.author))
        .where(Membership.notify_level != "muted", Post.created_at >= start, Post.created_at < end,
               Post.author_id != user.id, not_hidden(Post.author_id, user, Post.group_id))
        .order_by(Group.name, Post.created_at.desc()).limit(MAX_POSTS)
    )
    return list(db.session.scalars(stmt))


def send_digests(now: datetime | None = None) -> int:
    """Send every due digest (daily and weekly); returns how many mails were queued."""
    now = now or utcnow()
    sent = 0
    last_id = 0
    while True:
        users = list(db.session.scalars(
            db.select(User).where(User.id > last_id, User.digest.in_(("daily", "weekly")),
                                  User.email_confirmed_at.is_not(None))
            .order_by(User.id).limit(BATCH)))
        if not users:
            return sent
        for user in users:
            sent += _send_one(user, now)
        last_id = users[-1].id


def _send_one(user: User, now: datetime) -> int:
    if user.is_suspended:
        return 0
    key, start, end = period(user.digest, now)
    if user.digest_sent_period == key or not _claim(user.id, key):
        return 0
    posts = posts_for(user, start, end)
    if posts:
        mail = render_email("digest", user, posts=[_entry(post) for post in posts], frequency=user.digest,
                            start=start, end=end - timedelta(seconds=1),
                            url=absolute(url_for("web.index")),
                            settings_url=absolute(url_for("notifications.settings")))
        enqueue(user.email, mail.subject, mail.text, mail.html)
    db.session.commit()
    return 1 if posts else 0


def _entry(post: Post) -> dict[str, Any]:
    from core.groups.content_actions import _excerpt

    return {"group": post.group.name, "author": post.author.display_name, "excerpt": _excerpt(post.body_source, 200),
            "url": absolute(url_for("groups.post", slug=post.group.slug, post_id=post.id))}


def set_frequency(user: User, frequency: str) -> None:
    """Choose the digest (the caller checked ``frequency``); the next due period is sent, not past ones."""
    if frequency not in FREQUENCIES:
        raise ValueError(frequency)
    if frequency != user.digest and frequency != "off":
        user.digest_sent_period = period(frequency, utcnow())[0]
    user.digest = frequency
    db.session.commit()


