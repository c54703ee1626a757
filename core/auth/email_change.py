"""Changing a member's email address: asked with the password, done from a link sent to the new one.

The request sends a confirmation link to the new address and a notice to the old one; the
account keeps its old address until the link is used. If the new address already belongs to
an account, the person asking sees exactly the same answer (the page must not reveal who has
an account) and the new address gets a note instead of a link, so its owner learns about it.
The link is a signed token bound to the address the account had when it was asked
(``core.auth.tokens``): once the change is made, or the address changed some other way, the
link stops working; it expires after two days. Log-in sessions are not touched.
"""
from __future__ import annotations

from typing import Any

from core.auth.tokens import email_change_for, email_change_token
from core.extensions import db
from core.mail_render import absolute, path_for, render_email
from core.models import User
from core.models.base import utcnow
from core.outbox import enqueue


class AddressTaken(Exception):
    """Someone else took the new address between the request and the confirmation."""


pending_change = email_change_for


def _owner(email: str, other_than: User | None = None) -> User | None:
    """The account that has ``email``, if any (besides ``other_than``)."""
    stmt = db.select(User).where(db.func.lower(User.email) == email.lower())
    if other_than is not None:
        stmt = stmt.where(User.id != other_than.id)
    return db.session.scalar(stmt.limit(1))


def _mail(user: User, kind: str, to: str, **context: Any) -> None:
    mail = render_email(kind, user, **context)
    enqueue(to, mail.subject, mail.text, mail.html)


def request_change(user: User, new_email: str) -> None:
    """Queue the mails for a change to ``new_email`` (in the caller's transaction); change nothing yet."""
    owner = _owner(new_email)
    if owner is not None:
        # Written for that address's owner (their name, their language), never the requester's.
        _mail(owner, "email_in_use", new_email, url=absolute(path_for("auth.forgot_password")))
    else:
        url = absolute(path_for("auth.confirm_email_change", token=email_change_token(user, new_email)))
        _mail(user, "email_change", new_email, url=url, new_email=new_email)
    _mail(user, "email_change_notice", user.email, new_email=new_email,
          url=absolute(path_for("auth.settings_password")))


def confirm_change(user: User, new_email: str) -> None:
    """Move the account to ``new_email`` (confirmed: the link was opened from it)."""
    if _owner(new_email, other_than=user) is not None:
        raise AddressTaken(new_email)
    user.email = new_email
    user.email_confirmed_at = utcnow()
