"""Pages: members and roles, joining and leaving, join requests and invitations."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.forms import load_form
from core.groups import bp, membership_actions, queries
from core.groups.errors import Conflict, InvalidInput
from core.groups.limits import invite_limit, join_limit
from core.groups.loading import content_or_404, group_or_404, group_tabs, page_or_400
from core.groups.queries import GroupContext
from core.models import ROLES, JoinRequest
from core.permissions import can_change_role, can_invite, can_join, can_review_join_requests
from core.schemas.groups import JoinSchema, RoleSchema, UsernameSchema

MEMBERS_PER_PAGE = 50


def render_members(context: GroupContext, values: dict | None = None, errors: dict | None = None,
                   status: int = 200):
    after = request.args.get("after") or None
    page = page_or_400(queries.member_page, context.group, current_user, after, MEMBERS_PER_PAGE)
    role_choices = {
        m.id: [role for role in ROLES if role == m.role or can_change_role(current_user, context.group, m, role)]
        for m in page.items
    }
    return render_template("groups/members.html", context=context, group=context.group, tabs=group_tabs(context),
                           page=page, after=after, values=values or {}, errors=errors or {}, role_choices=role_choices,
                           can_invite=can_invite(current_user, context.group)), status


@bp.get("/<slug>/members")
def members(slug: str):
    return render_members(content_or_404(slug))


@bp.post("/<slug>/invite")
@login_required
@invite_limit
def invite(slug: str):
    context = content_or_404(slug)
    data, errors, values = load_form(UsernameSchema(), request.form)
    if data is not None:
        try:
            invitation = membership_actions.invite(current_user, context.group, data["username"])
        except InvalidInput as error:
            errors = error.as_errors()
        else:
            flash(_("%(name)s is invited.", name=invitation.user.display_name), "success")
            return redirect(url_for("groups.members", slug=slug))
    return render_members(context, values, errors, 422)


@bp.post("/<slug>/members/<username>/role")
@login_required
def change_role(slug: str, username: str):
    context = content_or_404(slug)
    data, errors, _values = load_form(RoleSchema(), request.form)
    if data is None:
        abort(400)
    found = membership_actions.change_role(current_user, context.group, username, data["role"])
    flash(_("%(name)s is now %(role)s.", name=found.user.display_name, role=role_label(found.role)), "success")
    return redirect(url_for("groups.members", slug=slug))


@bp.route("/<slug>/members/<username>/remove", methods=["GET", "POST"])
@login_required
def remove_member(slug: str, username: str):
    context = content_or_404(slug)
    if request.method == "POST":
        membership_actions.remove_member(current_user, context.group, username)
        flash(_("%(username)s was removed from the group.", username=username), "success")
        return redirect(url_for("groups.members", slug=slug))
    return render_template("groups/confirm.html", group=context.group,
                           title=_("Remove %(username)s from %(group)s?", username=username, group=context.group.name),
                           message=_("They will be told. They can ask to join again later."),
                           button=_("Remove member"), danger=True, cancel_url=url_for("groups.members", slug=slug))


@bp.route("/<slug>/members/<username>/transfer", methods=["GET", "POST"])
@login_required
def transfer_ownership(slug: str, username: str):
    """Hand over the group: the member becomes owner and the current owner an admin."""
    context = content_or_404(slug)
    if request.method == "POST":
        found = membership_actions.transfer_ownership(current_user, context.group, username)
        flash(_("%(name)s is now an owner of the group; you are an admin.", name=found.user.display_name), "success")
        return redirect(url_for("groups.members", slug=slug))
    return render_template("groups/confirm.html", group=context.group,
                           title=_("Make %(username)s owner of %(group)s?", username=username,
                                   group=context.group.name),
                           message=_("They get full control of the group, and you become an admin."),
                           button=_("Hand over ownership"), cancel_url=url_for("groups.members", slug=slug))


@bp.route("/<slug>/join", methods=["GET", "POST"])
@login_required
@join_limit
def join(slug: str):
    """Open groups: join at once. By-request groups: answer the question and wait for a moderator."""
    context = group_or_404(slug)
    group = context.group
    if context.membership is not None:
        return redirect(url_for("groups.group", slug=slug))
    values, errors = {}, {}
    if request.method == "POST":
        data, errors, values = load_form(JoinSchema(), request.form)
        if data is not None:
            try:
                result = membership_actions.join(current_user, group, data["answer"])
            except InvalidInput as error:
                errors = error.as_errors()
            except Conflict as error:
                flash(error.message, "error")
                return redirect(url_for("groups.group", slug=slug))
            else:
                if isinstance(result, JoinRequest):
                    flash(_("Your request is sent. You will be notified when a moderator decides."), "success")
                else:
                    flash(_("Welcome to %(name)s!", name=group.name), "success")
                return redirect(url_for("groups.group", slug=slug))
    if not can_join(current_user, group):
        abort(403, description=_("Confirm your email address before joining groups."))
    return render_template("groups/join.html", context=context, group=group, values=values,
                           errors=errors), 422 if errors else 200


@bp.post("/<slug>/join/withdraw")
@login_required
def withdraw_request(slug: str):
    context = group_or_404(slug)
    membership_actions.withdraw_request(current_user, context.group)
    flash(_("Your request is withdrawn."), "success")
    return redirect(url_for("groups.group", slug=slug))


@bp.route("/<slug>/leave", methods=["GET", "POST"])
@login_required
def leave(slug: str):
    context = group_or_404(slug)
    if context.membership is None:
        abort(404)
    problem = None
    if request.method == "POST":
        try:
            membership_actions.leave(current_user, context.group)
        except Conflict as error:
            problem = error.message
        else:
            flash(_("You left %(name)s.", name=context.group.name), "success")
            return redirect(url_for("groups.group", slug=slug))
    elif membership_actions.is_last_owner(current_user, context.group):
        problem = _("You are the only owner. Make another member owner before you leave.")
    return render_template("groups/leave.html", context=context, group=context.group,
                           problem=problem), 409 if problem and request.method == "POST" else 200


@bp.get("/<slug>/requests")
@login_required
def requests(slug: str):
    """Pending join requests with the applicants' answers: for the group's moderators and up only."""
    context = group_or_404(slug)
    if not can_review_join_requests(current_user, context.group):
        abort(404)
    after = request.args.get("after") or None
    page = page_or_400(queries.request_page, context.group, current_user, after, MEMBERS_PER_PAGE)
    return render_template("groups/requests.html", context=context, group=context.group, tabs=group_tabs(context),
                           page=page, after=after)


@bp.post("/<slug>/requests/<int:request_id>/<any(approve, deny):decision>")
@login_required
def decide_request(slug: str, request_id: int, decision: str):
    context = group_or_404(slug)
    action = membership_actions.approve_request if decision == "approve" else membership_actions.deny_request
    try:
        decided = action(current_user, context.group, request_id)
    except Conflict as error:
        flash(error.message, "error")
        return redirect(url_for("groups.requests", slug=slug))
    name = decided.user.display_name
    flash(_("%(name)s is now a member.", name=name) if decision == "approve"
          else _("The request from %(name)s is declined.", name=name), "success")
    return redirect(url_for("groups.requests", slug=slug))


def role_label(role: str) -> str:
    """A group role as members read it, in their language: ``role_label(context.membership.role)``
    gives "moderator" (German "Moderator"). Group templates have it too."""
    return {"owner": _("owner"), "admin": _("admin"), "moderator": _("moderator"), "member": _("member")}[role]


def role_here(role: str) -> str:
    """The member's own place in a group as one sentence: "You are a member here"."""
    return {"owner": _("You are the owner here"), "admin": _("You are an admin here"),
            "moderator": _("You are a moderator here"), "member": _("You are a member here")}[role]
