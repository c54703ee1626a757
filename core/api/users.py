"""API: your own account (``/me``), public profiles, and user administration for site admins."""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields

from core.api.access import not_found, require_user
from core.auth import accounts, email_change, login_sessions
from core.auth.limits import account_mail_limit
from core.auth.search import search_users
from core.extensions import db
from core.models import User
from core.permissions import can_view_profile, is_site_admin
from core.schemas.users import (
    AccountDeleteSchema,
    EmailChangeSchema,
    MeSchema,
    PasswordChangeSchema,
    ProfileChangeSchema,
    SuspendSchema,
    UserAdminSchema,
    UserListSchema,
    UserProfileSchema,
    UserSearchArgsSchema,
)
from core.security import NO_STORE

blp = Blueprint("api_users", __name__, url_prefix="/api/v1", description="People: your account, profiles, admin")


class ExportSchema(Schema):
    class Meta:
        unknown = "include"

    format = fields.String()
    exported_at = fields.String()
    account = fields.Dict()
    plugins = fields.Dict(metadata={"description": "Each plugin's data under its id"})
    incomplete = fields.List(fields.Dict(), metadata={
        "description": "Plugins whose part could not be included (their export failed): "
                       "[{\"plugin\": id, \"name\": name}]; empty when the export is complete"})


@blp.route("/me", methods=["GET"])
@blp.response(200, MeSchema)
@blp.alt_response(401, response="UNAUTHORIZED")
def me():
    """Your account."""
    return require_user()


@blp.route("/me", methods=["PATCH"])
@blp.arguments(ProfileChangeSchema)
@blp.response(200, MeSchema)
@blp.alt_response(401, response="UNAUTHORIZED")
def update_me(data):
    """Change any of: display name, bio, language, country."""
    user = require_user()
    for key, value in data.items():
        setattr(user, key, value)
    db.session.commit()
    return user


@blp.route("/me/password", methods=["POST"])
@blp.arguments(PasswordChangeSchema)
@blp.response(204)
@blp.alt_response(401, response="UNAUTHORIZED")
def change_password(data):
    """Change your password; your other sessions end, this one continues."""
    user = require_user()
    accounts.set_password(user, data["new_password"], keep_session=not _token_auth())
    db.session.commit()


class EmailChangeAnswerSchema(Schema):
    message = fields.String(dump_only=True)


@blp.route("/me/email", methods=["POST"])
@account_mail_limit
@blp.arguments(EmailChangeSchema)
@blp.response(202, EmailChangeAnswerSchema)
@blp.alt_response(401, response="UNAUTHORIZED")
def change_email(data):
    """Ask to change your address: a link goes to the new one, a notice to the current one.

    The address changes only when the link is opened. The answer is the same whether or not the
    new address already has an account."""
    user = require_user()
    email_change.request_change(user, data["email"])
    db.session.commit()
    return {"message": _("We sent a link to %(email)s. Your address changes once you open it.", email=data["email"])}


def _token_auth() -> bool:
    from flask import g

    return "api_token" in g


@blp.route("/me/export", methods=["GET"])
@blp.response(200, ExportSchema)
@blp.alt_response(401, response="UNAUTHORIZED")
def export_me():
    """Everything the platform keeps about you, including each plugin's part."""
    from core.privacy import export_user_data

    response = current_app.json.response(export_user_data(require_user()))
    response.headers.update(NO_STORE)
    return response


@blp.route("/me", methods=["DELETE"])
@blp.arguments(AccountDeleteSchema)
@blp.response(204)
@blp.alt_response(401, response="UNAUTHORIZED")
@blp.alt_response(409, response="CONFLICT")
@blp.alt_response(503, response="SERVICE_UNAVAILABLE",
                  description="A plugin could not erase its part: nothing was deleted; try again later")
def delete_me(data):
    """Delete your account and everything you wrote, all or nothing. Needs your password in the body."""
    from core.privacy import LastOwnerError, delete_account

    user = require_user()
    if not user.check_password(data["password"]):
        abort(422, message=_("Please correct the marked fields."),
              errors={"json": {"password": [_("This is not your password.")]}})
    try:
        delete_account(user)
    except LastOwnerError as exc:
        abort(409, message=str(exc), errors={"groups": [g.slug for g in exc.groups]})
    login_sessions.end_current()
    db.session.commit()


@blp.route("/users", methods=["GET"])
@blp.arguments(UserSearchArgsSchema, location="query")
@blp.response(200, UserListSchema)
@blp.alt_response(404, response="NOT_FOUND")
def list_users(args):
    """Site admins: search people by username, email or display name (keyset pages, newest first)."""
    require_user()
    from flask_login import current_user

    if not is_site_admin(current_user):
        not_found()
    items, next_after = search_users(args["q"], args["after"], current_app.config["PAGE_SIZE"])
    return {"items": items, "next_after": next_after}


def _user_or_404(username: str) -> User:
    user = db.session.scalar(db.select(User).where(User.username == username.lower()))
    if user is None:
        not_found(_("No such person."))
    return user


@blp.route("/users/<username>", methods=["GET"])
@blp.response(200, UserProfileSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.doc(security=[])
def get_user(username: str):
    """A person's profile as the caller may see it (``restricted``: their choice of who sees details)."""
    from flask_login import current_user

    from core.auth.profiles import profile_view

    user = _user_or_404(username)
    if not can_view_profile(current_user, user):
        not_found(_("No such person."))
    view = profile_view(current_user, user, with_posts=False)
    if view.restricted:
        return {"username": user.username, "display_name": user.display_name, "restricted": True,
                "bio": None, "created_at": None, "groups": None, "groups_in_common": None}
    return {"username": user.username, "display_name": user.display_name, "restricted": False, "bio": user.bio,
            "created_at": user.created_at, "groups": view.groups, "groups_in_common": view.common}


def _admin_target(username: str) -> tuple[User, User]:
    actor = require_user()
    if not is_site_admin(actor):
        not_found()
    return actor, _user_or_404(username)


@blp.route("/users/<username>/suspend", methods=["POST"])
@blp.arguments(SuspendSchema)
@blp.response(200, UserAdminSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def suspend_user(data, username: str):
    """Site admins: suspend an account (ends its sessions; tokens stop working)."""
    actor, user = _admin_target(username)
    if user.id == actor.id:
        abort(409, message=_("You cannot suspend yourself."))
    accounts.suspend(user, data["reason"], data["until"])
    db.session.commit()
    return user


@blp.route("/users/<username>/unsuspend", methods=["POST"])
@blp.response(200, UserAdminSchema)
@blp.alt_response(404, response="NOT_FOUND")
def unsuspend_user(username: str):
    """Site admins: lift a suspension."""
    _actor, user = _admin_target(username)
    accounts.unsuspend(user)
    db.session.commit()
    return user
