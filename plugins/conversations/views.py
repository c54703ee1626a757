"""Member pages: inbox, requests, a conversation, starting one, and message preferences.

Pages work without JavaScript. Reading marks nothing on a GET: the inbox opens a
conversation through a small POST (``open``) that marks it read, then redirects.
"""
from __future__ import annotations

import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from core.plugin_api import User, db, is_plugin_enabled, limiter, load_form
from plugins.conversations import access, actions, limits
from plugins.conversations.models import ACTIVE, GROUP, REQUEST, WHO_MAY_MESSAGE, Message, Preference
from plugins.conversations.rules import Refused, max_participants, preference
from plugins.conversations.schemas import BODY_MAX, PreferenceSchema, ReplySchema, StartConversationSchema

bp = Blueprint("conversations", __name__, url_prefix="/messages", template_folder="templates",
               static_folder="static")

_SPLIT = re.compile(r"[\s,;]+")


def _me():
    return current_user._get_current_object()


def _mine_or_404(conversation_id: int, states=(ACTIVE, REQUEST)):
    found = access.participation(_me(), conversation_id, states)
    if found is None:
        abort(404)
    return found


def _before() -> int | None:
    value = request.args.get("before", "")
    return int(value) if value.isdigit() and len(value) < 10 else None


@bp.route("/")
@login_required
def inbox():
    entries, more = access.inbox(_me(), ACTIVE, _before())
    return render_template("conversations/inbox.html", entries=entries, more=more,
                           requests=access.counts(_me()).requests, showing="inbox")


@bp.route("/team")
@login_required
def team_inboxes():
    """For group staff: each group whose team they answer for, with its open conversations."""
    return render_template("conversations/team_inboxes.html", groups=access.team_open_counts(_me()))


@bp.route("/requests")
@login_required
def requests_page():
    entries, more = access.inbox(_me(), REQUEST, _before())
    return render_template("conversations/inbox.html", entries=entries, more=more, requests=None,
                           showing="requests")


def _recipients_form() -> MultiDict:
    form = MultiDict(request.form)
    names = [n for raw in request.form.getlist("recipients") for n in _SPLIT.split(raw) if n]
    form.setlist("recipients", names)
    return form


@bp.route("/new", methods=["GET", "POST"])
@login_required
@limiter.limit(limits.start_rate, key_func=limits.start_key, methods=["POST"])
def new():
    me = _me()
    context = {"max_participants": max_participants(), "body_max": BODY_MAX}
    if request.method == "GET":
        to = [n for raw in request.args.getlist("to") for n in _SPLIT.split(raw) if n][:max_participants()]
        return render_template("conversations/new.html", errors={}, values={"recipients": to}, **context)
    data, errors, values = load_form(StartConversationSchema(), _recipients_form())
    if data is not None:
        wanted = {n.lower() for n in data["recipients"]}
        people = list(db.session.scalars(select(User).where(db.func.lower(User.username).in_(wanted))))
        missing = wanted - {u.username.lower() for u in people}
        if missing:
            errors = {"recipients": [_("Nobody is called %(names)s.", names=", ".join(sorted(missing)))]}
        else:
            try:
                conversation = actions.start(me, people, data["body"], data.get("subject"))
                db.session.commit()
                return redirect(url_for("conversations.show", conversation_id=conversation.id))
            except Refused as err:
                db.session.rollback()
                errors = {err.field: [err.message]}
    return render_template("conversations/new.html", errors=errors, values=values, **context), 422


@bp.route("/<int:conversation_id>")
@login_required
def show(conversation_id: int):
    conversation, me = _mine_or_404(conversation_id)
    found, older = access.messages(conversation, before=_before())
    return render_template("conversations/conversation.html", conversation=conversation, me=me, messages=found,
                           older=older, errors={}, values={}, body_max=BODY_MAX,
                           reporting=is_plugin_enabled("reporting"))


@bp.route("/<int:conversation_id>/open", methods=["POST"])
@login_required
def open_conversation(conversation_id: int):
    conversation, me = _mine_or_404(conversation_id)
    actions.mark_read(conversation, me)
    db.session.commit()
    return redirect(url_for("conversations.show", conversation_id=conversation_id))


@bp.route("/<int:conversation_id>/reply", methods=["POST"])
@login_required
def reply(conversation_id: int):
    conversation, me = _mine_or_404(conversation_id)
    data, errors, values = load_form(ReplySchema(), request.form)
    status = 422
    if data is not None:
        try:
            actions.reply(conversation, me, data["body"])
            db.session.commit()
            return redirect(url_for("conversations.show", conversation_id=conversation_id) + "#latest")
        except Refused as err:
            db.session.rollback()
            errors, status = {"body": [err.message]}, err.status
            conversation, me = _mine_or_404(conversation_id)
    found, older = access.messages(conversation)
    return render_template("conversations/conversation.html", conversation=conversation, me=me, messages=found,
                           older=older, errors=errors, values=values, body_max=BODY_MAX,
                           reporting=is_plugin_enabled("reporting")), status


@bp.route("/<int:conversation_id>/mute", methods=["POST"])
@login_required
def mute(conversation_id: int):
    _conversation, me = _mine_or_404(conversation_id)
    actions.set_muted(me, request.form.get("muted") == "1")
    db.session.commit()
    flash(_("Muted: no more notifications from this conversation.") if me.muted
          else _("Notifications are back on for this conversation."), "success")
    return redirect(url_for("conversations.show", conversation_id=conversation_id))


@bp.route("/<int:conversation_id>/leave", methods=["POST"])
@login_required
def leave(conversation_id: int):
    conversation, me = _mine_or_404(conversation_id, (ACTIVE,))
    if conversation.kind != GROUP:
        abort(404)
    actions.leave(conversation, me)
    db.session.commit()
    flash(_("You left the conversation."), "success")
    return redirect(url_for("conversations.inbox"))


@bp.route("/<int:conversation_id>/messages/<int:message_id>/delete", methods=["POST"])
@login_required
def delete_message(conversation_id: int, message_id: int):
    _conversation, _me_part = _mine_or_404(conversation_id, (ACTIVE,))
    message = db.session.get(Message, message_id)
    if message is None or message.conversation_id != conversation_id or message.author_id != _me().id \
            or message.internal:
        abort(404)
    actions.delete_message(message, _me())
    db.session.commit()
    flash(_("Your message was deleted."), "success")
    return redirect(url_for("conversations.show", conversation_id=conversation_id))


@bp.route("/<int:conversation_id>/accept", methods=["POST"])
@login_required
def accept(conversation_id: int):
    _conversation, me = _mine_or_404(conversation_id, (REQUEST,))
    actions.accept(me)
    db.session.commit()
    return redirect(url_for("conversations.show", conversation_id=conversation_id))


@bp.route("/<int:conversation_id>/decline", methods=["POST"])
@login_required
def decline(conversation_id: int):
    _conversation, me = _mine_or_404(conversation_id, (REQUEST,))
    actions.decline(me)
    db.session.commit()
    flash(_("Request declined. The sender is not told."), "success")
    return redirect(url_for("conversations.requests_page"))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    me = _me()
    current = preference(me.id)
    if request.method == "GET":
        values = {"who_may_message": current.who_may_message, "email_content": current.email_content}
        return render_template("conversations/settings.html", errors={}, values=values, choices=WHO_MAY_MESSAGE)
    data, errors, values = load_form(PreferenceSchema(), request.form)
    if data is None:
        return render_template("conversations/settings.html", errors=errors, values=values,
                               choices=WHO_MAY_MESSAGE), 422
    if current.id is None:
        current = Preference(user_id=me.id)
        db.session.add(current)
    current.who_may_message = data["who_may_message"]
    current.email_content = data["email_content"]
    db.session.commit()
    flash(_("Your message settings were saved."), "success")
    return redirect(url_for("conversations.settings"))
