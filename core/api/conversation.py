"""API: reactions to posts and comments, and who to mention in a group.

``PUT .../reactions/<kind>`` adds your reaction and ``DELETE`` takes it back; both are
idempotent (``changed`` says whether anything changed). Content you cannot see is 404.
Mention suggestions list members of the group you may see whose username or name starts
with ``q`` — the source of the composer's autocomplete.
"""
from __future__ import annotations

from flask_login import current_user
from flask_smorest import Blueprint

from core.api.access import OPTIONAL_AUTH, not_found, require_user
from core.api.groups import content_or_404
from core.api.posts import comment_or_404, post_or_404
from core.groups import mentions, reactions
from core.groups.placeholders import load_placeholders
from core.models import REACTION_KINDS
from core.permissions import is_member
from core.schemas.reactions import (
    MentionArgsSchema,
    MentionSuggestionSchema,
    ReactionResultSchema,
    WhoReactedListSchema,
)

blp = Blueprint("api_conversation", __name__, url_prefix="/api/v1", description="Reactions and mentions")


def _group_of(item):
    return item.group if isinstance(item, reactions.Post) else item.post.group


def _hidden(item) -> bool:
    content_type = "post" if isinstance(item, reactions.Post) else "comment"
    return bool(load_placeholders(current_user, content_type, [item.id], _group_of(item)))


def _change(item, kind: str, add: bool) -> dict:
    user = require_user()
    if kind not in REACTION_KINDS:
        not_found()
    group = _group_of(item)
    action = reactions.react if add else reactions.unreact
    changed = action(user, item, group, kind, hidden_body=_hidden(item))
    return {"changed": changed, "reactions": [r._asdict() for r in reactions.summary(item, user, group)]}


def _who(item) -> dict:
    if _hidden(item):
        not_found()
    group = _group_of(item)
    people = reactions.who_reacted(item, current_user, group)
    return {"reactions": [r._asdict() for r in reactions.summary(item, current_user, group)],
            "people": [{"kind": kind, "people": members} for kind, members in people.items()]}


@blp.route("/posts/<int:post_id>/reactions", methods=["GET"])
@blp.response(200, WhoReactedListSchema)
@blp.doc(security=OPTIONAL_AUTH)
def post_reactions(post_id: int):
    """Counts per kind and who reacted to a post (people hidden from you are neither counted nor listed)."""
    return _who(post_or_404(post_id))


@blp.route("/posts/<int:post_id>/reactions/<kind>", methods=["PUT"])
@blp.response(200, ReactionResultSchema)
@blp.alt_response(401, response="UNAUTHORIZED")
def react_to_post(post_id: int, kind: str):
    """Add your reaction of ``kind`` (like, heart, support, thanks); doing it twice changes nothing."""
    return _change(post_or_404(post_id), kind, True)


@blp.route("/posts/<int:post_id>/reactions/<kind>", methods=["DELETE"])
@blp.response(200, ReactionResultSchema)
@blp.alt_response(401, response="UNAUTHORIZED")
def unreact_to_post(post_id: int, kind: str):
    """Take back your reaction of ``kind``."""
    return _change(post_or_404(post_id), kind, False)


@blp.route("/comments/<int:comment_id>/reactions", methods=["GET"])
@blp.response(200, WhoReactedListSchema)
@blp.doc(security=OPTIONAL_AUTH)
def comment_reactions(comment_id: int):
    """Counts per kind and who reacted to a comment."""
    return _who(comment_or_404(comment_id))


@blp.route("/comments/<int:comment_id>/reactions/<kind>", methods=["PUT"])
@blp.response(200, ReactionResultSchema)
@blp.alt_response(401, response="UNAUTHORIZED")
def react_to_comment(comment_id: int, kind: str):
    """Add your reaction of ``kind`` to a comment; doing it twice changes nothing."""
    return _change(comment_or_404(comment_id), kind, True)


@blp.route("/comments/<int:comment_id>/reactions/<kind>", methods=["DELETE"])
@blp.response(200, ReactionResultSchema)
@blp.alt_response(401, response="UNAUTHORIZED")
def unreact_to_comment(comment_id: int, kind: str):
    """Take back your reaction of ``kind`` to a comment."""
    return _change(comment_or_404(comment_id), kind, False)


@blp.route("/groups/<slug>/mentions", methods=["GET"])
@blp.arguments(MentionArgsSchema, location="query")
@blp.response(200, MentionSuggestionSchema)
@blp.alt_response(401, response="UNAUTHORIZED")
def mention_suggestions(args: dict, slug: str):
    """Members of the group you may mention, by the start of their username or name (at most 8)."""
    user = require_user()
    context = content_or_404(slug)
    if not is_member(user, context.group):
        not_found()
    return {"items": mentions.suggestions(user, context.group, args["q"])}
