"""Full-text search as a platform service: one interface over SQLite FTS5 and PostgreSQL.

Core and plugins declare ``SearchSource`` objects (hook ``search_sources``); core keeps the
index current in the same transaction as every write (``core.search.indexing``) and answers
``search(viewer, query)`` with one SQL query per page, filtered for the viewer inside that
query, ranked, with highlighted snippets and keyset pages (``core.search.query``).
"""
from __future__ import annotations

from flask import Flask

from core.models.search import SearchEntry
from core.search.indexing import reindex, unindex
from core.search.query import SearchPage, UnknownSource, enabled_sources, search
from core.search.sources import SearchDocument, SearchHit, SearchSource, SearchSourceError, get_registry

__all__ = [
    "SearchDocument",
    "SearchEntry",
    "SearchHit",
    "SearchPage",
    "SearchSource",
    "SearchSourceError",
    "UnknownSource",
    "enabled_sources",
    "get_registry",
    "init_app",
    "reindex",
    "search",
    "unindex",
]


def init_app(app: Flask) -> None:
    """Collect the app's sources (after plugins are loaded) and start indexing on every flush."""
    from core.search import commands, indexing, views
    from core.search.sources import build_registry

    build_registry(app)
    indexing.install()
    app.register_blueprint(views.bp)
    app.cli.add_command(commands.cli)
