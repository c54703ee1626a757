"""Signing up as mentor or mentee: who may, and the rules a sign-up keeps."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from core.plugin_api import User, db, is_authenticated, is_member
from plugins.mentorship.errors import MentorshipError
from plugins.mentorship.models import Pair, Programme, Signup
from plugins.mentorship.schemas import availability_slots


def is_adult(user: Any) -> bool:
    """The account's 18+ attestation, made at registration (core requires it to sign up)."""
    return getattr(user, "adult_attested_at", None) is not None


def refusal(user: Any, programme: Programme, group: Any, role: str, signed_up: bool | None = None) -> str | None:
    """Why ``user`` cannot sign up in ``role`` — a sentence to show — or None if they can."""
    if not is_authenticated(user):
        return _("Log in to sign up.")
    if not is_member(user, group):
        return _("Only members of this group can sign up. Join the group first.")
    if not is_adult(user):
        return _("Mentorship programmes are for adults only: your account has no 18+ confirmation.")
    if programme.state != "open":
        return _("This programme is not open for sign-up.")
    if signed_up if signed_up is not None else find(programme.id, user.id, role) is not None:
        if role == "mentor":
            return _("You have already signed up as a mentor in this programme.")
        return _("You have already signed up as a mentee in this programme.")
    return None


def find(programme_id: int, user_id: int, role: str) -> Signup | None:
    return db.session.scalar(
        db.select(Signup).where(Signup.programme_id == programme_id, Signup.user_id == user_id, Signup.role == role)
    )


def apply(signup: Signup, data: dict[str, Any], role: str) -> None:
    signup.goals = data["goals"]
    signup.topics = sorted(set(data["topics"]))
    signup.languages = sorted(set(data["languages"]))
    signup.preferred_languages = sorted(set(data.get("preferred_languages") or ()) & set(signup.languages))
    signup.time_zone = data["time_zone"]
    signup.availability = availability_slots(data["availability"])
    signup.answers = {str(index): answer for index, answer in enumerate(data.get("answers") or []) if answer}
    signup.capacity = data["capacity"] if role == "mentor" else 1


def sign_up(user: User, programme: Programme, group: Any, role: str, data: dict[str, Any]) -> Signup:
    reason = refusal(user, programme, group, role)
    if reason is not None:
        raise MentorshipError(reason, status=409 if find(programme.id, user.id, role) else 403)
    signup = Signup(programme_id=programme.id, user_id=user.id, role=role)
    apply(signup, data, role)
    db.session.add(signup)
    db.session.flush()
    return signup


def active_pair_count(programme_id: int, user_id: int, role: str) -> int:
    column = Pair.mentor_id if role == "mentor" else Pair.mentee_id
    return (
        db.session.scalar(
            db.select(db.func.count(Pair.id)).where(
                Pair.programme_id == programme_id, column == user_id, Pair.status == "active"
            )
        )
        or 0
    )


def withdraw(user: User, programme: Programme, role: str) -> None:
    """Withdrawing is possible until paired; the sign-up is deleted, nothing kept."""
    signup = find(programme.id, user.id, role)
    if signup is None:
        raise MentorshipError(_("You have not signed up in this role."), status=404)
    if active_pair_count(programme.id, user.id, role):
        raise MentorshipError(_("You are already paired. End the pairing from your pair's page instead."), status=409)
    db.session.delete(signup)
