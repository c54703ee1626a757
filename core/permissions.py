"""Every permission decision in one place. Views ask here; they never test roles ad hoc.

Functions take the acting user (possibly anonymous) and the object, and return a bool.
Views turn a ``False`` for something the user may not even see into a 404.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import g, has_request_context
from flask.globals import _cv_app, _cv_request
from sqlalchemy import ColumnElement, false
from sqlalchemy.orm import aliased

from core.extensions import db
from core.models import ROLE_RANK, Comment, Group, Membership, Post, User
from core.plugins.registry import get_plugins
from core.proxies import unproxied
from core.sql_constants import sql_constant
from core.visibility import is_hidden_from

STAFF_ROLES = tuple(role for role, rank in ROLE_RANK.items() if rank >= ROLE_RANK["moderator"])
_STAFF_MEMBERSHIP = aliased(Membership, name="staff_membership")
# The roles written into the SQL as constants (they are fixed words of the code): no bound parameter
# to process on every run, where an expanding IN would even render the SQL again each time; the
# filter runs in several statements of every page where a plugin hides people.
_STAFF_ROLE_VALUES = [sql_constant(role) for role in STAFF_ROLES]


def is_authenticated(user: Any) -> bool:
    """A logged-in person (not an anonymous visitor, not None)."""
    return bool(user is not None and getattr(user, "is_authenticated", False))


def is_site_admin(user: Any) -> bool:
    """A logged-in site admin."""
    return is_authenticated(user) and bool(user.is_site_admin)


def is_active_member_account(user: Any) -> bool:
    """Logged in, not suspended, email confirmed: may take part (post, join, create)."""
    return is_authenticated(user) and not user.is_suspended and user.email_confirmed


def membership(user: Any, group: Group) -> Membership | None:
    """The user's membership in ``group``, memoised for the request (one query at most)."""
    if not is_authenticated(user):
        return None
    cache: dict | None = None
    if _cv_request.get(None) is not None:  # asked a dozen times a page: ``g`` without its proxy
        cache = vars(_cv_app.get().g).setdefault("_memberships", {})
        key = (user.id, group.id)
        if key in cache:
            return cache[key]
    found = db.session.scalar(
        db.select(Membership).where(Membership.group_id == group.id, Membership.user_id == user.id)
    )
    if cache is not None:
        cache[(user.id, group.id)] = found
    return found


def remember_membership(user: Any, group: Group, found: Membership | None) -> None:
    """Prime the memo with a membership loaded alongside the group (saves the extra query)."""
    if has_request_context() and is_authenticated(user):
        g.setdefault("_memberships", {})[(user.id, group.id)] = found


def forget_membership(user: Any, group: Group) -> None:
    """Drop the memo after a membership changed in this request."""
    if has_request_context() and is_authenticated(user):
        g.setdefault("_memberships", {}).pop((user.id, group.id), None)


def role_rank(user: Any, group: Group) -> int:
    m = membership(user, group)
    return m.rank if m else -1


def is_member(user: Any, group: Group) -> bool:
    """Whether ``user`` is a member of ``group`` in any role."""
    return membership(user, group) is not None


def can_view_group_content(user: Any, group: Group) -> bool:
    """Posts, comments and the member list: public to all, private to members only."""
    return not group.is_private or is_member(user, group)


def can_post(user: Any, group: Group) -> bool:
    return is_active_member_account(user) and is_member(user, group)


def can_comment(user: Any, post: Post) -> bool:
    return can_post(user, post.group) and can_interact(user, post.author, post.group)


def can_react(user: Any, group: Group, author: Any) -> bool:
    """Members react to content of people they may interact with (a block stops reactions too)."""
    return can_post(user, group) and can_interact(user, author, group)


def can_pin(user: Any, group: Group) -> bool:
    """Group admins pin posts to the top of the feed."""
    return can_admin_group(user, group)


def can_edit_content(user: Any, item: Post | Comment) -> bool:
    return is_active_member_account(user) and item.author_id == user.id


def can_moderate(user: Any, group: Group) -> bool:
    """Moderators, admins and owners of ``group`` (not while suspended)."""
    return is_authenticated(user) and not user.is_suspended and role_rank(user, group) >= ROLE_RANK["moderator"]


def sees_everyone_in(user: Any, group: Group) -> bool:
    """A group's staff are never blinded inside it: blocks (``hidden_user_ids``) do not apply there.

    They must see, and act on, everything posted in the group they look after; outside it
    (other groups, profiles) a block still hides both ways.
    """
    return can_moderate(user, group)


def staff_clause(user: Any, group_id: Any) -> ColumnElement:
    """``sees_everyone_in`` as SQL, for queries that learn the group from the row (a post by id)."""
    if not is_authenticated(user) or user.is_suspended:
        return false()
    staff = _STAFF_MEMBERSHIP
    return (db.select(staff.id)
            .where(staff.group_id == group_id, staff.user_id == user.id, staff.role.in_(_STAFF_ROLE_VALUES))
            .correlate_except(staff).exists())


def can_delete_content(user: Any, item: Post | Comment, group: Group) -> bool:
    return can_edit_content(user, item) or can_moderate(user, group)


def can_admin_group(user: Any, group: Group) -> bool:
    """Admins and owners of ``group``: its settings and features (not while suspended)."""
    return is_authenticated(user) and not user.is_suspended and role_rank(user, group) >= ROLE_RANK["admin"]


def can_review_join_requests(user: Any, group: Group) -> bool:
    return can_moderate(user, group)


def can_invite(user: Any, group: Group, invitee: User | None = None) -> bool:
    """Whether ``user`` may invite people (``invitee``, if given) to ``group``."""
    if not (is_active_member_account(user) and is_member(user, group)):
        return False
    if group.is_private and not can_moderate(user, group):
        return False
    return invitee is None or (can_interact(user, invitee, group) and join_allowed(invitee, group))


def can_change_role(actor: Any, group: Group, target: Membership, new_role: str | None) -> bool:
    """Owners manage everyone; admins manage moderators and members up to moderator.

    ``new_role`` None means removal. Nobody changes their own role here (leaving is separate).
    """
    if not is_authenticated(actor) or actor.id == target.user_id:
        return False
    actor_rank = role_rank(actor, group)
    if actor_rank >= ROLE_RANK["owner"]:
        return True
    if actor_rank >= ROLE_RANK["admin"]:
        if target.rank >= ROLE_RANK["admin"]:
            return False
        return new_role is None or ROLE_RANK[new_role] <= ROLE_RANK["moderator"]
    if actor_rank >= ROLE_RANK["moderator"] and new_role is None:
        return target.rank == ROLE_RANK["member"]
    return False


def can_interact(actor: Any, target: Any, group: Group | None = None) -> bool:
    """Policy hook ``can_interact``: any plugin saying no (or failing) means no.

    ``group``: where it happens, if in a group (group-scope plugins off there are not asked)."""
    if not (is_authenticated(actor) and is_authenticated(target)):
        return False
    actor = unproxied(actor)  # ``current_user``: the plugins read the person, not the proxy
    if actor.id == target.id:
        return True
    return get_plugins().call_policy("can_interact", actor=actor, target=target, group=group)


def interaction_barriers(users: Iterable[Any], group: Group | None = None) -> set[tuple[int, int]]:
    """Every ``(a, b)`` id pair among ``users`` where ``can_interact(a, b, group)`` says no, at once.

    Plugins answering the ``interaction_barriers`` hook do it in one query each, so checking a
    pool of hundreds of people costs a few queries instead of one per person. A plugin that
    only implements ``can_interact`` (or whose bulk answer fails) is asked pair by pair, so the
    result always equals asking ``can_interact`` for every ordered pair – only cheaper. (That
    fallback makes n² calls: a plugin with ``can_interact`` should answer the bulk hook too.)
    Anonymous entries are left out (they may interact with nobody: check them yourself)."""
    people = {user.id: user for user in users if is_authenticated(user)}
    if len(people) < 2:
        return set()
    plugins = get_plugins()
    barriers: set[tuple[int, int]] = set()
    answered = set()
    for outcome in plugins.outcomes("interaction_barriers", group=group, user_ids=frozenset(people)):
        if outcome.error is not None:
            continue
        answered.add(outcome.plugin_id)
        barriers.update((a, b) for a, b in (outcome.result or ()) if a in people and b in people and a != b)
    for plugin_id in plugins.runner.implementers("can_interact", group=group):
        if plugin_id in answered:
            continue
        for a, actor in people.items():
            for b, target in people.items():
                if a != b and (a, b) not in barriers and not all(
                        o.error is None and o.result is not False for o in plugins.outcomes(
                            "can_interact", group=group, only=plugin_id, actor=actor, target=target)):
                    barriers.add((a, b))
    return barriers


def announce_user_blocked(blocker: User, blocked: User) -> None:
    """Event ``user_blocked``: tell every plugin that ``blocker`` just blocked ``blocked``.

    For the plugin that keeps blocks, right after it stores a new one (flush first: listeners
    check ``can_interact``); each listener writes in this transaction, in its own SAVEPOINT."""
    db.session.flush()
    get_plugins().call("user_blocked", blocker=blocker, blocked=blocked)


def can_view_profile(viewer: Any, user: User) -> bool:
    """Profiles are public unless a plugin hides the person from the viewer."""
    return not is_hidden_from(viewer, user.id)


def viewable_profiles(viewer: Any) -> ColumnElement:
    """``can_view_profile`` as a WHERE clause on ``User``: the profile page loads only what it may show."""
    from core.visibility import not_hidden

    return not_hidden(User.id, viewer)


def can_create_group(user: Any) -> bool:
    return is_active_member_account(user)


def can_join(user: Any, group: Group) -> bool:
    """Join an open group or ask to join a by-request one."""
    return is_active_member_account(user) and not is_member(user, group) and join_allowed(user, group)


def join_allowed(user: Any, group: Group) -> bool:
    """Policy hook ``can_join_group`` (e.g. a moderation ban): any plugin saying no means no."""
    return get_plugins().call_policy("can_join_group", user=user, group=group)


def can_leave(user: Any, group: Group) -> bool:
    """Any member may leave; the last owner is refused by the action with an explanation."""
    return is_authenticated(user) and is_member(user, group)


def can_transfer_ownership(actor: Any, group: Group, target: Membership) -> bool:
    return (is_authenticated(actor) and not actor.is_suspended and actor.id != target.user_id
            and role_rank(actor, group) >= ROLE_RANK["owner"])


def can_answer_invitation(user: Any, invitation: Any) -> bool:
    """Only the invited person accepts or declines, and only while it is pending."""
    return is_active_member_account(user) and invitation.user_id == user.id and invitation.status == "pending"


def can_manage_plugins(user: Any) -> bool:
    return is_site_admin(user)


def can_manage_group_plugins(user: Any, group: Group) -> bool:
    return can_admin_group(user, group)
