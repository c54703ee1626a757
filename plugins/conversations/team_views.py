"""The team line: members write to a group's team; its owners, admins and moderators answer as one inbox.

A team member of another group gets 404 here, as does anyone who is not staff of this group.
The member sees one thread (``conversations.show``); staff see status, assignment and
internal notes the member never sees.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from core.plugin_api import (
    ROLE_RANK,
    Post,
    User,
    db,
    group_or_404,
    limiter,
    load_form,
    render_group_page,
)
from plugins.conversations import access, actions, limits, notices
from plugins.conversations.models import TEAM_STATUSES, TeamSetting
from plugins.conversations.rules import Refused
from plugins.conversations.schemas import (
    BODY_MAX,
    ReplySchema,
    TeamMessageSchema,
    TeamSettingSchema,
    TeamUpdateSchema,
)

bp = Blueprint("conversations_team", __name__, url_prefix="/g/<slug>/team", template_folder="templates")


def _me():
    return current_user._get_current_object()


def _staff_context(slug: str):
    context = group_or_404(slug)
    if not access.is_team(_me(), context.group):
        abort(404)
    return context


def _may_sign(context) -> bool:
    """Group owners and admins choose how answers are signed."""
    return context.membership is not None and ROLE_RANK[context.membership.role] >= ROLE_RANK["admin"]


def _staff(group) -> list[User]:
    return notices.team_of(group)


@bp.route("/write", methods=["GET", "POST"])
@login_required
@limiter.limit(limits.start_rate, key_func=limits.start_key, methods=["POST"])
def write(slug: str):
    """Members (and visitors who may see the group) write to its team; their one thread continues."""
    context = group_or_404(slug)
    existing = access.member_team_thread(context.group, _me())
    if existing is not None and request.method == "GET":
        return redirect(url_for("conversations.show", conversation_id=existing.id))
    errors, values = {}, {}
    if request.method == "POST":
        data, errors, values = load_form(ReplySchema(), request.form)
        if data is not None:
            conversation = actions.write_to_team(context.group, _me(), data["body"])
            notices.tell_the_team(context.group, conversation, _me())
            db.session.commit()
            return redirect(url_for("conversations.show", conversation_id=conversation.id))
    return render_group_page("conversations/team_write.html", context, errors=errors, values=values,
                             body_max=BODY_MAX), (422 if errors else 200)


@bp.route("/")
@login_required
def inbox(slug: str):
    context = _staff_context(slug)
    status = request.args.get("status") if request.args.get("status") in TEAM_STATUSES else None
    before = request.args.get("before", "")
    found, more = access.team_inbox(context.group, status, int(before) if before.isdigit() and len(before) < 10
                                    else None)
    return render_group_page("conversations/team_inbox.html", context, conversations=found, more=more,
                             status=status, statuses=TEAM_STATUSES,
                             sign_as_team=access.sign_as_team(context.group.id) if _may_sign(context) else None)


def _conversation_or_404(context, conversation_id: int):
    conversation = access.team_conversation(context.group, conversation_id)
    if conversation is None:
        abort(404)
    return conversation


def _render_thread(context, conversation, errors=None, values=None, status=200):
    found, older = access.messages(conversation, internal=True)
    return render_group_page("conversations/team_thread.html", context, conversation=conversation, messages=found,
                             older=older, errors=errors or {}, values=values or {}, body_max=BODY_MAX,
                             staff=_staff(context.group), statuses=TEAM_STATUSES,
                             sign_as_team=access.sign_as_team(context.group.id)), status


@bp.route("/<int:conversation_id>")
@login_required
def thread(slug: str, conversation_id: int):
    context = _staff_context(slug)
    return _render_thread(context, _conversation_or_404(context, conversation_id))


@bp.route("/<int:conversation_id>/reply", methods=["POST"])
@login_required
def reply(slug: str, conversation_id: int):
    context = _staff_context(slug)
    conversation = _conversation_or_404(context, conversation_id)
    data, errors, values = load_form(TeamMessageSchema(), request.form)
    if data is None:
        return _render_thread(context, conversation, errors, values, 422)
    actions.team_reply(conversation, _me(), data["body"], sign_as_team=access.sign_as_team(context.group.id),
                       internal=data["internal"])
    db.session.commit()
    flash(_("Internal note added.") if data["internal"] else _("Your answer was sent."), "success")
    return redirect(url_for("conversations_team.thread", slug=slug, conversation_id=conversation_id))


@bp.route("/<int:conversation_id>/update", methods=["POST"])
@login_required
def update(slug: str, conversation_id: int):
    context = _staff_context(slug)
    conversation = _conversation_or_404(context, conversation_id)
    data, errors, values = load_form(TeamUpdateSchema(), request.form)
    if data is not None and data.get("assignee_id"):
        if data["assignee_id"] not in {u.id for u in _staff(context.group)}:
            data, errors = None, {"assignee_id": [_("Only a member of the team can be assigned.")]}
    if data is None:
        return _render_thread(context, conversation, errors, values, 422)
    if data.get("status"):
        conversation.status = data["status"]
    if "assignee_id" in request.form:
        conversation.assignee_id = data.get("assignee_id") or None
    db.session.commit()
    flash(_("Saved."), "success")
    return redirect(url_for("conversations_team.thread", slug=slug, conversation_id=conversation_id))


@bp.route("/signature", methods=["POST"])
@login_required
def signature(slug: str):
    """Group admins choose whether answers are signed as the team or by the staff member's name."""
    context = _staff_context(slug)
    if not _may_sign(context):
        abort(404)
    data, _errors, _values = load_form(TeamSettingSchema(), request.form)
    row = db.session.scalar(select(TeamSetting).where(TeamSetting.group_id == context.group.id))
    if row is None:
        row = TeamSetting(group_id=context.group.id)
        db.session.add(row)
    row.sign_as_team = data["sign_as_team"]
    db.session.commit()
    flash(_("Saved."), "success")
    return redirect(url_for("conversations_team.inbox", slug=slug))


@bp.route("/posts/<int:post_id>/take-private", methods=["GET", "POST"])
@login_required
def take_private(slug: str, post_id: int):
    """One action: the post's author gets a private message from the team, quoting the post."""
    context = _staff_context(slug)
    post = db.session.get(Post, post_id)
    if post is None or post.group_id != context.group.id or post.author_id is None:
        abort(404)
    author = db.session.get(User, post.author_id)
    default = _("Let's take this to a private conversation.")
    if request.method == "GET":
        return render_group_page("conversations/take_private.html", context, post=post, author=author,
                                 errors={}, values={"body": default}, body_max=BODY_MAX)
    data, errors, values = load_form(ReplySchema(), request.form)
    if data is None:
        return render_group_page("conversations/take_private.html", context, post=post, author=author,
                                 errors=errors, values=values, body_max=BODY_MAX), 422
    try:
        conversation = actions.take_private(context.group, _me(), author, post, data["body"],
                                            sign_as_team=access.sign_as_team(context.group.id))
    except Refused:  # pragma: no cover - team messages are never refused
        abort(404)
    db.session.commit()
    flash(_("%(name)s got a private message from the team.", name=author.display_name), "success")
    return redirect(url_for("conversations_team.thread", slug=slug, conversation_id=conversation.id))
