"""What can be searched: sources declared by core and plugins, held per app.

A source says how one model becomes index rows (``document``), which of those rows a viewer
may find (``visible``, a SQL filter core puts into its one query) and where a hit links to.
Sources never query the index themselves, so a source cannot hand out rows core has not
filtered. On top of a source's own filter core always applies its rules: a private group's
content only for its members, nobody the viewer has hidden (``core.visibility.not_hidden``),
nothing a plugin hid (``hidden_content_ids``), nothing from a disabled plugin or from a group
plugin that is off in that group.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from flask import Flask, current_app
from sqlalchemy import ColumnElement, Select

EXTENSION = "commonground.search"
CORE_PLUGIN_ID = "core"
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


class SearchSourceError(RuntimeError):
    """A search source breaks the contract; the message names the plugin and the source."""


@dataclass(frozen=True)
class SearchDocument:
    """One searchable row as a source describes it.

    ``title`` and ``body`` are plain text (strip markup first). ``group_id`` puts the row in a
    group: core then shows it only to those who may see that group's content, and for a
    group-scope plugin only where the plugin is on. ``author_id`` hides the row from viewers
    who hide that person. ``parent_id`` is the id of the row this one belongs to in the
    source's ``parent`` source (a comment's post): removing the parent removes it too.
    """

    object_id: int
    title: str = ""
    body: str = ""
    group_id: int | None = None
    author_id: int | None = None
    parent_id: int | None = None
    created_at: datetime | None = None


@dataclass
class SearchHit:
    """One search result as pages, the API and a source's ``url`` see it."""

    source: str
    object_id: int
    parent_id: int | None
    title: str
    group_slug: str | None
    group_name: str | None
    author_username: str | None
    author_name: str | None
    created_at: datetime
    score: float
    title_html: Any = ""
    snippet_html: Any = ""
    url: str = ""
    label: str = ""
    author_avatar_key: str | None = None

    @property
    def author(self) -> Any:
        """The author as ``avatar()`` takes it (username, display name, avatar key), or None."""
        if self.author_username is None:
            return None
        return SimpleNamespace(username=self.author_username, display_name=self.author_name,
                               avatar_key=self.author_avatar_key)


@dataclass(frozen=True)
class SearchSource:
    """A kind of searchable content, returned from the ``search_sources`` hook.

    - ``name``: unique; a plugin's names are its id or start with ``<id>_``.
    - ``label``/``item_label``: plural and singular, for filters and result headings.
    - ``model``: the mapped class (integer ``id`` key) whose rows are indexed. Core indexes a
      row when it is inserted, re-indexes it when one of the ``watch`` attributes changes and
      removes it when it is deleted, in the same transaction (an ORM flush hook).
    - ``document(obj)``: a ``SearchDocument`` for the row, or None to keep it out of search.
    - ``visible(viewer, entries)``: a SQL boolean over ``entries`` (the ``SearchEntry`` model)
      saying which of this source's rows ``viewer`` (maybe anonymous) may find, beyond core's
      rules; return ``sqlalchemy.true()`` when core's rules are all there is. It must be a SQL
      expression: other tables only inside ``exists()``/subqueries.
    - ``url(hit)``: the link for a ``SearchHit``.
    - ``parent``: name of the source this one's rows belong to (removed with it).
    - ``group_content``: rows with a group are that group's content (private to members of a
      private group). Core's group source sets it False: names and descriptions are public.
    - ``rows()``: the statement ``flask search reindex`` walks (default ``select(model)``); add
      the eager loads ``document`` needs.
    - ``site_content``: for a group-scope plugin whose content is either a group's or site-wide
      (resource hubs): a document without ``group_id`` is then allowed and follows the site-wide
      switch only. Without it, a group plugin's document must name its group.
    """

    name: str
    label: Any
    item_label: Any
    model: type
    document: Callable[[Any], SearchDocument | None]
    visible: Callable[[Any, type], ColumnElement]
    url: Callable[[SearchHit], str]
    watch: tuple[str, ...] = ()
    parent: str | None = None
    group_content: bool = True
    rows: Callable[[], Select] | None = None
    site_content: bool = False
    plugin_id: str = field(default=CORE_PLUGIN_ID, compare=False)


class SearchRegistry:
    """The app's search sources, collected once from every installed plugin's ``search_sources``."""

    def __init__(self) -> None:
        self.sources: dict[str, SearchSource] = {}
        self.by_model: dict[type, SearchSource] = {}
        self.scopes: dict[str, str] = {}

    def add(self, source: Any, plugin_id: str, scope: str = "site") -> SearchSource:
        if not isinstance(source, SearchSource):
            raise SearchSourceError(f"plugin {plugin_id!r} returned {source!r} from search_sources; "
                                    "expected SearchSource objects")
        name = source.name
        if not NAME_PATTERN.match(name or ""):
            raise SearchSourceError(f"plugin {plugin_id!r}: search source name {name!r} must be lowercase "
                                    "letters, digits and underscores")
        if plugin_id != CORE_PLUGIN_ID and name != plugin_id and not name.startswith(plugin_id + "_"):
            raise SearchSourceError(f"plugin {plugin_id!r}: search source {name!r} must be named {plugin_id!r} "
                                    f"or start with {plugin_id + '_'!r}")
        if name in self.sources:
            first = self.sources[name].plugin_id
            raise SearchSourceError(f"search source {name!r} is declared twice: by plugin {first!r} and by "
                                    f"plugin {plugin_id!r}")
        if source.model in self.by_model:
            other = self.by_model[source.model]
            raise SearchSourceError(f"plugin {plugin_id!r}: search source {name!r} indexes "
                                    f"{source.model.__name__}, which source {other.name!r} of plugin "
                                    f"{other.plugin_id!r} indexes already")
        for attribute in ("document", "visible", "url"):
            if not callable(getattr(source, attribute)):
                raise SearchSourceError(f"plugin {plugin_id!r}: search source {name!r} needs a callable "
                                        f"{attribute}")
        source = replace(source, plugin_id=plugin_id)
        self.sources[name] = source
        self.by_model[source.model] = source
        self.scopes[name] = scope
        return source

    def children_of(self, name: str) -> list[str]:
        return [source.name for source in self.sources.values() if source.parent == name]

    def __iter__(self) -> Iterator[SearchSource]:
        return iter(self.sources.values())

    def get(self, name: str) -> SearchSource:
        return self.sources[name]


def build_registry(app: Flask) -> SearchRegistry:
    """Ask every installed plugin (enabled or not: its rows stay indexed) once, core first.

    A plugin whose hook raises is logged and its sources left out; a source that breaks the
    contract (declared twice, badly named) stops the app, naming the plugin.
    """
    from core.plugins import get_plugins

    plugins = get_plugins(app)
    registry = SearchRegistry()
    # Through the hook runner (it logs a failing plugin, whose content is then not searchable); core first.
    for outcome in sorted(plugins.outcomes("search_sources"), key=lambda o: o.plugin_id != CORE_PLUGIN_ID):
        if outcome.error is not None:
            continue
        plugin_id, declared = outcome.plugin_id, outcome.result or []
        info = plugins.installed.get(plugin_id)
        scope = info.meta.scope if info is not None else "site"
        for source in declared:
            registry.add(source, plugin_id, scope)
    app.extensions[EXTENSION] = registry
    return registry


def get_registry(app: Flask | None = None) -> SearchRegistry:
    return (app or current_app).extensions[EXTENSION]
