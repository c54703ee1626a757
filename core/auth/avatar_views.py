"""Settings → Profile: upload a picture as one's avatar, or remove it (back to the initials avatar).

The upload is re-encoded, cropped to its centre square and scaled to ``AVATAR_SIZE`` pixels
(``core.storage``: no metadata survives, bombs and mislabelled files are refused). The old
picture is deleted from storage once the new key is committed.
"""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.auth.views import _form_context, bp
from core.extensions import db
from core.storage import ImageRejected, accepts_uploads, delete_after_commit, store_upload


def _settings_page(avatar_errors: dict, status: int):
    user = current_user
    values = {"display_name": user.display_name, "bio": user.bio, "locale": user.locale, "country": user.country}
    return render_template("auth/settings_profile.html", errors={}, values=values, avatar_errors=avatar_errors,
                           **_form_context()), status


@bp.post("/settings/avatar")
@login_required
@accepts_uploads
def upload_avatar():
    upload = request.files.get("avatar")
    if upload is None or not upload.filename:
        return _settings_page({"avatar": [_("Choose an image file.")]}, 422)
    config = current_app.config
    try:
        stored = store_upload(upload, max_bytes=int(config["AVATAR_MAX_BYTES"]), max_side=int(config["AVATAR_SIZE"]),
                              square=True, prefix="avatars")
    except ImageRejected as error:
        return _settings_page({"avatar": [str(error.message)]}, 422)
    user = current_user._get_current_object()
    delete_after_commit([user.avatar_key])
    user.avatar_key = stored.key
    db.session.commit()
    flash(_("Your picture is saved."), "success")
    return redirect(url_for("auth.settings_profile"))


@bp.post("/settings/avatar/remove")
@login_required
def remove_avatar():
    user = current_user._get_current_object()
    if user.avatar_key:
        delete_after_commit([user.avatar_key])
        user.avatar_key = None
        db.session.commit()
        flash(_("Your picture is removed. Your initials are shown instead."), "success")
    return redirect(url_for("auth.settings_profile"))
