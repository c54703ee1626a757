"""A member's right to their data: export everything, or erase the account and what they wrote.

Plugins take part through the ``export_user_data`` and ``erase_user_data`` hooks. Erasure is
all or nothing: it runs in the caller's transaction, plugins first, then the core's rows,
then the account; if any plugin fails, everything is undone, the member is told and the
site admins are alerted. An export names every plugin whose part it could not include.
"""
from __future__ import annotations

import logging
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.orm import aliased

from core import search
from core.extensions import db
from core.groups.errors import ActionError
from core.models import (
    ApiToken,
    Comment,
    CommentReaction,
    Group,
    Invitation,
    JoinRequest,
    LoginSession,
    Membership,
    Notification,
    NotificationPreference,
    OutboxMessage,
    PendingImage,
    Post,
    PostImage,
    PostReaction,
    User,
)
from core.models.base import utcnow
from core.notify import notify
from core.plugins import get_plugins
from core.plugins.runner import HookAborted
from core.storage import delete_after_commit

log = logging.getLogger("commonground.privacy")


class LastOwnerError(Exception):
    """The account owns groups that still have other members; ownership must be handed over first."""

    def __init__(self, groups: list[Group]) -> None:
        self.groups = groups
        names = ", ".join(g.name for g in groups)
        super().__init__(_("You are the last owner of %(groups)s. Make another member an owner (or remove the "
                           "other members) before deleting your account.", groups=names))


class ErasureFailed(ActionError):
    """A plugin could not erase its part, so nothing was deleted (the caller rolled back)."""

    status = 503

    def __init__(self, plugin_id: str, plugin_name: str) -> None:
        super().__init__(_("Your account could not be deleted, because the feature “%(name)s” could not erase "
                           "its part of your data. Nothing was deleted. The site's admins have been told; please "
                           "try again later.", name=plugin_name))
        self.plugin_id = plugin_id
        self.plugin_name = plugin_name


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def export_user_data(user: User) -> dict[str, Any]:
    """Everything the platform keeps about ``user``: each plugin's part under its id, and in
    ``incomplete`` the plugins whose part could not be included (their hook failed)."""
    data: dict[str, Any] = {
        "format": "commonground-export-1",
        "exported_at": _iso(utcnow()),
        "account": {
            "id": user.id, "email": user.email, "username": user.username, "display_name": user.display_name,
            "bio": user.bio, "locale": user.locale, "country": user.country,
            "created_at": _iso(user.created_at), "adult_attested_at": _iso(user.adult_attested_at),
            "email_confirmed_at": _iso(user.email_confirmed_at), "is_site_admin": user.is_site_admin,
            "suspended_at": _iso(user.suspended_at), "suspended_until": _iso(user.suspended_until),
            "suspension_reason": user.suspension_reason, "profile_visibility": user.profile_visibility,
            "digest": user.digest,
            # The picture itself is at /files/<key> while the account exists.
            "avatar_file": user.avatar_key,
        },
        "memberships": [
            {"group": slug, "group_name": name, "role": role, "notifications": level, "joined_at": _iso(created),
             "read_until": _iso(read)}
            for slug, name, role, level, created, read in db.session.execute(
                select(Group.slug, Group.name, Membership.role, Membership.notify_level, Membership.created_at,
                       Membership.read_until)
                .join(Group, Group.id == Membership.group_id)
                .where(Membership.user_id == user.id).order_by(Membership.created_at)
            )
        ],
        "join_requests": [
            {"group": slug, "answer": answer, "status": status, "created_at": _iso(created)}
            for slug, answer, status, created in db.session.execute(
                select(Group.slug, JoinRequest.answer, JoinRequest.status, JoinRequest.created_at)
                .join(Group, Group.id == JoinRequest.group_id)
                .where(JoinRequest.user_id == user.id).order_by(JoinRequest.created_at)
            )
        ],
        "posts": [
            {"id": pid, "group": slug, "body": body, "created_at": _iso(created), "edited_at": _iso(edited)}
            for pid, slug, body, created, edited in db.session.execute(
                select(Post.id, Group.slug, Post.body_source, Post.created_at, Post.edited_at)
                .join(Group, Group.id == Post.group_id)
                .where(Post.author_id == user.id).order_by(Post.created_at, Post.id)
            )
        ],
        "post_images": [
            {"post_id": post_id, "file": key, "alt_text": alt, "width": width, "height": height}
            for post_id, key, alt, width, height in db.session.execute(
                select(PostImage.post_id, PostImage.file_key, PostImage.alt_text, PostImage.width, PostImage.height)
                .join(Post, Post.id == PostImage.post_id)
                .where(Post.author_id == user.id).order_by(PostImage.post_id, PostImage.position)
            )
        ],
        "comments": [
            {"id": cid, "post_id": post_id, "body": body, "created_at": _iso(created), "edited_at": _iso(edited)}
            for cid, post_id, body, created, edited in db.session.execute(
                select(Comment.id, Comment.post_id, Comment.body_source, Comment.created_at, Comment.edited_at)
                .where(Comment.author_id == user.id).order_by(Comment.created_at, Comment.id)
            )
        ],
        "reactions": [
            {"post_id": post_id, "kind": kind, "created_at": _iso(created)}
            for post_id, kind, created in db.session.execute(
                select(PostReaction.post_id, PostReaction.kind, PostReaction.created_at)
                .where(PostReaction.user_id == user.id).order_by(PostReaction.id)
            )
        ] + [
            {"comment_id": comment_id, "kind": kind, "created_at": _iso(created)}
            for comment_id, kind, created in db.session.execute(
                select(CommentReaction.comment_id, CommentReaction.kind, CommentReaction.created_at)
                .where(CommentReaction.user_id == user.id).order_by(CommentReaction.id)
            )
        ],
        "notifications": [
            {"kind": kind, "url": url, "data": payload, "created_at": _iso(created), "read_at": _iso(read)}
            for kind, url, payload, created, read in db.session.execute(
                select(Notification.kind, Notification.url, Notification.data, Notification.created_at,
                       Notification.read_at)
                .where(Notification.user_id == user.id).order_by(Notification.created_at)
            )
        ],
        "notification_preferences": {
            kind: enabled for kind, enabled in db.session.execute(
                select(NotificationPreference.kind, NotificationPreference.email_enabled)
                .where(NotificationPreference.user_id == user.id)
            )
        },
        "api_tokens": [
            {"name": name, "prefix": prefix, "created_at": _iso(created)}
            for name, prefix, created in db.session.execute(
                select(ApiToken.name, ApiToken.prefix, ApiToken.created_at).where(ApiToken.user_id == user.id)
            )
        ],
        "login_sessions": [
            {"browser": browser, "system": platform, "remembered": remembered, "created_at": _iso(created),
             "last_seen_at": _iso(seen)}
            for browser, platform, remembered, created, seen in db.session.execute(
                select(LoginSession.browser, LoginSession.platform, LoginSession.remembered,
                       LoginSession.created_at, LoginSession.last_seen_at)
                .where(LoginSession.user_id == user.id).order_by(LoginSession.created_at)
            )
        ],
        "plugins": {},
        "incomplete": [],
    }
    plugins = get_plugins()
    # Every installed plugin, enabled or not: a disabled plugin keeps its data, so it is theirs to download.
    for outcome in plugins.outcomes("export_user_data", user=user):
        if outcome.error is not None:
            data["incomplete"].append({"plugin": outcome.plugin_id, "name": _plugin_name(outcome.plugin_id)})
        elif outcome.result is not None:
            data["plugins"][outcome.plugin_id] = outcome.result
    return data


def _plugin_name(plugin_id: str) -> str:
    info = get_plugins().installed.get(plugin_id)
    return str(info.meta.name) if info is not None else plugin_id


def groups_blocking_erasure(user: User) -> list[Group]:
    """Groups where ``user`` is the only owner and someone else is still a member."""
    other = aliased(Membership)
    other_owner = (
        select(other.id).where(other.group_id == Group.id, other.role == "owner", other.user_id != user.id).exists()
    )
    other_member = select(other.id).where(other.group_id == Group.id, other.user_id != user.id).exists()
    return list(db.session.scalars(
        select(Group)
        .join(Membership, and_(Membership.group_id == Group.id, Membership.user_id == user.id,
                               Membership.role == "owner"))
        .where(~other_owner, other_member)
        .order_by(Group.name)
    ))


def erase_user(user: User) -> None:
    """Delete the account and what they wrote, in the caller's transaction (the caller commits).

    Raises ``LastOwnerError`` (nothing changed) if they must hand over a group first, and
    ``ErasureFailed`` if a plugin could not erase its part: the caller must roll back (see
    ``delete_account``). Groups where they are the only member go with them.
    """
    blocking = groups_blocking_erasure(user)
    if blocking:
        raise LastOwnerError(blocking)
    try:
        get_plugins().call("erase_user_data", user=user)
    except HookAborted as failure:
        raise ErasureFailed(failure.plugin_id, _plugin_name(failure.plugin_id)) from failure
    uid = user.id
    db.session.flush()

    # Their picture and the images of every post that goes with them leave storage once this commits.
    other = aliased(Membership)
    alone = (
        select(Membership.group_id)
        .where(Membership.user_id == uid)
        .where(~select(other.id).where(other.group_id == Membership.group_id, other.user_id != uid).exists())
    )
    delete_after_commit(db.session.scalars(select(PendingImage.file_key).where(PendingImage.user_id == uid)))
    delete_after_commit([user.avatar_key, *db.session.scalars(
        select(PostImage.file_key).join(Post, Post.id == PostImage.post_id)
        .where((Post.author_id == uid) | Post.group_id.in_(alone)))])

    # Groups they alone are in disappear with them (their content cascades).
    db.session.execute(delete(Group).where(Group.id.in_(alone)).execution_options(synchronize_session=False))

    # Comments on other people's posts: keep the posts' counters right.
    per_post = (
        select(func.count(Comment.id))
        .where(Comment.post_id == Post.id, Comment.author_id == uid)
        .scalar_subquery()
    )
    db.session.execute(
        update(Post)
        .where(Post.id.in_(select(Comment.post_id).where(Comment.author_id == uid)))
        .values(comment_count=Post.comment_count - per_post)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(delete(Comment).where(Comment.author_id == uid))
    # Others' comments on their posts leave search with the posts (their own rows cascade with the account).
    search.unindex("post", select(Post.id).where(Post.author_id == uid))
    db.session.execute(delete(Comment).where(Comment.post_id.in_(select(Post.id).where(Post.author_id == uid))))
    db.session.execute(delete(Post).where(Post.author_id == uid))

    db.session.execute(
        update(Group)
        .where(Group.id.in_(select(Membership.group_id).where(Membership.user_id == uid)))
        .values(member_count=Group.member_count - 1)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(delete(Membership).where(Membership.user_id == uid))
    db.session.execute(delete(PostReaction).where(PostReaction.user_id == uid))
    db.session.execute(delete(CommentReaction).where(CommentReaction.user_id == uid))
    db.session.execute(delete(JoinRequest).where(JoinRequest.user_id == uid))
    db.session.execute(delete(Invitation).where(Invitation.user_id == uid))
    db.session.execute(delete(Notification).where(Notification.user_id == uid))
    db.session.execute(delete(NotificationPreference).where(NotificationPreference.user_id == uid))
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == uid))
    db.session.execute(delete(LoginSession).where(LoginSession.user_id == uid))
    db.session.execute(delete(OutboxMessage).where(func.lower(OutboxMessage.to_addr) == user.email.lower()))
    # References that outlive them (who decided, who invited, who acted) become anonymous.
    db.session.execute(update(Notification).where(Notification.actor_id == uid).values(actor_id=None)
                       .execution_options(synchronize_session=False))
    db.session.execute(update(JoinRequest).where(JoinRequest.decided_by_id == uid).values(decided_by_id=None)
                       .execution_options(synchronize_session=False))
    db.session.execute(update(Invitation).where(Invitation.invited_by_id == uid).values(invited_by_id=None)
                       .execution_options(synchronize_session=False))
    db.session.execute(update(Group).where(Group.created_by_id == uid).values(created_by_id=None)
                       .execution_options(synchronize_session=False))
    db.session.execute(delete(User).where(User.id == uid))
    # Keep the caller's (now detached) object readable; everything else reloads.
    db.session.expunge(user)
    db.session.expire_all()


def delete_account(user: User) -> None:
    """Erase the account and commit – or, when refused, undo everything and raise.

    ``LastOwnerError``: they must hand over a group first. ``ErasureFailed``: a plugin failed;
    nothing is deleted and the site admins are alerted (an error in the log and a notification).
    """
    try:
        erase_user(user)
    except LastOwnerError:
        db.session.rollback()
        raise
    except ErasureFailed as failure:
        db.session.rollback()
        alert_admins_erasure_failed(failure)
        raise
    db.session.commit()


def alert_admins_erasure_failed(failure: ErasureFailed) -> None:
    """Tell the site admins a plugin blocks account deletion (the member is not named: they need not be)."""
    log.error("account deletion undone: plugin %s failed in erase_user_data, so nothing was deleted; "
              "members cannot delete their accounts until it is fixed", failure.plugin_id)
    admins = db.session.scalars(select(User).where(User.is_site_admin, User.suspended_at.is_(None)))
    for admin in admins:
        notify(admin, "erasure_failed", data={"plugin": failure.plugin_id, "plugin_name": failure.plugin_name},
               url=url_for("admin_plugins.detail", plugin_id=failure.plugin_id), bypass_policy=True)
    db.session.commit()
