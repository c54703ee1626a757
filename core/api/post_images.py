"""API: a post's images, as the edit form changes them: add one (multipart), describe it, remove it.

The same processing and limits as the composer (``core.groups.image_form``): each file is
re-encoded with its metadata stripped, at most ``POST_IMAGE_MAX_BYTES`` and ``POST_IMAGES_MAX``
per post; images keep their order and new ones come last; only the post's author changes them.
A post's images are listed with the post (``images`` in ``/posts/{id}`` and the feeds).
"""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_smorest import Blueprint, abort

from core.api.access import not_found, require_user
from core.api.posts import post_or_404
from core.extensions import db
from core.groups import content_actions, post_images
from core.models import Post, PostImage
from core.permissions import can_edit_content
from core.schemas.posts import AltTextSchema, ImageUploadSchema, PostImageSchema, UploadFormSchema
from core.storage import ImageRejected, accepts_uploads, delete_file, put_file, store_upload

blp = Blueprint("api_post_images", __name__, url_prefix="/api/v1", description="Images in posts")


def _own_post(post_id: int) -> tuple[object, Post]:
    user = require_user()
    post = post_or_404(post_id)
    if not can_edit_content(user, post):
        not_found()
    return user, post


def _image_of(post: Post, image_id: int) -> PostImage:
    image = db.session.get(PostImage, image_id)
    if image is None or image.post_id != post.id:
        not_found()
    return image


def _refuse_file(message: str) -> None:
    abort(422, message=_("Please correct the marked fields."), errors={"files": {"file": [message]}})


@blp.route("/posts/<int:post_id>/images", methods=["POST"])
@accepts_uploads
@blp.arguments(UploadFormSchema, location="form")
@blp.arguments(ImageUploadSchema, location="files")
@blp.response(201, PostImageSchema)
@blp.alt_response(401, response="UNAUTHORIZED")
def add_image(form: dict, files: dict, post_id: int):
    """Add an image to your post (``multipart/form-data``: ``file``, optional ``alt_text``); it comes last."""
    user, post = _own_post(post_id)
    if post.image_count + 1 > post_images.max_images():
        _refuse_file(post_images.too_many_message())
    config = current_app.config
    try:
        stored = store_upload(files["file"], max_bytes=int(config["POST_IMAGE_MAX_BYTES"]),
                              max_side=int(config["POST_IMAGE_SIDE"]), store=False)
    except ImageRejected as error:
        _refuse_file(str(error.message))
    put_file(stored)
    try:
        content_actions.edit_post(user, post, post.body_source, post_images.ImageChanges(
            {}, frozenset(), [post_images.NewImage(stored, " ".join(form["alt_text"].split()))]))
    except Exception:
        db.session.rollback()
        delete_file(stored.key)
        raise
    return post.images[-1], 201


@blp.route("/posts/<int:post_id>/images/<int:image_id>", methods=["PATCH"])
@blp.arguments(AltTextSchema)
@blp.response(200, PostImageSchema)
@blp.alt_response(401, response="UNAUTHORIZED")
def describe_image(data: dict, post_id: int, image_id: int):
    """Change the description (alt text) of an image of your post."""
    user, post = _own_post(post_id)
    image = _image_of(post, image_id)
    content_actions.edit_post(user, post, post.body_source, post_images.ImageChanges(
        {image.id: " ".join(data["alt_text"].split())}, frozenset()))
    return image


@blp.route("/posts/<int:post_id>/images/<int:image_id>", methods=["DELETE"])
@blp.response(204)
@blp.alt_response(401, response="UNAUTHORIZED")
def remove_image(post_id: int, image_id: int):
    """Remove an image from your post; its file is deleted, the other images keep their order."""
    user, post = _own_post(post_id)
    image = _image_of(post, image_id)
    content_actions.edit_post(user, post, post.body_source, post_images.ImageChanges({}, frozenset({image.id})))
    return None
