"""Pages: the group directory, creating a group, and the invitations someone has received."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.forms import load_form
from core.groups import bp, group_actions, membership_actions, queries
from core.groups.errors import InvalidInput
from core.groups.group_form import load_group_form
from core.groups.loading import page_or_400
from core.permissions import can_create_group
from core.schemas.groups import DirectoryArgsSchema, GroupCreateSchema


@bp.get("/")
def directory():
    """Every group by name, with search; private groups show name and description only."""
    args, errors, values = load_form(DirectoryArgsSchema(), request.args)
    query = args["q"] if args else ""
    after = request.args.get("after") or None
    page = page_or_400(queries.directory_page, current_user, query, after, current_app.config["PAGE_SIZE"])
    return render_template("groups/directory.html", page=page, query=query, values=values, errors=errors,
                           after=after, can_create=can_create_group(current_user))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    if not can_create_group(current_user):
        abort(403, description=_("Confirm your email address before creating a group."))
    values: dict = {"visibility": "public", "join_mode": "open"}
    errors: dict = {}
    if request.method == "POST":
        data, errors, values = load_group_form(GroupCreateSchema(), request.form)
        if data is not None:
            try:
                group = group_actions.create_group(current_user, data)
            except InvalidInput as error:
                errors = error.as_errors()
            else:
                flash(_("Your group is ready. Welcome, owner!"), "success")
                return redirect(url_for("groups.group", slug=group.slug))
    status = 422 if errors else 200
    return render_template("groups/new.html", values=values, errors=errors), status


@bp.get("/invitations")
@login_required
def invitations():
    """Invitations waiting for the current member's answer."""
    return render_template("groups/invitations.html", invitations=queries.pending_invitations(current_user))


@bp.post("/invitations/<int:invitation_id>/accept")
@login_required
def accept_invitation(invitation_id: int):
    found = membership_actions.accept_invitation(current_user, invitation_id)
    flash(_("Welcome to %(name)s!", name=found.group.name), "success")
    return redirect(url_for("groups.group", slug=found.group.slug))


@bp.post("/invitations/<int:invitation_id>/decline")
@login_required
def decline_invitation(invitation_id: int):
    invitation = membership_actions.decline_invitation(current_user, invitation_id)
    flash(_("You declined the invitation to %(name)s.", name=invitation.group.name), "success")
    return redirect(url_for("groups.invitations"))
