"""Members' email choices per kind: a row exists only where a member changed the default."""
from __future__ import annotations

from collections.abc import Iterable

from core.extensions import db
from core.models import NotificationPreference, User
from core.notifications.kinds import registry


def active_email_kinds() -> dict[str, bool]:
    """The email kinds a member can choose now (core's and enabled plugins'), each with its default."""
    return {name: kind.default for name, kind in registry().choosable_email_kinds().items()}


def email_kind_labels() -> dict[str, str]:
    """What the preferences page calls each active kind, in the current language."""
    return {name: str(kind.label) for name, kind in registry().choosable_email_kinds().items()}


def email_preferences(user: User) -> dict[str, bool]:
    """Every active email kind with the member's choice (the default where they made none); one query."""
    rows = db.session.execute(
        db.select(NotificationPreference.kind, NotificationPreference.email_enabled)
        .where(NotificationPreference.user_id == user.id)
    ).all()
    chosen = {kind: bool(enabled) for kind, enabled in rows}
    return {kind: chosen.get(kind, default) for kind, default in active_email_kinds().items()}


def set_email_preferences(user: User, changes: dict[str, bool]) -> None:
    """Store choices for the given kinds (a row only where it differs from the default); caller commits."""
    rows = {
        pref.kind: pref
        for pref in db.session.scalars(
            db.select(NotificationPreference).where(NotificationPreference.user_id == user.id)
        )
    }
    active = active_email_kinds()
    for kind, enabled in changes.items():
        if kind not in active:
            raise KeyError(kind)
        row = rows.get(kind)
        if enabled == active[kind]:
            if row is not None:
                db.session.delete(row)
        elif row is None:
            db.session.add(NotificationPreference(user_id=user.id, kind=kind, email_enabled=enabled))
        else:
            row.email_enabled = enabled


def who_wants_email(kind: str, user_ids: Iterable[int]) -> set[int]:
    """Of ``user_ids``, those who want the email of ``kind``: its default unless they chose
    otherwise on their notification settings page. One query for any number of people; none
    for kinds members cannot switch off (no label: everyone); an unknown kind: nobody.

    ``notify`` asks this itself. Call it when you send mail of a kind you declared with
    ``register_email_kinds`` outside ``notify`` (a digest job, say), so members' choices
    hold there too::

        wanted = who_wants_email("hello_digest", [u.id for u in readers])
        for user in readers:
            if user.id in wanted and user.email_confirmed:
                enqueue_mail(user.email, ...)

    It does not look at the address: check that it is confirmed yourself."""
    ids = set(user_ids)
    entry = registry().email.get(kind)
    if entry is None or not ids:
        return set()
    if entry.kind.label is None:
        return ids
    changed = dict(db.session.execute(
        db.select(NotificationPreference.user_id, NotificationPreference.email_enabled)
        .where(NotificationPreference.kind == kind, NotificationPreference.user_id.in_(ids))
    ).all())
    return {uid for uid in ids if bool(changed.get(uid, entry.kind.default))}
