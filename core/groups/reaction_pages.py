"""Pages: reacting to a post or comment (a plain form, no JavaScript needed) and who reacted.

Content the viewer cannot see — hidden by moderation, by a block, in a private group — is
not found (404), for reacting as for the list.
"""
from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.auth.accounts import safe_next
from core.groups import bp, reactions
from core.groups.errors import NotFound
from core.groups.loading import comment_or_404, group_tabs, post_or_404
from core.groups.placeholders import load_placeholders


def _toggle(item, group, fallback: str):
    """``add=<kind>`` adds a reaction, ``remove=<kind>`` takes it back; twice the same is a no-op.

    The page's script (``reactions.js``) asks for JSON: the new counts, so no reload is needed.
    """
    content_type = "post" if isinstance(item, reactions.Post) else "comment"
    hidden = bool(load_placeholders(current_user, content_type, [item.id], group))
    kind = request.form.get("add") or request.form.get("remove") or ""
    wants_json = request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"
    if kind not in reactions.LABELS:
        if wants_json:
            return jsonify(errors={"kind": [_("Choose a reaction.")]}), 422
        flash(_("Choose a reaction."), "error")
    elif "add" in request.form:
        reactions.react(current_user, item, group, kind, hidden_body=hidden)
    else:
        reactions.unreact(current_user, item, group, kind, hidden_body=hidden)
    if wants_json:
        return jsonify(reactions=[r._asdict() for r in reactions.summary(item, current_user, group)])
    return redirect(safe_next(request.form.get("next"), fallback))


@bp.post("/<slug>/p/<int:post_id>/reactions")
@login_required
def react_post(slug: str, post_id: int):
    context, post = post_or_404(slug, post_id)
    return _toggle(post, context.group, url_for("groups.post", slug=slug, post_id=post.id))


@bp.post("/<slug>/c/<int:comment_id>/reactions")
@login_required
def react_comment(slug: str, comment_id: int):
    context, comment = comment_or_404(slug, comment_id)
    return _toggle(comment, context.group, url_for("groups.post", slug=slug, post_id=comment.post_id,
                                                   _anchor=f"comment-{comment.id}"))


def _who(context, item, back_url: str):
    content_type = "post" if isinstance(item, reactions.Post) else "comment"
    if load_placeholders(current_user, content_type, [item.id], context.group):
        raise NotFound()
    people = reactions.who_reacted(item, current_user, context.group)
    return render_template("groups/reactions.html", context=context, group=context.group, tabs=group_tabs(context),
                           item=item, content_type=content_type, people=people, labels=reactions.LABELS,
                           symbols=reactions.SYMBOLS, back_url=back_url)


@bp.get("/<slug>/p/<int:post_id>/reactions")
def post_reactions(slug: str, post_id: int):
    context, post = post_or_404(slug, post_id)
    return _who(context, post, url_for("groups.post", slug=slug, post_id=post.id))


@bp.get("/<slug>/c/<int:comment_id>/reactions")
def comment_reactions(slug: str, comment_id: int):
    context, comment = comment_or_404(slug, comment_id)
    return _who(context, comment, url_for("groups.post", slug=slug, post_id=comment.post_id,
                                          _anchor=f"comment-{comment.id}"))
