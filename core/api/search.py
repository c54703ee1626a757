"""API: full-text search over everything the caller may see (anonymous callers: public content)."""
from __future__ import annotations

from flask_smorest import Blueprint

from core.api.access import OPTIONAL_AUTH
from core.api.groups import bad_cursor
from core.groups import keyset
from core.schemas.search import SearchArgsSchema, SearchPageSchema
from core.search import search as run_search
from core.ui import viewer

blp = Blueprint("api_search", __name__, url_prefix="/api/v1", description="Search")


@blp.route("/search", methods=["GET"])
@blp.arguments(SearchArgsSchema, location="query")
@blp.response(200, SearchPageSchema)
@blp.doc(security=OPTIONAL_AUTH)
def search(args: dict):
    """Posts, comments, groups, people and plugin content matching ``q``, best first.

    Only what the caller may see: a private group's content for its members, nothing from
    people hidden from the caller, nothing hidden by moderators, nothing from switched-off
    features. Pass ``next`` as ``after`` for the following page.
    """
    try:
        return run_search(viewer(), args["q"], types=args["type"], group=args["group"], after=args["after"],
                          limit=args["limit"])
    except keyset.BadCursor:
        bad_cursor("after")
