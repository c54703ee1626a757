"""Pages: writing, editing and deleting posts and comments; the composer's preview and live preview.

Every refusal of a composer keeps the text and the images attached: a body too long or empty, a
refused image file, too many images, a reply to a comment deleted meanwhile, a rate limit
(answered here with the form, not an error page). Images: ``core.groups.image_form``.
"""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import TooManyRequests

from core.extensions import db
from core.forms import load_form
from core.groups import bp, content_actions, keyset, post_images
from core.groups.errors import InvalidInput, NotAllowed
from core.groups.feed import COMMENTS_PER_PAGE, render_feed_page, render_post_page
from core.groups.image_form import attached_values, existing_values, read_image_form
from core.groups.limits import comment_limit, post_limit, preview_limit
from core.groups.loading import comment_or_404, group_or_404, post_or_404
from core.groups.mentions import render_body
from core.permissions import can_comment, can_delete_content, can_edit_content
from core.schemas.posts import POST_MAX, CommentInputSchema, PostInputSchema
from core.storage import accepts_uploads, delete_file, put_file


def _wants_attach() -> bool:
    """"Attach images": keep the chosen files with the form, to describe each before publishing."""
    return "attach" in request.form


def _composer_form() -> MultiDict:
    """The submitted form, an empty ``parent_id`` (a plain comment) left out."""
    form = request.form.copy()
    if not (form.get("parent_id") or "").strip():
        form.pop("parent_id", None)
    return form


def _wants_preview() -> bool:
    return "preview" in request.form


@bp.post("/<slug>/posts")
@login_required
@post_limit
@accepts_uploads
def create_post(slug: str):
    """Publish a post; or, with its errors, a preview or "Attach images", the composer again.

    Whenever the composer comes back, the good new images are attached (stored as the member's
    pending images) and shown with a description field each; a refused file is not stored.
    """
    context = group_or_404(slug)
    data, errors, values = load_form(PostInputSchema(), request.form)
    errors = dict(errors or {})
    content_actions.check_can_post(current_user, context.group)
    images = read_image_form(current_user)
    errors.update(images.errors)
    if data is None or errors or _wants_preview() or _wants_attach():
        images.keep_new(current_user)
        images.drop_detached()
        db.session.commit()
        values = {**values, **images.values()}
        if data is None or errors:
            return render_feed_page(context, values, errors, 422)
        preview = Markup(render_body(current_user, context.group, data["body"]).html) if _wants_preview() else None
        return render_feed_page(context, values, {}, 200, preview=preview)
    for file in images.new:
        put_file(file)
    try:
        post_images.published(images.attached)
        images.drop_detached()
        post = content_actions.create_post(current_user, context.group, data["body"], images=images.to_publish())
    except Exception:
        db.session.rollback()
        for file in images.new:  # refused (or failed): nothing may stay behind in storage
            delete_file(file.key)
        raise
    flash(_("Your post is published."), "success")
    return redirect(url_for("groups.post", slug=slug, post_id=post.id))


@bp.post("/<slug>/preview")
@login_required
@preview_limit
def live_preview(slug: str):
    """The composer's live preview (static/preview.js): ``body`` rendered by the publishing renderer.

    Answers an HTML fragment (sanitized, as stored posts are); CSRF-protected like every form,
    rate-limited (``RATELIMIT_PREVIEW``), and it never writes. Only members who may write in the
    group get one: for anyone else the group's content is 404 or the reason they cannot write.
    """
    context = group_or_404(slug)
    content_actions.check_can_post(current_user, context.group)
    body = request.form.get("body", "")
    if len(body) > POST_MAX:
        return _("Use at most %(max)s characters.", max=POST_MAX), 422, {"Content-Type": "text/plain; charset=utf-8"}
    html = render_body(current_user, context.group, body).html if body.strip() else ""
    return html, 200, {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"}


@bp.route("/<slug>/p/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
@accepts_uploads
def edit_post(slug: str, post_id: int):
    """Edit a post's text and images: describe, remove or add images ("Attach images" shows new ones first)."""
    context, post = post_or_404(slug, post_id)
    if not can_edit_content(current_user, post):
        abort(404)
    values, errors, status = {"body": post.body_source, **existing_values(post)}, {}, 200
    if request.method == "POST":
        data, errors, values = load_form(PostInputSchema(), request.form)
        errors = dict(errors or {})
        images = read_image_form(current_user, post)
        errors.update(images.errors)
        if data is not None and not errors and not _wants_attach():
            for file in images.new:
                put_file(file)
            try:
                post_images.published(images.attached)
                images.drop_detached()
                content_actions.edit_post(current_user, post, data["body"], images.changes())
            except Exception:
                db.session.rollback()
                for file in images.new:
                    delete_file(file.key)
                raise
            flash(_("Your post is updated."), "success")
            return redirect(url_for("groups.post", slug=slug, post_id=post.id))
        images.keep_new(current_user)
        images.drop_detached()
        db.session.commit()
        values = {**values, **images.values()}
        status = 422 if errors else 200
    return render_template("groups/edit.html", group=context.group, context=context, item=post, kind="post",
                           values=values, errors=errors, max_images=post_images.max_images(),
                           cancel_url=url_for("groups.post", slug=slug, post_id=post.id)), status


@bp.post("/<slug>/p/<int:post_id>/pin")
@login_required
def pin_post(slug: str, post_id: int):
    """Group admins pin a post to the top of the feed (``pinned=1``) or unpin it (``pinned=0``)."""
    _context, post = post_or_404(slug, post_id)
    pinned = request.form.get("pinned") == "1"
    content_actions.set_pinned(current_user, post, pinned)
    flash(_("The post is pinned to the top of the feed.") if pinned else _("The post is no longer pinned."),
          "success")
    return redirect(url_for("groups.group", slug=slug))


@bp.route("/<slug>/p/<int:post_id>/delete", methods=["GET", "POST"])
@login_required
def delete_post(slug: str, post_id: int):
    """GET asks for confirmation (no JavaScript needed); POST deletes the post and its comments."""
    context, post = post_or_404(slug, post_id)
    if not can_delete_content(current_user, post, context.group):
        abort(404)
    if request.method == "POST":
        content_actions.delete_post(current_user, post)
        flash(_("The post is deleted."), "success")
        return redirect(url_for("groups.group", slug=slug))
    return render_template("groups/confirm.html", group=context.group,
                           title=_("Delete this post?"),
                           message=_("The post and all its comments will be removed. This cannot be undone."),
                           button=_("Delete post"), danger=True,
                           cancel_url=url_for("groups.post", slug=slug, post_id=post.id))


@bp.post("/<slug>/p/<int:post_id>/comments")
@login_required
@comment_limit
def create_comment(slug: str, post_id: int):
    context, post = post_or_404(slug, post_id)
    data, errors, values = load_form(CommentInputSchema(), _composer_form())
    if data is None:
        return render_post_page(context, post, values, errors, 422)
    try:
        if _wants_preview():
            if not can_comment(current_user, post):
                raise NotAllowed(_("You cannot comment on this post."))
            content_actions.reply_target(current_user, post, data.get("parent_id"))
            preview = Markup(render_body(current_user, context.group, data["body"]).html)
            return render_post_page(context, post, values, {}, 200, preview=preview)
        comment = content_actions.create_comment(current_user, post, data["body"], data.get("parent_id"))
    except InvalidInput as refused:
        values.pop("parent_id", None)  # the text stays; it can go out as a plain comment
        return render_post_page(context, post, values, refused.as_errors(), 422)
    flash(_("Your comment is published."), "success")
    args = {}
    if post.comment_count > COMMENTS_PER_PAGE:  # open the page that starts with the new comment
        args["after"] = keyset.encode(comment.thread_id, comment.id - 1)
    return redirect(url_for("groups.post", slug=slug, post_id=post.id, _anchor=f"comment-{comment.id}", **args))


@bp.errorhandler(TooManyRequests)
def _too_many(error: TooManyRequests):
    """A rate-limited post or comment: the composer again, with the text and a message at the field."""
    endpoint = request.endpoint
    if endpoint not in ("groups.create_post", "groups.create_comment"):
        app_wide = current_app._find_error_handler(error, [])  # the site's own 429 page
        return app_wide(error) if app_wide is not None else error
    values = {"body": request.form.get("body", "")}
    errors = {"body": [_("You are writing faster than this site allows. Your text is kept: wait a minute, then "
                         "publish it.")]}
    args = request.view_args or {}
    if endpoint == "groups.create_post":
        values.update(attached_values(current_user))
        response = render_feed_page(group_or_404(args["slug"]), values, errors, 429)
    else:
        if request.form.get("parent_id"):
            values["parent_id"] = request.form["parent_id"]
        context, post = post_or_404(args["slug"], args["post_id"])
        response = render_post_page(context, post, values, errors, 429)
    body, status = response
    headers = [(name, value) for name, value in error.get_headers() if name.lower() != "content-type"]
    return body, status, headers


@bp.route("/<slug>/c/<int:comment_id>/edit", methods=["GET", "POST"])
@login_required
def edit_comment(slug: str, comment_id: int):
    context, comment = comment_or_404(slug, comment_id)
    if not can_edit_content(current_user, comment):
        abort(404)
    post_url = url_for("groups.post", slug=slug, post_id=comment.post_id, _anchor=f"comment-{comment.id}")
    values, errors = {"body": comment.body_source}, {}
    if request.method == "POST":
        data, errors, values = load_form(CommentInputSchema(), request.form)
        if data is not None:
            content_actions.edit_comment(current_user, comment, data["body"])
            flash(_("Your comment is updated."), "success")
            return redirect(post_url)
    return render_template("groups/edit.html", group=context.group, context=context, item=comment, kind="comment",
                           values=values, errors=errors, cancel_url=post_url), 422 if errors else 200


@bp.route("/<slug>/c/<int:comment_id>/delete", methods=["GET", "POST"])
@login_required
def delete_comment(slug: str, comment_id: int):
    context, comment = comment_or_404(slug, comment_id)
    if not can_delete_content(current_user, comment, context.group):
        abort(404)
    post_url = url_for("groups.post", slug=slug, post_id=comment.post_id)
    if request.method == "POST":
        content_actions.delete_comment(current_user, comment)
        flash(_("The comment is deleted."), "success")
        return redirect(post_url)
    return render_template("groups/confirm.html", group=context.group, title=_("Delete this comment?"),
                           message=_("This cannot be undone."), button=_("Delete comment"), danger=True,
                           cancel_url=post_url)
