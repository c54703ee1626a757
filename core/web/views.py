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
    """The footer's language form (no JavaScript): kept in the session; members also get it saved."""
    lang = request.form.get("locale", "")
    if lang in current_app.config["LANGUAGES"]:
        session["locale"] = lang
        if current_user.is_authenticated and current_user.locale != lang:
            current_user.locale = lang
            db.session.commit()
    return redirect(_local_target(request.form.get("next", "")))


def _local_target(target: str) -> str:
    """Only paths on this site: no scheme, no host, no ``//`` or ``/\\`` tricks."""
    if not target.startswith("/") or target.startswith(("//", "/\\")) or any(c in target for c in "\r\n\t"):
        return url_for("web.index")
    return target
