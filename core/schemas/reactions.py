"""Reactions and mention suggestions: API shapes."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from core.models import REACTION_KINDS
from core.schemas.groups import PersonSchema


class ReactionCountSchema(Schema):
    kind = fields.String(metadata={"description": "One of " + ", ".join(REACTION_KINDS) + "."})
    count = fields.Integer(metadata={"description": "People you can see who reacted so."})
    mine = fields.Boolean(metadata={"description": "Whether you reacted so."})


class ReactionResultSchema(Schema):
    changed = fields.Boolean(metadata={"description": "false when the reaction was already there (or not there)."})
    reactions = fields.List(fields.Nested(ReactionCountSchema))


class WhoReactedSchema(Schema):
    kind = fields.String()
    people = fields.List(fields.Nested(PersonSchema))


class WhoReactedListSchema(Schema):
    reactions = fields.List(fields.Nested(ReactionCountSchema))
    people = fields.List(fields.Nested(WhoReactedSchema))


class MentionArgsSchema(Schema):
    q = fields.String(load_default="", validate=validate.Length(max=32),
                      metadata={"description": "The start of a username or display name (a leading @ is ignored)."})


class MentionSuggestionSchema(Schema):
    items = fields.List(fields.Nested(PersonSchema))
