"""Search: the query's rules (the page and ``/api/v1/search`` load the same schema) and the API's shapes."""
from __future__ import annotations

from urllib.parse import urljoin

from flask import request
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, pre_load, validate, validates

from core.schemas.groups import REQUIRED, GroupRefSchema, PersonSchema, Slug, Trimmed, length

QUERY_MAX = 200
PAGE_MAX = 50


class SearchArgsSchema(Schema):
    q = Trimmed(required=True, validate=length(1, QUERY_MAX), error_messages=REQUIRED,
                metadata={"description": "What to look for: every word must match, in any of its forms "
                                         "(German and English stemming)."})
    type = fields.List(fields.String(), load_default=list,
                       metadata={"description": "Only these kinds (repeat the parameter): post, comment, group, "
                                                "profile, or a plugin's source."})
    group = Slug(load_default=None, validate=length(max=64),
                 metadata={"description": "Only within the group with this address."})
    after = fields.String(load_default=None, metadata={"description": "Cursor from the previous page's next."})
    limit = fields.Integer(load_default=20, validate=validate.Range(1, PAGE_MAX))

    @pre_load
    def _drop_blank_choices(self, data, **kwargs):
        """The page's "everything" choice sends an empty ``type``/``group``: that means no filter."""
        data = dict(data)
        types = data.get("type")
        if isinstance(types, list):
            data["type"] = [value for value in types if value]
        elif types == "":
            data.pop("type")
        if data.get("group") == "":
            data.pop("group")
        return data

    @validates("q")
    def _has_a_word(self, value: str, **kwargs) -> None:
        from core.search.text import words

        if value and not words(value):
            raise ValidationError(str(_l("Type at least one letter or digit.")))

    @validates("type")
    def _known_types(self, value: list[str], **kwargs) -> None:
        from core.search import enabled_sources

        known = [source.name for source in enabled_sources()]
        unknown = [name for name in value if name not in known]
        if unknown:
            raise ValidationError(str(_l("Unknown type: %(unknown)s. Choose from: %(known)s.",
                                         unknown=", ".join(unknown), known=", ".join(known))))


class SearchHitSchema(Schema):
    type = fields.String(attribute="source", metadata={"description": "The search source: post, comment, ..."})
    id = fields.Integer(attribute="object_id")
    title = fields.String()
    title_html = fields.Function(lambda hit: str(hit.title_html),
                                 metadata={"description": "The title, HTML-escaped, matches in <mark>."})
    snippet_html = fields.Function(lambda hit: str(hit.snippet_html),
                                   metadata={"description": "A passage of the text, HTML-escaped, matches in "
                                                            "<mark>."})
    url = fields.Function(lambda hit: urljoin(request.url_root, hit.url))
    group = fields.Function(lambda hit: GroupRefSchema().dump({"slug": hit.group_slug, "name": hit.group_name})
                            if hit.group_slug else None, metadata={"description": "null outside groups."})
    author = fields.Function(lambda hit: PersonSchema().dump(hit.author) if hit.author_username else None,
                             metadata={"description": "null for groups."})
    created_at = fields.DateTime()
    score = fields.Float(metadata={"description": "Relevance; higher is better (comparable within one search)."})


class SearchPageSchema(Schema):
    items = fields.List(fields.Nested(SearchHitSchema))
    next = fields.String(allow_none=True,
                         metadata={"description": "Pass as ?after= for the next page; null at the end."})
