"""The search page (``/search``), also reached from the search box in every page's header."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request

from core.forms import load_form
from core.groups import keyset
from core.schemas.search import SearchArgsSchema
from core.search.query import enabled_sources, search
from core.ui import viewer

bp = Blueprint("search", __name__)


@bp.get("/search")
def index():
    """Without ``q`` the empty form; with it one page of hits. Works without JavaScript."""
    sources = enabled_sources()
    if "q" not in request.args:
        return render_template("search/index.html", page=None, values={}, errors={}, sources=sources)
    args, errors, values = load_form(SearchArgsSchema(), request.args)
    if args is None:
        return render_template("search/index.html", page=None, values=values, errors=errors, sources=sources), 422
    try:
        page = search(viewer(), args["q"], types=args["type"], group=args["group"], after=args["after"],
                      limit=current_app.config["PAGE_SIZE"])
    except keyset.BadCursor:
        abort(400)
    return render_template("search/index.html", page=page, values=values, errors=errors, sources=sources,
                           args=args)
