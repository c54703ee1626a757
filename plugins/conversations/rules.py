"""Who may start a conversation with whom, and where the message lands (inbox or Requests).

A member's ``who_may_message`` choice says who reaches their inbox directly:
``groups`` – people who share a group with them or whom they have answered before;
``talked`` – only people they have answered before; ``nobody`` – no new conversations at all
(existing ones go on; a group's team can still write through the team line). Everyone else's
first message lands in Requests. Blocks refuse with the same neutral sentence as ``nobody``
so the blocked person cannot tell a block from a preference.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import aliased

from core.plugin_api import Membership, User, can_interact, db, get_settings, not_hidden, utcnow
from plugins.conversations.models import (
    ACTIVE,
    DECLINED,
    DIRECT,
    FROM_GROUPS,
    FROM_NOBODY,
    FROM_TALKED,
    LEFT,
    REQUEST,
    Conversation,
    Message,
    Participant,
    Preference,
)

PLUGIN_ID = "conversations"


class Refused(Exception):
    """A message that may not be sent; ``message`` is shown to the sender, next to ``field``."""

    def __init__(self, message: str, field: str = "recipients", status: int = 422) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status


def max_participants() -> int:
    """The site's cap on a conversation's size, the starter included (a plugin setting)."""
    return int(get_settings(PLUGIN_ID)["max_participants"])


def preference(user_id: int) -> Preference:
    """The member's stored choices, or the defaults (not added to the session)."""
    found = db.session.scalar(select(Preference).where(Preference.user_id == user_id))
    return found if found is not None else Preference(user_id=user_id, who_may_message=FROM_GROUPS,
                                                      email_content=True)


def shares_group(a_id: int, b_id: int) -> bool:
    other = aliased(Membership)
    return db.session.scalar(
        select(Membership.id).join(other, and_(other.group_id == Membership.group_id, other.user_id == b_id))
        .where(Membership.user_id == a_id).limit(1)) is not None


def has_answered(answerer_id: int, asker_id: int) -> bool:
    """Whether ``answerer_id`` ever wrote in a conversation ``asker_id`` takes part in."""
    theirs = select(Participant.conversation_id).where(Participant.user_id == asker_id)
    return db.session.scalar(
        select(Message.id).where(Message.author_id == answerer_id, Message.conversation_id.in_(theirs),
                                 Message.internal.is_(False)).limit(1)) is not None


def direct_between(a_id: int, b_id: int) -> Conversation | None:
    """The one-to-one conversation of ``a_id`` and ``b_id``, if they have one."""
    pa, pb = aliased(Participant), aliased(Participant)
    return db.session.scalar(
        select(Conversation).join(pa, and_(pa.conversation_id == Conversation.id, pa.user_id == a_id))
        .join(pb, and_(pb.conversation_id == Conversation.id, pb.user_id == b_id))
        .where(Conversation.kind == DIRECT).limit(1))


def refusal_neutral(recipient: Any) -> Refused:
    return Refused(_("%(name)s is not accepting messages from you.", name=recipient.display_name))


def landing_state(sender: Any, recipient: Any) -> str:
    """``active`` (inbox) or ``request`` for a first message; raises ``Refused`` if it may not be sent."""
    if sender.id == recipient.id:
        raise Refused(_("You cannot send a message to yourself."))
    if not can_interact(sender, recipient) or getattr(recipient, "is_suspended", False):
        raise refusal_neutral(recipient)
    choice = preference(recipient.id).who_may_message
    answered = has_answered(recipient.id, sender.id)
    if choice == FROM_NOBODY:
        raise Refused(_("%(name)s does not accept new conversations.", name=recipient.display_name))
    if answered:
        return ACTIVE
    if choice == FROM_GROUPS and shares_group(sender.id, recipient.id):
        return ACTIVE
    if choice == FROM_TALKED or choice == FROM_GROUPS:
        return REQUEST
    return REQUEST


def check_cooldown(sender: Any, recipient: Any, existing: Conversation | None) -> None:
    """A declined request may not be sent again before the cool-down ends (the decline is not named)."""
    if existing is None:
        return
    theirs = next((p for p in existing.participants if p.user_id == recipient.id), None)
    if theirs is None or theirs.state != DECLINED:
        return
    days = get_settings(PLUGIN_ID)["request_cooldown_days"]
    until = theirs.state_changed_at + timedelta(days=days)
    if utcnow() < until:
        raise Refused(_("You wrote to %(name)s recently; you can send another request after %(date)s.",
                        name=recipient.display_name, date=format_date(until)))


def sender_may_write(participant: Participant | None) -> bool:
    """Whether a participant may still write: not after leaving, not into a request they were sent."""
    return participant is not None and participant.state == ACTIVE


def reopen_for(recipient_part: Participant, state: str) -> None:
    """A declined or left direct conversation comes back for the recipient as ``state``."""
    if recipient_part.state in (DECLINED, LEFT):
        recipient_part.state = state
        recipient_part.state_changed_at = utcnow()


def messageable(sender: Any, people: Iterable[Any]) -> set[int]:
    """Ids of those among ``people`` whom ``sender`` may write to now (inbox or Requests) – one query.

    The batch form of ``landing_state`` plus ``check_cooldown``, for pages that offer a
    "Message" link beside many people: not oneself, nobody blocked either way, no suspended
    account, nobody who accepts no new conversations, and nobody whose decline of the
    sender's request is still cooling down. Where this says no, the form would refuse.
    """
    candidates = {p.id: p for p in people if p is not None and p.id != sender.id and not p.is_suspended}
    if not candidates:
        return set()
    mine, theirs = aliased(Participant), aliased(Participant)
    cooling = exists().where(
        Conversation.kind == DIRECT,
        mine.conversation_id == Conversation.id, mine.user_id == sender.id,
        theirs.conversation_id == Conversation.id, theirs.user_id == User.id, theirs.state == DECLINED,
        theirs.state_changed_at > utcnow() - timedelta(days=get_settings(PLUGIN_ID)["request_cooldown_days"]))
    return set(db.session.scalars(
        select(User.id).outerjoin(Preference, Preference.user_id == User.id)
        .where(User.id.in_(candidates), not_hidden(User.id, sender),
               or_(Preference.who_may_message.is_(None), Preference.who_may_message != FROM_NOBODY), ~cooling)))
