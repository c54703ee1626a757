"""API: sign-up, session log-in/out, email confirmation, password reset and personal API tokens.

Two ways to authenticate: the session cookie (``POST /auth/login``; state-changing calls
then need the ``X-CSRFToken`` header from ``GET /auth/csrf``) or a personal token sent as
``Authorization: Bearer <token>`` (no CSRF token needed).
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields

from core.api.access import PUBLIC, not_found, require_user
from core.auth import accounts, login_sessions
from core.auth.csrf_tokens import csrf_token as signed_csrf_token
from core.auth.limits import account_mail_limit, login_limit, signup_limit
from core.auth.tokens import user_for_confirmation
from core.extensions import db
from core.models import ApiToken
from core.schemas.users import (
    ConfirmEmailSchema,
    LoginSchema,
    LoginSessionSchema,
    MeSchema,
    PasswordResetRequestSchema,
    PasswordResetSchema,
    SignupSchema,
    TokenCreatedSchema,
    TokenCreateSchema,
    TokenSchema,
)
from core.security import NO_STORE

blp = Blueprint("api_auth", __name__, url_prefix="/api/v1", description="Accounts: sign-up, log-in, API tokens")


class CsrfSchema(Schema):
    csrf_token = fields.String(metadata={"description": "Send as X-CSRFToken header with session-cookie calls"})


class MessageSchema(Schema):
    message = fields.String()


@blp.route("/auth/csrf", methods=["GET"])
@blp.response(200, CsrfSchema)
@blp.doc(security=PUBLIC)
def csrf_token():
    """A CSRF token for session-cookie clients (not needed with a Bearer token)."""
    return {"csrf_token": signed_csrf_token()}


@blp.route("/auth/signup", methods=["POST"])
@signup_limit
@blp.arguments(SignupSchema)
@blp.response(201, MeSchema)
@blp.alt_response(429, response="TOO_MANY_REQUESTS")
@blp.doc(security=PUBLIC)
def signup(data):
    """Create an account; a confirmation link is emailed. Log in separately afterwards."""
    try:
        user = accounts.register(data)
    except accounts.SignupConflict as conflict:
        abort(422, message=_("Please correct the marked fields."),
              errors={"json": {conflict.field: [accounts.conflict_message(conflict.field)]}})
    db.session.commit()
    return user


@blp.route("/auth/login", methods=["POST"])
@login_limit
@blp.arguments(LoginSchema)
@blp.response(200, MeSchema)
@blp.alt_response(401, response="UNAUTHORIZED")
@blp.alt_response(403, response="FORBIDDEN")
@blp.alt_response(429, response="TOO_MANY_REQUESTS")
@blp.doc(security=PUBLIC)
def login(data):
    """Start a session (cookie). Wrong password and unknown account get the same answer."""
    user = accounts.authenticate(data["login"], data["password"])
    if user is None:
        abort(401, message=_("The email/username or password is wrong. Please try again."))
    if user.is_suspended:
        abort(403, message=accounts.suspension_message(user))
    login_sessions.start(user, remember=data["remember"])
    db.session.commit()
    return user


@blp.route("/auth/logout", methods=["POST"])
@blp.response(204)
def logout():
    """End the session on the server (a Bearer token stays valid; revoke it to end it)."""
    login_sessions.end_current()
    db.session.commit()


@blp.route("/auth/confirm", methods=["POST"])
@blp.arguments(ConfirmEmailSchema)
@blp.response(200, MeSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.doc(security=PUBLIC)
def confirm_email(data):
    """Confirm an email address with the token from the emailed link."""
    user = user_for_confirmation(data["token"])
    if user is None:
        not_found(_("This confirmation link is invalid or has expired."))
    accounts.confirm_email(user)
    db.session.commit()
    return user


@blp.route("/auth/confirm/resend", methods=["POST"])
@account_mail_limit
@blp.response(202, MessageSchema)
@blp.alt_response(401, response="UNAUTHORIZED")
@blp.alt_response(429, response="TOO_MANY_REQUESTS")
def resend_confirmation():
    """Email a new confirmation link to the caller (if not yet confirmed)."""
    user = require_user()
    if user.email_confirmed:
        return {"message": _("Your email address is already confirmed.")}
    from core.auth.emails import send_confirmation

    send_confirmation(user)
    db.session.commit()
    return {"message": _("We sent a new confirmation link to %(email)s.", email=user.email)}


@blp.route("/auth/password/forgot", methods=["POST"])
@account_mail_limit
@blp.arguments(PasswordResetRequestSchema)
@blp.response(202, MessageSchema)
@blp.alt_response(429, response="TOO_MANY_REQUESTS")
@blp.doc(security=PUBLIC)
def forgot_password(data):
    """Email a reset link; the answer is the same whether or not the address has an account."""
    accounts.request_password_reset(data["email"])
    db.session.commit()
    return {"message": _("If an account uses this address, we sent it a link to choose a new password.")}


@blp.route("/auth/password/reset", methods=["POST"])
@account_mail_limit
@blp.arguments(PasswordResetSchema)
@blp.response(204)
@blp.alt_response(429, response="TOO_MANY_REQUESTS")
@blp.doc(security=PUBLIC)
def reset_password(data):
    """Set a new password with the emailed token; every session of the account ends."""
    accounts.reset_password(data["user"], data["password"])
    db.session.commit()


@blp.route("/auth/tokens", methods=["GET"])
@blp.response(200, TokenSchema(many=True))
@blp.alt_response(401, response="UNAUTHORIZED")
def list_tokens():
    """Your personal API tokens (the secrets are never shown again)."""
    user = require_user()
    return db.session.scalars(
        db.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc())
    ).all()


@blp.route("/auth/tokens", methods=["POST"])
@blp.arguments(TokenCreateSchema)
@blp.response(201, TokenCreatedSchema)
@blp.alt_response(401, response="UNAUTHORIZED")
def create_token(data):
    """Create a token; its secret is in this response only, so store it now."""
    user = require_user()
    token, secret = ApiToken.issue(user, data["name"])
    db.session.commit()
    return ({"id": token.id, "name": token.name, "prefix": token.prefix, "created_at": token.created_at,
             "token": secret}, 201, NO_STORE)


@blp.route("/auth/tokens/<int:token_id>", methods=["DELETE"])
@blp.response(204)
@blp.alt_response(401, response="UNAUTHORIZED")
@blp.alt_response(404, response="NOT_FOUND")
def revoke_token(token_id: int):
    """Revoke one of your tokens; it stops working at once."""
    user = require_user()
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        not_found(_("No such token."))
    db.session.delete(token)
    db.session.commit()


@blp.route("/auth/sessions", methods=["GET"])
@blp.response(200, LoginSessionSchema(many=True))
@blp.alt_response(401, response="UNAUTHORIZED")
def list_sessions():
    """Where you are logged in, most recently used first; ``current`` marks the calling session."""
    user = require_user()
    this = login_sessions.current()
    return [{"id": row.id, "browser": row.browser, "platform": row.platform, "remembered": row.remembered,
             "created_at": row.created_at, "last_seen_at": row.last_seen_at,
             "current": this is not None and row.id == this.id}
            for row in login_sessions.active(user)]


@blp.route("/auth/sessions", methods=["DELETE"])
@blp.response(204)
@blp.alt_response(401, response="UNAUTHORIZED")
def end_other_sessions():
    """Log out everywhere else: every session but the calling one ends (called with a token: all of them)."""
    login_sessions.end_all(require_user(), keep_current=True)
    db.session.commit()


@blp.route("/auth/sessions/<int:session_id>", methods=["DELETE"])
@blp.response(204)
@blp.alt_response(401, response="UNAUTHORIZED")
@blp.alt_response(404, response="NOT_FOUND")
def end_session(session_id: int):
    """End one of your sessions; that browser is logged out at once (the calling one too, if it is this)."""
    if not login_sessions.end(require_user(), session_id):
        not_found(_("No such session."))
    db.session.commit()
