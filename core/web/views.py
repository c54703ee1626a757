"""Site-wide pages: home, language switch."""
from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user

from core.extensions import db

bp = Blueprint("web", __name__)


@bp.get("/")
def index():
    return render_template("web/index.html")


@bp.post("/language")
def set_language():
    """Visitors pick a language for their session; members also get it saved to their profile."""
    lang = request.form.get("locale", "")
    if lang in current_app.config["LANGUAGES"]:
        session["locale"] = lang
        if current_user.is_authenticated:
            current_user.locale = lang
            db.session.commit()
    target = request.form.get("next") or url_for("web.index")
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("web.index")
    return redirect(target)
