"""What members do with conversations: start, write, read, mute, leave, delete, answer requests.

Functions change the session and never commit: the view (or API) commits once per action.
Permission to see a conversation is checked by the caller through ``access``; these assume it.
"""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from core.plugin_api import db, utcnow
from plugins.conversations import bodies, rules
from plugins.conversations.models import (
    ACTIVE,
    ANSWERED,
    DECLINED,
    DIRECT,
    GROUP,
    LEFT,
    OPEN,
    REQUEST,
    TEAM,
    Conversation,
    Message,
    Participant,
)
from plugins.conversations.rules import Refused


def _add_message(conversation: Conversation, author_id: int, body: str, *, from_team: bool = False,
                 signed_as_team: bool = False, internal: bool = False) -> Message:
    html, inert = bodies.render(body)
    message = Message(conversation_id=conversation.id, author_id=author_id, body_source=body, body_html=html,
                      body_inert=inert, from_team=from_team, signed_as_team=signed_as_team, internal=internal)
    db.session.add(message)
    db.session.flush()
    if not internal:
        conversation.last_message_id = message.id
        conversation.last_activity_at = utcnow()
    return message


def _mark_read_by_author(conversation: Conversation, author_id: int, message: Message) -> None:
    for part in conversation.participants:
        if part.user_id == author_id:
            part.last_read_id = max(part.last_read_id, message.id)


def start(sender: Any, recipients: list[Any], body: str, subject: str | None = None) -> Conversation:
    """Start a conversation (or continue the one-to-one one); raises ``Refused`` naming the reason."""
    unique = {r.id: r for r in recipients}
    if not unique:
        raise Refused(_("Choose at least one person to write to."))
    if len(unique) + 1 > rules.max_participants() or (sender.id in unique and len(unique) >= rules.max_participants()):
        raise Refused(_("A conversation can have at most %(n)d people, including you.", n=rules.max_participants()))
    states = {rid: rules.landing_state(sender, r) for rid, r in unique.items()}
    if len(unique) == 1:
        (recipient,) = unique.values()
        existing = rules.direct_between(sender.id, recipient.id)
        rules.check_cooldown(sender, recipient, existing)
        if existing is not None:
            return _continue_direct(existing, sender, recipient, states[recipient.id], body)
    conversation = Conversation(kind=DIRECT if len(unique) == 1 else GROUP, subject=(subject or None),
                                created_by_id=sender.id)
    db.session.add(conversation)
    db.session.flush()
    conversation.participants.append(Participant(user_id=sender.id, state=ACTIVE))
    for rid, state in states.items():
        conversation.participants.append(Participant(user_id=rid, state=state))
    message = _add_message(conversation, sender.id, body)
    _mark_read_by_author(conversation, sender.id, message)
    return conversation


def _continue_direct(conversation: Conversation, sender: Any, recipient: Any, state: str, body: str) -> Conversation:
    mine = next(p for p in conversation.participants if p.user_id == sender.id)
    theirs = next(p for p in conversation.participants if p.user_id == recipient.id)
    if mine.state != ACTIVE:  # writing back into a request accepts it
        mine.state = ACTIVE
        mine.state_changed_at = utcnow()
    rules.reopen_for(theirs, state)
    message = _add_message(conversation, sender.id, body)
    _mark_read_by_author(conversation, sender.id, message)
    return conversation


def reply(conversation: Conversation, participant: Participant, body: str) -> Message:
    """A participant writes; refused after leaving, into a request not yet accepted, or across a block."""
    if participant.state == REQUEST:
        participant.state = ACTIVE
        participant.state_changed_at = utcnow()
    if participant.state != ACTIVE:
        raise Refused(_("You left this conversation."), field="body", status=403)
    message = _add_message(conversation, participant.user_id, body)
    participant.last_read_id = message.id
    if conversation.kind == TEAM and conversation.status != OPEN:
        conversation.status = OPEN
    for other in conversation.participants:  # a left direct partner gets the conversation back
        if other.user_id != participant.user_id and conversation.kind == DIRECT and other.state == LEFT:
            other.state = ACTIVE
    return message


def team_reply(conversation: Conversation, staff: Any, body: str, *, sign_as_team: bool,
               internal: bool = False) -> Message:
    """A team member answers (or leaves an internal note the member never sees)."""
    message = _add_message(conversation, staff.id, body, from_team=True, signed_as_team=sign_as_team and not internal,
                           internal=internal)
    if not internal:
        conversation.status = ANSWERED
    return message


def mark_read(conversation: Conversation, participant: Participant) -> None:
    participant.last_read_id = conversation.last_message_id


def set_muted(participant: Participant, muted: bool) -> None:
    participant.muted = muted


def leave(conversation: Conversation, participant: Participant) -> None:
    if conversation.kind != GROUP:
        raise Refused(_("Only a group conversation can be left."), field="conversation", status=409)
    participant.state = LEFT
    participant.state_changed_at = utcnow()


def accept(participant: Participant) -> None:
    participant.state = ACTIVE
    participant.state_changed_at = utcnow()


def decline(participant: Participant) -> None:
    """The sender is not told: their side of the conversation stays as it was."""
    participant.state = DECLINED
    participant.state_changed_at = utcnow()


def delete_message(message: Message, user: Any) -> None:
    """Authors delete their own messages; the conversation shows that one was deleted."""
    if message.author_id != user.id or message.internal and not message.from_team:
        raise Refused(_("You can only delete your own messages."), field="message", status=403)
    message.deleted_at = utcnow()
    message.body_source = ""
    message.body_html = ""
    message.body_inert = ""


def set_status(conversation: Conversation, status: str) -> None:
    conversation.status = status



def write_to_team(group: Any, member: Any, body: str) -> Conversation:
    """The member's one thread with the group's team: started on the first message, continued after."""
    from plugins.conversations.access import member_team_thread

    conversation = member_team_thread(group, member)
    if conversation is None:
        conversation = Conversation(kind=TEAM, group_id=group.id, created_by_id=member.id, status=OPEN)
        db.session.add(conversation)
        db.session.flush()
        conversation.participants.append(Participant(user_id=member.id, state=ACTIVE))
    participant = next(p for p in conversation.participants if p.user_id == member.id)
    participant.state = ACTIVE
    reply(conversation, participant, body)
    return conversation


def take_private(group: Any, staff: Any, author: Any, post: Any, body: str, *, sign_as_team: bool) -> Conversation:
    """A moderator moves a public post into the author's team thread, quoting it, in one action."""
    from plugins.conversations.access import member_team_thread

    conversation = member_team_thread(group, author)
    if conversation is None:
        conversation = Conversation(kind=TEAM, group_id=group.id, created_by_id=staff.id, status=ANSWERED,
                                    source_post_id=post.id)
        db.session.add(conversation)
        db.session.flush()
        conversation.participants.append(Participant(user_id=author.id, state=ACTIVE))
    quoted = "\n".join("> " + line for line in (post.body_source or "").splitlines()[:20])
    team_reply(conversation, staff, f"{quoted}\n\n{body}" if quoted else body, sign_as_team=sign_as_team)
    return conversation
