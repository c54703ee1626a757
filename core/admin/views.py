"""Site administration: dashboard and users (search, suspend, unsuspend). Site admins only; others get 404."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import ValidationError

from core.auth import accounts
from core.auth.search import search_users
from core.extensions import db
from core.forms import load_form
from core.models import Group, Post, User
from core.permissions import is_site_admin
from core.schemas.users import SuspendSchema, UserSearchArgsSchema

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def _site_admins_only():
    if not is_site_admin(current_user):
        abort(404)


@bp.get("/")
def index():
    counts = db.session.execute(
        db.select(
            db.select(db.func.count(User.id)).scalar_subquery(),
            db.select(db.func.count(User.id)).where(User.suspended_at.is_not(None)).scalar_subquery(),
            db.select(db.func.count(Group.id)).scalar_subquery(),
            db.select(db.func.count(Post.id)).scalar_subquery(),
        )
    ).one()
    links = [(_("People"), url_for("admin.users")), (_("Plugins"), url_for("admin_plugins.index")),
             (_("Site"), url_for("setup.form"))]
    return render_template("admin/index.html", users=counts[0], suspended=counts[1], groups=counts[2],
                           posts=counts[3], links=links)


@bp.get("/users")
def users():
    try:
        args = UserSearchArgsSchema().load({"q": request.args.get("q", "")[:100],
                                            "after": request.args.get("after") or None})
    except ValidationError:
        abort(400, description=_("This page link is broken: the list position is not valid."))
    q, after = args["q"], args["after"]
    items, next_after = search_users(q, after, current_app.config["PAGE_SIZE"])
    return render_template("admin/users.html", users=items, q=q, next_after=next_after, after=after)


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.get("/users/<int:user_id>")
def user(user_id: int):
    return render_template("admin/user.html", user=_user_or_404(user_id), errors={}, values={})


@bp.post("/users/<int:user_id>/suspend")
def suspend_user(user_id: int):
    user = _user_or_404(user_id)
    if user.id == current_user.id:
        flash(_("You cannot suspend yourself."), "error")
        return redirect(url_for("admin.user", user_id=user.id))
    data, errors, values = load_form(SuspendSchema(), request.form)
    if data is None:
        return render_template("admin/user.html", user=user, errors=errors, values=values), 422
    accounts.suspend(user, data["reason"], data["until"])
    db.session.commit()
    flash(_("%(name)s is suspended.", name=user.display_name), "success")
    return redirect(url_for("admin.user", user_id=user.id))


@bp.post("/users/<int:user_id>/unsuspend")
def unsuspend_user(user_id: int):
    user = _user_or_404(user_id)
    accounts.unsuspend(user)
    db.session.commit()
    flash(_("%(name)s's suspension is lifted.", name=user.display_name), "success")
    return redirect(url_for("admin.user", user_id=user.id))
