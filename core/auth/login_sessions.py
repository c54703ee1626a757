"""Log-in sessions kept on the server, so that logging out really ends them.

Flask's session cookie is signed, not stored: without a server-side record, a copy taken before
log-out keeps working, and a remember-me cookie logs back in for its whole lifetime. So each
log-in creates a ``LoginSession`` row, and both cookies carry ``"<user id>:<secret>"`` (what
``User.get_id`` returns while the session starts). ``core.auth.session.load_user`` accepts them
only while the row exists and has not been idle too long. Log-out deletes the row; Settings →
Sessions lists the rows and ends any or all of them; a new password ends every other session,
a suspension every session.

"Last seen" is approximate on purpose: it is written at most once every
``LOGIN_SESSION_TOUCH_SECONDS`` (5 minutes) per session, in a one-statement transaction of its
own when the session is loaded, so reading pages does not write on every request.
"""
from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, g, has_request_context, request, session
from flask_login import current_user, login_user, logout_user
from sqlalchemy import and_, delete, or_, update
from sqlalchemy.exc import SQLAlchemyError

from core.auth import user_agents
from core.extensions import db
from core.models import LoginSession, User
from core.models.base import utcnow

log = logging.getLogger(__name__)


@dataclass
class Current:
    """The session of this request, as loaded with the user."""

    id: int
    last_seen_at: datetime


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def parse_cookie_id(cookie_id: str) -> tuple[int, str] | None:
    """(user id, secret) from the id the cookies carry; None if it is not one of ours."""
    user_id, _sep, secret = (cookie_id or "").partition(":")
    if not user_id.isdigit() or len(secret) < 20:
        return None
    return int(user_id), secret


def _seconds(value: int | float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def idle_limit(remembered: bool) -> timedelta:
    """How long a session may go unused: the remember-me lifetime, or ``LOGIN_SESSION_IDLE_SECONDS``."""
    config = current_app.config
    key = "REMEMBER_COOKIE_DURATION" if remembered else "LOGIN_SESSION_IDLE_SECONDS"
    return timedelta(seconds=_seconds(config[key]))


def still_open(last_seen_at: datetime, remembered: bool) -> bool:
    return last_seen_at > utcnow() - idle_limit(remembered)


def create(user: User, *, remembered: bool = False, user_agent: str | None = None) -> tuple[LoginSession, str]:
    """A new session row for ``user`` and the id its cookies carry (the caller commits)."""
    secret = secrets.token_urlsafe(32)
    browser, platform = user_agents.describe(user_agent)
    row = LoginSession(user_id=user.id, token_hash=hash_secret(secret), remembered=remembered,
                       browser=browser, platform=platform)
    db.session.add(row)
    db.session.flush()
    return row, f"{user.id}:{secret}"


def start(user: User, *, remember: bool = False) -> LoginSession:
    """Log ``user`` in on this browser with a new session (the caller commits)."""
    prune_expired()
    row, cookie_id = create(user, remembered=remember, user_agent=request.headers.get("User-Agent"))
    user.login_secret = cookie_id.partition(":")[2]
    try:
        login_user(user, remember=remember)
    finally:
        user.login_secret = None
    g.login_session = Current(row.id, row.last_seen_at)
    return row


def current() -> Current | None:
    """The session of this request (None for visitors, API tokens and outside requests)."""
    if not has_request_context():
        return None
    current_user.is_authenticated  # noqa: B018 - loading the user is what finds the session
    return g.get("login_session")


def touch_if_due(this: Current) -> None:
    """Move "last seen" forward if it is older than ``LOGIN_SESSION_TOUCH_SECONDS``; best effort."""
    now = utcnow()
    interval = timedelta(seconds=_seconds(current_app.config["LOGIN_SESSION_TOUCH_SECONDS"]))
    if this.last_seen_at > now - interval:
        return
    statement = update(LoginSession.__table__).where(LoginSession.id == this.id).values(last_seen_at=now)
    try:
        with db.engine.begin() as connection:
            connection.execute(statement)
    except SQLAlchemyError:  # a busy database must not cost the page; the next request tries again
        log.warning("Could not update last-seen of login session %s", this.id, exc_info=True)
        return
    this.last_seen_at = now


def forget_dead_cookies() -> None:
    """The cookies name a session that has ended: stop sending them (no reload on every request)."""
    session.pop("_user_id", None)
    if current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies:
        session["_remember"] = "clear"


def end_current() -> None:
    """Log out this browser: its session row goes and both cookies are dropped (the caller commits)."""
    this = current()
    g.pop("login_session", None)
    if this is not None:
        db.session.execute(delete(LoginSession).where(LoginSession.id == this.id))
    logout_user()


def end(user: User, session_id: int) -> bool:
    """End one of ``user``'s sessions; False if they have no such session (the caller commits)."""
    this = current()
    if this is not None and this.id == session_id:
        end_current()
        return True
    result = db.session.execute(
        delete(LoginSession).where(LoginSession.id == session_id, LoginSession.user_id == user.id))
    return bool(result.rowcount)


def end_all(user: User, *, keep_current: bool = False) -> None:
    """End every session of ``user`` (but this browser's, with ``keep_current``); the caller commits.

    This browser's cookies stay as they are: a caller that ends its own session logs out too.
    """
    statement = delete(LoginSession).where(LoginSession.user_id == user.id)
    this = current()
    if keep_current and this is not None:
        statement = statement.where(LoginSession.id != this.id)
    db.session.execute(statement.execution_options(synchronize_session=False))


def active(user: User) -> list[LoginSession]:
    """``user``'s open sessions, most recently used first."""
    rows = db.session.scalars(
        db.select(LoginSession).where(LoginSession.user_id == user.id)
        .order_by(LoginSession.last_seen_at.desc(), LoginSession.id.desc()))
    return [row for row in rows if still_open(row.last_seen_at, row.remembered)]


def prune_expired() -> None:
    """Delete every session idle for longer than its limit (run at log-in, which writes anyway)."""
    now = utcnow()
    db.session.execute(delete(LoginSession).where(or_(
        and_(LoginSession.remembered.is_(True), LoginSession.last_seen_at <= now - idle_limit(True)),
        and_(LoginSession.remembered.is_(False), LoginSession.last_seen_at <= now - idle_limit(False)),
    )).execution_options(synchronize_session=False))
