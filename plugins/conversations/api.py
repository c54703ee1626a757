"""JSON API under /api/v1: conversations, messages, requests and a group's team inbox.

Same rules and actions as the pages. A conversation the caller is not in, or a team inbox of
a group they are not staff of, is 404; refusals name the field at fault.
"""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_smorest import Blueprint, abort
from sqlalchemy import func, select

from core.plugin_api import Group, User, db, limiter, not_found, require_user
from plugins.conversations import access, actions, limits, notices
from plugins.conversations.models import ACTIVE, GROUP, REQUEST, Message
from plugins.conversations.rules import Refused
from plugins.conversations.schemas import (
    ConversationDetailOut,
    ConversationListArgs,
    ConversationMessageOut,
    ConversationPageOut,
    CountsOut,
    MuteSchema,
    ReplySchema,
    StartConversationSchema,
    TeamDetailOut,
    TeamInboxArgs,
    TeamMessageSchema,
    TeamPageOut,
)

blp = Blueprint("conversations_api", __name__, url_prefix="/api/v1",
                description="Private conversations: your conversations, requests and messages; a group's team inbox")


def _refused(err: Refused) -> None:
    abort(err.status, message=err.message, errors={"json": {err.field: [err.message]}})


def _author_name(message: Message, conversation: Any, team_view: bool) -> str | None:
    if message.author_erased or message.author is None:
        return _("Deleted account")
    if message.from_team and not team_view:
        if message.signed_as_team:
            return _("Team of %(group)s", group=conversation.group.name)
        return _("%(name)s for the team of %(group)s", name=message.author.display_name, group=conversation.group.name)
    return message.author.display_name


def _message_out(message: Message, conversation: Any, *, inert: bool = False, team_view: bool = False) -> dict:
    body = "" if message.deleted_at else (message.body_inert if inert else message.body_html)
    return {"id": message.id, "author": _author_name(message, conversation, team_view), "body_html": body,
            "created_at": message.created_at, "deleted": message.deleted_at is not None, "internal": message.internal}


def _conversation_out(conversation: Any, me: Any, others: list[str]) -> dict:
    return {"id": conversation.id, "kind": conversation.kind, "subject": conversation.subject,
            "group": conversation.group.name if conversation.group is not None else None,
            "state": me.state, "unread": conversation.last_message_id > me.last_read_id, "muted": me.muted,
            "with_": others, "last_activity_at": conversation.last_activity_at}


def _mine(conversation_id: int, states=(ACTIVE, REQUEST)):
    found = access.participation(require_user(), conversation_id, states)
    if found is None:
        not_found()
    return found


def _detail(conversation: Any, me: Any) -> dict:
    found, older = access.messages(conversation)
    others = [p.user.display_name for p in conversation.participants
              if p.user_id != me.user_id and p.state in (ACTIVE, REQUEST)]
    out = _conversation_out(conversation, me, others)
    out["messages"] = [_message_out(m, conversation, inert=me.state == REQUEST) for m in found]
    out["older"] = older
    return out


@blp.route("/conversations/counts", methods=["GET"])
@blp.response(200, CountsOut)
def conversation_counts():
    """What the header shows: unread conversations, requests, and open team conversations (staff)."""
    found = access.counts(require_user())
    return {"unread": found.unread, "requests": found.requests, "team_open": found.team_open,
            "capped_at": access.BADGE_CAP}


@blp.route("/conversations", methods=["GET"])
@blp.arguments(ConversationListArgs, location="query")
@blp.response(200, ConversationPageOut)
def list_conversations(args):
    """Your inbox (``state=inbox``) or your message requests (``state=requests``), newest first."""
    user = require_user()
    entries, more = access.inbox(user, ACTIVE if args["state"] == "inbox" else REQUEST, args["before"])
    return {"items": [_conversation_out(e.conversation, e.participant, e.others) for e in entries], "next": more}


@blp.route("/conversations", methods=["POST"])
@limiter.limit(limits.start_rate, key_func=limits.start_key)
@blp.arguments(StartConversationSchema)
@blp.response(201, ConversationDetailOut)
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
@blp.alt_response(429, response="TOO_MANY_REQUESTS")
def start_conversation(data):
    """Start a conversation (one-to-one continues the existing one); it may land in their Requests."""
    user = require_user()
    wanted = {n.strip().lstrip("@").lower() for n in data["recipients"]}
    people = list(db.session.scalars(select(User).where(func.lower(User.username).in_(wanted))))
    missing = wanted - {u.username.lower() for u in people}
    if missing:
        _refused(Refused(_("Nobody is called %(names)s.", names=", ".join(sorted(missing)))))
    try:
        conversation = actions.start(user, people, data["body"], data.get("subject"))
    except Refused as err:
        db.session.rollback()
        _refused(err)
    db.session.commit()
    conversation, me = _mine(conversation.id)
    return _detail(conversation, me)


@blp.route("/conversations/<int:conversation_id>", methods=["GET"])
@blp.response(200, ConversationDetailOut)
@blp.alt_response(404, response="NOT_FOUND")
def get_conversation(conversation_id: int):
    """A conversation you are in, with its latest messages (a request shows links and images inactive)."""
    conversation, me = _mine(conversation_id)
    return _detail(conversation, me)


@blp.route("/conversations/<int:conversation_id>/messages", methods=["POST"])
@blp.arguments(ReplySchema)
@blp.response(201, ConversationMessageOut)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def post_message(data, conversation_id: int):
    """Write in a conversation (answering a request accepts it)."""
    conversation, me = _mine(conversation_id)
    try:
        message = actions.reply(conversation, me, data["body"])
    except Refused as err:
        db.session.rollback()
        _refused(err)
    db.session.commit()
    return _message_out(message, conversation)


@blp.route("/conversations/<int:conversation_id>/messages/<int:message_id>", methods=["DELETE"])
@blp.response(204)
@blp.alt_response(404, response="NOT_FOUND")
def delete_message(conversation_id: int, message_id: int):
    """Delete one of your messages; the others see that a message was deleted."""
    user = require_user()
    _mine(conversation_id, (ACTIVE,))
    message = db.session.get(Message, message_id)
    if message is None or message.conversation_id != conversation_id or message.author_id != user.id \
            or message.internal:
        not_found()
    actions.delete_message(message, user)
    db.session.commit()


def _state_action(conversation_id: int, states: tuple, act) -> dict:
    conversation, me = _mine(conversation_id, states)
    act(conversation, me)
    db.session.commit()
    return _detail(*_mine(conversation_id, (ACTIVE, REQUEST))) if me.state in (ACTIVE, REQUEST) else {}


@blp.route("/conversations/<int:conversation_id>/read", methods=["POST"])
@blp.response(200, ConversationDetailOut)
@blp.alt_response(404, response="NOT_FOUND")
def mark_read(conversation_id: int):
    """Mark everything in the conversation as read."""
    return _state_action(conversation_id, (ACTIVE, REQUEST), actions.mark_read)


@blp.route("/conversations/<int:conversation_id>/accept", methods=["POST"])
@blp.response(200, ConversationDetailOut)
@blp.alt_response(404, response="NOT_FOUND")
def accept(conversation_id: int):
    """Accept a message request: it moves to your inbox."""
    return _state_action(conversation_id, (REQUEST,), lambda c, me: actions.accept(me))


@blp.route("/conversations/<int:conversation_id>/decline", methods=["POST"])
@blp.response(204)
@blp.alt_response(404, response="NOT_FOUND")
def decline(conversation_id: int):
    """Decline a message request; the sender is not told."""
    _state_action(conversation_id, (REQUEST,), lambda c, me: actions.decline(me))


@blp.route("/conversations/<int:conversation_id>/mute", methods=["POST"])
@blp.arguments(MuteSchema)
@blp.response(200, ConversationDetailOut)
@blp.alt_response(404, response="NOT_FOUND")
def mute(data, conversation_id: int):
    """Mute or unmute a conversation: muted ones send no mail and do not count as unread."""
    return _state_action(conversation_id, (ACTIVE, REQUEST), lambda c, me: actions.set_muted(me, data["muted"]))


@blp.route("/conversations/<int:conversation_id>/leave", methods=["POST"])
@blp.response(204)
@blp.alt_response(404, response="NOT_FOUND")
def leave(conversation_id: int):
    """Leave a group conversation (a one-to-one conversation cannot be left: 404)."""
    conversation, me = _mine(conversation_id, (ACTIVE,))
    if conversation.kind != GROUP:
        not_found()
    actions.leave(conversation, me)
    db.session.commit()


# --- team line ----------------------------------------------------------------------------------


def _group(slug: str) -> Group:
    group = db.session.scalar(select(Group).where(Group.slug == slug))
    if group is None:
        not_found()
    return group


def _staff_group(slug: str) -> Group:
    group = _group(slug)
    if not access.is_team(require_user(), group):
        not_found()
    return group


def _team_out(conversation: Any, member: Any = None) -> dict:
    if member is None and conversation.participants:
        member = conversation.participants[0].user
    return {"id": conversation.id, "member": member.display_name if member else None, "status": conversation.status,
            "assignee": conversation.assignee.display_name if conversation.assignee else None,
            "last_activity_at": conversation.last_activity_at}


@blp.route("/groups/<slug>/team", methods=["POST"])
@limiter.limit(limits.start_rate, key_func=limits.start_key)
@blp.arguments(ReplySchema)
@blp.response(201, ConversationDetailOut)
@blp.alt_response(404, response="NOT_FOUND")
def write_to_team(data, slug: str):
    """Write privately to a group's owners, admins and moderators; your one thread with them continues."""
    user = require_user()
    group = _group(slug)
    conversation = actions.write_to_team(group, user, data["body"])
    notices.tell_the_team(group, conversation, user)
    db.session.commit()
    return _detail(*_mine(conversation.id))


@blp.route("/groups/<slug>/team-inbox", methods=["GET"])
@blp.arguments(TeamInboxArgs, location="query")
@blp.response(200, TeamPageOut)
@blp.alt_response(404, response="NOT_FOUND")
def team_inbox(args, slug: str):
    """The group's team inbox (its staff only; anyone else gets 404)."""
    group = _staff_group(slug)
    found, more = access.team_inbox(group, args["status"], args["before"])
    return {"items": [_team_out(e.conversation, e.member) for e in found], "next": more}


@blp.route("/groups/<slug>/team-inbox/<int:conversation_id>", methods=["GET"])
@blp.response(200, TeamDetailOut)
@blp.alt_response(404, response="NOT_FOUND")
def team_conversation(slug: str, conversation_id: int):
    """One team conversation with internal notes (staff of this group only)."""
    group = _staff_group(slug)
    conversation = access.team_conversation(group, conversation_id)
    if conversation is None:
        not_found()
    found, _older = access.messages(conversation, internal=True)
    out = _team_out(conversation)
    out["messages"] = [_message_out(m, conversation, team_view=True) for m in found]
    return out


@blp.route("/groups/<slug>/team-inbox/<int:conversation_id>/messages", methods=["POST"])
@blp.arguments(TeamMessageSchema)
@blp.response(201, ConversationMessageOut)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def team_answer(data, slug: str, conversation_id: int):
    """Answer the member (or add an internal note with ``internal: true``)."""
    group = _staff_group(slug)
    conversation = access.team_conversation(group, conversation_id)
    if conversation is None:
        not_found()
    message = actions.team_reply(conversation, require_user(), data["body"], sign_as_team=access.sign_as_team(group.id),
                                 internal=data["internal"])
    db.session.commit()
    return _message_out(message, conversation, team_view=True)
