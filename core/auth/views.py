"""Accounts: sign-up, confirmation, log-in, password reset, profile, data export, deletion.

Every form is validated by the schemas in ``core.schemas.users`` (the API uses the
same ones); a failed form is re-rendered with the message next to the field and
everything typed kept, except passwords.
"""
from __future__ import annotations

import json
from datetime import timedelta

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from core.auth import accounts, email_change, emails, login_sessions
from core.auth.limits import account_mail_limit, login_limit, signup_limit
from core.auth.tokens import user_for_confirmation
from core.countries import country_choices
from core.extensions import db
from core.forms import load_form
from core.models import ApiToken, User
from core.models.base import utcnow
from core.permissions import viewable_profiles
from core.schemas.users import (
    AccountDeleteSchema,
    EmailChangeSchema,
    LoginSchema,
    PasswordChangeSchema,
    PasswordResetRequestSchema,
    PasswordResetSchema,
    ProfileSchema,
    SignupSchema,
    TokenCreateSchema,
)
from core.security import NO_STORE
from core.site_profile import first_run_setup

bp = Blueprint("auth", __name__)


SETTINGS_PAGES = (
    ("auth.settings_profile", _l("Profile")),
    ("auth.settings_email", _l("Email address")),
    ("auth.settings_password", _l("Password")),
    ("auth.settings_sessions", _l("Sessions")),
    ("notifications.settings", _l("Notifications")),
    ("auth.settings_tokens", _l("API tokens")),
    ("auth.settings_data", _l("Your data")),
)


@bp.app_context_processor
def _account_helpers() -> dict:
    """``settings_nav()`` for every settings page, including other packages' (notifications)."""
    return {"settings_nav": _settings_nav}


def _settings_nav() -> list[tuple[str, str]]:
    return [(endpoint, label) for endpoint, label in SETTINGS_PAGES if endpoint in current_app.view_functions]


def _form_context(**extra: object) -> dict:
    """Choices the account forms offer (languages, countries in the reader's language)."""
    from flask_babel import get_locale

    return {"countries": country_choices(str(get_locale() or "en")), **extra}


# --- sign-up and email confirmation ------------------------------------------------------------


@bp.route("/signup", methods=["GET", "POST"])
@signup_limit
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("web.index"))
    errors: dict = {}
    values: dict = {"locale": _current_language()}
    if request.method == "POST":
        data, errors, values = load_form(SignupSchema(), request.form)
        if data is not None:
            try:
                user = accounts.register(data)
            except accounts.SignupConflict as conflict:
                errors = {conflict.field: [accounts.conflict_message(conflict.field)]}
            else:
                login_sessions.start(user)
                db.session.commit()
                flash(_("Welcome, %(name)s! We sent a link to %(email)s: please open it to confirm your address.",
                        name=user.display_name, email=user.email), "success")
                return redirect(url_for("web.index"))
        return render_template("auth/signup.html", errors=errors, values=values, **_form_context()), 422
    return render_template("auth/signup.html", errors=errors, values=values, **_form_context())


def _current_language() -> str:
    from flask_babel import get_locale

    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


@bp.route("/confirm/<token>", methods=["GET", "POST"])
def confirm_email(token: str):
    """GET shows a button, POST confirms: a GET never writes, and mail scanners only GET."""
    user = user_for_confirmation(token)
    if user is None:
        return render_template("auth/confirm_invalid.html"), 404
    if request.method == "POST":
        accounts.confirm_email(user)
        db.session.commit()
        flash(_("Thank you, your email address is confirmed."), "success")
        if current_user.is_authenticated:
            return redirect(url_for("web.index"))
        return redirect(url_for("auth.login"))
    return render_template("auth/confirm.html", token=token, user=user)


@bp.post("/confirm/resend")
@login_required
@account_mail_limit
def resend_confirmation():
    if current_user.email_confirmed:
        flash(_("Your email address is already confirmed."), "success")
    else:
        emails.send_confirmation(current_user)
        db.session.commit()
        flash(_("We sent a new confirmation link to %(email)s.", email=current_user.email), "success")
    return redirect(accounts.safe_next(request.form.get("next"), url_for("web.index")))


# --- log-in and log-out --------------------------------------------------------------------------


@bp.route("/login", methods=["GET", "POST"])
@login_limit
def login():
    next_url = accounts.safe_next(request.values.get("next"), url_for("web.index"))
    if current_user.is_authenticated:
        return redirect(next_url)
    errors: dict = {}
    values: dict = {}
    if request.method == "POST":
        data, errors, values = load_form(LoginSchema(), request.form)
        if data is not None:
            user = accounts.authenticate(data["login"], data["password"])
            if user is None:
                errors = {"_schema": [_("The email/username or password is wrong. Please try again.")]}
            elif user.is_suspended:
                errors = {"_schema": [accounts.suspension_message(user)]}
            else:
                login_sessions.start(user, remember=data["remember"])
                db.session.commit()
                if not user.email_confirmed:
                    flash(_("Please confirm your email address to take part: open the link we sent you."), "info")
                return redirect(first_run_setup(user) or next_url)
        return render_template("auth/login.html", errors=errors, values=values, next=next_url), 422
    return render_template("auth/login.html", errors=errors, values=values, next=next_url)


@bp.post("/logout")
def logout():
    login_sessions.end_current()
    db.session.commit()
    flash(_("You are logged out."), "success")
    return redirect(url_for("web.index"))


# --- password reset and change -------------------------------------------------------------------


@bp.route("/password/forgot", methods=["GET", "POST"])
@account_mail_limit
def forgot_password():
    """The answer is the same whether or not the address has an account."""
    errors: dict = {}
    values: dict = {}
    if request.method == "POST":
        data, errors, values = load_form(PasswordResetRequestSchema(), request.form)
        if data is not None:
            accounts.request_password_reset(data["email"])
            db.session.commit()
            return render_template("auth/forgot_sent.html", email=data["email"])
        return render_template("auth/forgot.html", errors=errors, values=values), 422
    return render_template("auth/forgot.html", errors=errors, values=values)


@bp.route("/password/reset", methods=["GET", "POST"])
@account_mail_limit
def reset_password():
    """The emailed link is ``/password/reset#token=…``: the token stays out of every URL path.

    A fragment never reaches the server, so no access log, proxy or Referer header ever holds a
    token. ``static/reset-link.js`` copies it into the form's code field; without JavaScript the
    person pastes the code the email also contains. The token is checked with the new password.
    """
    errors: dict = {}
    values: dict = {}
    if request.method == "POST":
        data, errors, values = load_form(PasswordResetSchema(), request.form)
        if data is not None:
            user = data["user"]
            accounts.reset_password(user, data["password"])
            login_sessions.end_current()
            db.session.commit()
            flash(_("Your password is changed. Please log in with the new one."), "success")
            return redirect(url_for("auth.login"))
        values = {"token": request.form.get("token", "")}
        return render_template("auth/reset.html", errors=errors, values=values), 422
    return render_template("auth/reset.html", errors=errors, values=values)


@bp.route("/settings/password", methods=["GET", "POST"])
@login_required
def settings_password():
    errors: dict = {}
    if request.method == "POST":
        data, errors, _values = load_form(PasswordChangeSchema(user=current_user), request.form)
        if data is not None:
            user = current_user._get_current_object()
            accounts.set_password(user, data["new_password"], keep_session=True)
            db.session.commit()
            flash(_("Your password is changed. Other devices have been logged out."), "success")
            return redirect(url_for("auth.settings_password"))
        return render_template("auth/settings_password.html", errors=errors), 422
    return render_template("auth/settings_password.html", errors=errors)


# --- sessions: where you are logged in ------------------------------------------------------------


def _device(row) -> str:
    if row.browser and row.platform:
        return _("%(browser)s on %(system)s", browser=row.browser, system=row.platform)
    if row.platform:
        return _("A browser on %(system)s", system=row.platform)
    return row.browser or _("Unknown browser")


def _last_active(row, now) -> str:
    """Approximate on purpose: "last seen" is written at most every few minutes."""
    from flask_babel import format_timedelta

    touch = int(current_app.config["LOGIN_SESSION_TOUCH_SECONDS"]) // 60
    if now - row.last_seen_at < timedelta(minutes=max(touch, 1)):
        return _("in the last %(minutes)d minutes", minutes=max(touch, 1))
    return format_timedelta(row.last_seen_at - now, granularity="minute", add_direction=True)


@bp.get("/settings/sessions")
@login_required
def settings_sessions():
    this = login_sessions.current()
    now = utcnow()
    sessions = [
        {"id": row.id, "device": _device(row), "created_at": row.created_at, "remembered": row.remembered,
         "current": this is not None and row.id == this.id, "last_active": _last_active(row, now)}
        for row in login_sessions.active(current_user._get_current_object())
    ]
    sessions.sort(key=lambda entry: not entry["current"])
    return render_template("auth/settings_sessions.html", sessions=sessions,
                           touch_minutes=int(current_app.config["LOGIN_SESSION_TOUCH_SECONDS"]) // 60)


@bp.post("/settings/sessions/<int:session_id>/end")
@login_required
def end_session(session_id: int):
    this = login_sessions.current()
    if not login_sessions.end(current_user._get_current_object(), session_id):
        abort(404)
    db.session.commit()
    if this is not None and this.id == session_id:
        flash(_("You are logged out."), "success")
        return redirect(url_for("auth.login"))
    flash(_("The session is ended: that device is logged out."), "success")
    return redirect(url_for("auth.settings_sessions"))


@bp.post("/settings/sessions/end-others")
@login_required
def end_other_sessions():
    login_sessions.end_all(current_user._get_current_object(), keep_current=True)
    db.session.commit()
    flash(_("Every other session is ended. You are still logged in here."), "success")
    return redirect(url_for("auth.settings_sessions"))


@bp.post("/settings/sessions/end-all")
@login_required
def end_all_sessions():
    login_sessions.end_all(current_user._get_current_object())
    login_sessions.end_current()
    db.session.commit()
    flash(_("You are logged out everywhere, here too."), "success")
    return redirect(url_for("auth.login"))


# --- profile ---------------------------------------------------------------------------------------


@bp.get("/u/<username>")
def profile(username: str):
    """Everyone gets the name; bio, groups and posts only whom the person chose (``core.auth.profiles``)."""
    from core.auth.profiles import profile_view

    user = db.session.scalar(db.select(User).where(User.username == username.lower(),
                                                   viewable_profiles(current_user)))
    if user is None:
        abort(404)
    return render_template("auth/profile.html", profile_user=user, view=profile_view(current_user, user))


@bp.route("/settings/profile", methods=["GET", "POST"])
@login_required
def settings_profile():
    user = current_user._get_current_object()
    values = {"display_name": user.display_name, "bio": user.bio, "locale": user.locale, "country": user.country,
              "profile_visibility": user.profile_visibility}
    errors: dict = {}
    if request.method == "POST":
        data, errors, values = load_form(ProfileSchema(), request.form)
        if data is not None:
            for key, value in data.items():
                setattr(user, key, value)
            db.session.commit()
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("auth.settings_profile"))
        return render_template("auth/settings_profile.html", errors=errors, values=values, **_form_context()), 422
    return render_template("auth/settings_profile.html", errors=errors, values=values, **_form_context())


# --- email address ---------------------------------------------------------------------------------


@bp.route("/settings/email", methods=["GET", "POST"])
@login_required
@account_mail_limit
def settings_email():
    """Ask for a new address; the answer is the same whether or not it has an account already."""
    errors: dict = {}
    values: dict = {}
    if request.method == "POST":
        user = current_user._get_current_object()
        data, errors, values = load_form(EmailChangeSchema(user=user), request.form)
        if data is not None:
            email_change.request_change(user, data["email"])
            db.session.commit()
            flash(_("We sent a link to %(email)s. Your address changes once you open it; until then you keep "
                    "using %(old)s.", email=data["email"], old=user.email), "success")
            return redirect(url_for("auth.settings_email"))
        return render_template("auth/settings_email.html", errors=errors, values=values), 422
    return render_template("auth/settings_email.html", errors=errors, values=values)


@bp.route("/settings/email/confirm/<token>", methods=["GET", "POST"])
def confirm_email_change(token: str):
    """GET shows a button, POST changes the address: mail scanners only GET, and a GET never writes."""
    found = email_change.pending_change(token)
    if found is None:
        return render_template("auth/email_change_invalid.html"), 404
    user, new_email = found
    if request.method == "POST":
        try:
            email_change.confirm_change(user, new_email)
        except email_change.AddressTaken:
            return render_template("auth/email_change_invalid.html", taken=True), 409
        db.session.commit()
        flash(_("Your email address is now %(email)s.", email=new_email), "success")
        return redirect(url_for("auth.settings_email" if current_user.is_authenticated else "auth.login"))
    return render_template("auth/email_change_confirm.html", token=token, new_email=new_email)


# --- API tokens ------------------------------------------------------------------------------------


def _tokens() -> list[ApiToken]:
    return list(db.session.scalars(
        db.select(ApiToken).where(ApiToken.user_id == current_user.id).order_by(ApiToken.created_at.desc())
    ))


@bp.route("/settings/tokens", methods=["GET", "POST"])
@login_required
def settings_tokens():
    """The secret is in the response to the POST only; it is never stored or shown again."""
    errors: dict = {}
    values: dict = {}
    secret = None
    status = 200
    if request.method == "POST":
        data, errors, values = load_form(TokenCreateSchema(), request.form)
        if data is not None:
            _token, secret = ApiToken.issue(current_user._get_current_object(), data["name"])
            db.session.commit()
            values = {}
        else:
            status = 422
    return render_template("auth/settings_tokens.html", tokens=_tokens(), secret=secret, errors=errors,
                           values=values), status, NO_STORE


@bp.post("/settings/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    db.session.delete(token)
    db.session.commit()
    flash(_("The token “%(name)s” is revoked.", name=token.name), "success")
    return redirect(url_for("auth.settings_tokens"))


# --- your data: export and account deletion -------------------------------------------------------


@bp.route("/settings/data", methods=["GET", "POST"])
@login_required
def settings_data():
    from core.privacy import ErasureFailed, LastOwnerError, delete_account

    errors: dict = {}
    if request.method == "POST":
        status = 422
        data, errors, _values = load_form(AccountDeleteSchema(), request.form)
        if data is not None and not current_user.check_password(data["password"]):
            errors = {"password": [_("This is not your password.")]}
        if not errors:
            user = current_user._get_current_object()
            try:
                delete_account(user)
            except (LastOwnerError, ErasureFailed) as exc:
                errors = {"_schema": [str(exc)]}
                status = 503 if isinstance(exc, ErasureFailed) else 422
            else:
                login_sessions.end_current()
                db.session.commit()
                flash(_("Your account and everything you wrote are deleted. Take care!"), "success")
                return redirect(url_for("web.index"))
        return render_template("auth/settings_data.html", errors=errors), status
    return render_template("auth/settings_data.html", errors=errors)


@bp.get("/settings/data/export")
@login_required
def export_data():
    """The member's data as a JSON download; if a plugin's part is missing, first a page saying which,
    with a link to download the rest anyway (``?partial=1``)."""
    from core.privacy import export_user_data

    data = export_user_data(current_user._get_current_object())
    if data["incomplete"] and not request.args.get("partial"):
        return render_template("auth/settings_data.html", errors={},
                               export_missing=[part["name"] for part in data["incomplete"]])
    body = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    filename = f"commonground-{current_user.username}.json"
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"', **NO_STORE})
