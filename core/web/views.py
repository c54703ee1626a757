"""Site-wide pages: home, settings' front door, language switch."""
from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from core import page_cache
from core.extensions import db
from core.groups.loading import page_or_400
from core.groups.queries import pending_invitations
from core.web import home

bp = Blueprint("web", __name__)


@bp.get("/")
def index():
    """Members: their groups, what is new, a feed across them, what waits for them. Visitors: the site."""
    if not current_user.is_authenticated:
        return render_template("web/index.html", public_groups=home.public_groups())
    return page_cache.home_page(_member_home)


def _member_home() -> str:
    """The member's home page, rendered (``page_cache.home_page`` decides whether it must be)."""
    viewer = current_user._get_current_object()
    groups, requested = home.my_groups(viewer)
    before = request.args.get("before") or None
    page = entries = None
    if groups:
        page = page_or_400(home.feed_page, viewer, before, current_app.config["PAGE_SIZE"])
        entries = home.feed_entries(viewer, page)
    return render_template("web/home.html", groups=groups, requested=requested, page=page, entries=entries,
                           before=before, invitations=pending_invitations(viewer))


@bp.get("/settings")
@login_required
def settings():
    """The header's "Settings": the first settings page."""
    return redirect(url_for("auth.settings_profile"))


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
