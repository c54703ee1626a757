"""Posts and comments: input rules and API shapes (shared by the web forms and the API)."""
from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_smorest.fields import Upload
from marshmallow import Schema, ValidationError, fields, validate, validates

from core.schemas.groups import REQUIRED, PersonSchema

POST_MAX = 10_000
COMMENT_MAX = 5_000
ALT_TEXT_MAX = 500


class _BodySchema(Schema):
    max_length = POST_MAX
    body = fields.String(required=True, error_messages=REQUIRED,
                         metadata={"description": "Markdown; raw HTML is shown as text, links are made safe."})

    @validates("body")
    def _check_body(self, value: str, **kwargs) -> None:
        if not value.strip():
            raise ValidationError(str(_l("Write something first.")))
        if len(value) > self.max_length:
            raise ValidationError(str(_l("Use at most %(max)s characters.", max=self.max_length)))


class PostInputSchema(_BodySchema):
    max_length = POST_MAX


class CommentInputSchema(_BodySchema):
    max_length = COMMENT_MAX
    parent_id = fields.Integer(load_default=None, allow_none=True, strict=False,
                               metadata={"description": "Reply to this comment (a reply to a reply joins the top "
                                                        "comment's thread)."})


class FeedArgsSchema(Schema):
    before = fields.String(load_default=None, metadata={"description": "Cursor from the previous page's next."})
    limit = fields.Integer(load_default=20, validate=validate.Range(1, 100))


class CommentArgsSchema(Schema):
    after = fields.String(load_default=None, metadata={"description": "Cursor from the previous page's next."})
    limit = fields.Integer(load_default=50, validate=validate.Range(1, 100))


def _placeholder(content_type: str, item) -> str | None:
    from core.groups.placeholders import placeholder_for

    found = placeholder_for(content_type, item.id)
    return str(found) if found is not None else None


class _ContentSchema(Schema):
    content_type = "post"

    id = fields.Integer()
    author = fields.Nested(PersonSchema)
    body_source = fields.Method("_body_source", metadata={"description": "null while the item is hidden."})
    body_html = fields.Method("_body_html", metadata={"description": "Sanitized HTML, or the placeholder shown."})
    hidden = fields.Method("_hidden", metadata={"description": "true when a placeholder replaces the body."})
    created_at = fields.DateTime()
    edited_at = fields.DateTime(allow_none=True)

    def _hidden(self, item) -> bool:
        return _placeholder(self.content_type, item) is not None

    def _body_source(self, item) -> str | None:
        return None if self._hidden(item) else item.body_source

    def _body_html(self, item) -> str:
        return _placeholder(self.content_type, item) or item.body_html


class _ReactionSchema(Schema):
    kind = fields.String()
    count = fields.Integer()
    mine = fields.Boolean()


def _reactions(item) -> list[dict]:
    return [reaction._asdict() for reaction in item.reactions]


class PostSchema(_ContentSchema):
    content_type = "post"

    pinned = fields.Function(lambda post: post.pinned_at is not None,
                             metadata={"description": "Pinned to the top of the group's feed."})
    reactions = fields.Function(_reactions, metadata={"description": "Count per kind, and whether you reacted so "
                                                                     "(people hidden from you are not counted)."})

    group = fields.Function(lambda post: post.group.slug, metadata={"description": "The group's slug."})
    comment_count = fields.Integer(attribute="shown_comment_count",
                                   metadata={"description": "Comments you can see (by people not hidden from you)."})
    url = fields.Function(lambda post: url_for("groups.post", slug=post.group.slug, post_id=post.id, _external=True))
    images = fields.Method("_images", metadata={
        "description": "Images published with the post, in order: id, url, alt_text, width, height (empty while "
                       "hidden). Change them with /posts/{id}/images."})

    def _images(self, post) -> list[dict]:
        if not post.image_count or self._hidden(post):
            return []
        return PostImageSchema(many=True).dump(post.images)


class PostImageSchema(Schema):
    """An image of a post as the API shows it (the same file the pages show)."""

    id = fields.Integer()
    url = fields.Function(lambda image: url_for("files.serve", key=image.file_key, _external=True))
    alt_text = fields.String(metadata={"description": "The description for people who cannot see the image."})
    width = fields.Integer()
    height = fields.Integer()


class ImageUploadSchema(Schema):
    file = Upload(required=True, error_messages=REQUIRED,
                  metadata={"description": "PNG, JPEG, GIF or WebP; re-encoded without metadata."})


class UploadFormSchema(Schema):
    alt_text = fields.String(load_default="", validate=validate.Length(max=ALT_TEXT_MAX))


class AltTextSchema(Schema):
    alt_text = fields.String(required=True, error_messages=REQUIRED, validate=validate.Length(max=ALT_TEXT_MAX))


class CommentSchema(_ContentSchema):
    content_type = "comment"

    post_id = fields.Integer()
    parent_id = fields.Integer(allow_none=True, metadata={"description": "The top comment this one replies to."})
    reactions = fields.Function(_reactions, metadata={"description": "Count per kind, and whether you reacted so."})


class PostPageSchema(Schema):
    items = fields.List(fields.Nested(PostSchema))
    next = fields.String(allow_none=True,
                         metadata={"description": "Pass as ?before= for older posts; null at the end."})


class CommentPageSchema(Schema):
    items = fields.List(fields.Nested(CommentSchema))
    next = fields.String(allow_none=True,
                         metadata={"description": "Pass as ?after= for more comments; null at the end."})
