"""The page cache: logged-in group pages and the member's home page served from memory until
something they show changes.

- ``versions``: one token per scope (site, group, person) in a store every worker and host
  shares — Redis when configured, else the database;
- ``scopes``: which scopes a write touches, found from what the ORM flushed, plus ``touch_*``
  for what a plugin shows without a row of its own;
- ``pages``: the rendered pages, per worker, keyed by the versions they were rendered at (a
  group's page: the site's, the group's, the viewer's; the home page: the site's, the viewer's
  and each of the viewer's groups').

- ``front``: the front door, a WSGI layer that answers a hit before Flask's request machinery
  runs (one query), when it can answer exactly as Flask would; everything else goes to Flask.

Settings: ``PAGE_CACHE_URL`` (``redis://…`` or ``database``; unset follows ``JOBS_URL``),
``PAGE_CACHE_BYTES`` (per worker, 0 switches the cache off), ``PAGE_CACHE_SECONDS`` (the longest
a page is kept, for what changes with time alone), ``PAGE_CACHE_FRONT_DOOR`` (default on; off:
every hit goes through Flask).
"""
from __future__ import annotations

from typing import Any

from flask import Flask, current_app, has_app_context

from core.page_cache import front, scopes
from core.page_cache.pages import (
    DEFAULT_BYTES,
    DEFAULT_SECONDS,
    LIMIT_FREE_ENDPOINTS,
    PageCache,
    group_page,
    home_page,
    note_group,
    record_shown_groups,
    remember_versions,
    user_query_columns,
    user_query_parameters,
)
from core.page_cache.scopes import EXTENSION
from core.page_cache.versions import SITE, build_store, group_key, user_key

__all__ = ["group_page", "home_page", "init_app", "note_group", "remember_versions", "touch_group", "touch_site",
           "touch_user", "user_query_columns", "user_query_parameters"]


def init_app(app: Flask) -> None:
    versions = build_store(app.config.get("PAGE_CACHE_URL"), app.config.get("JOBS_URL"),
                           app.config.get("JOBS_NAME", "commonground"))
    app.extensions[EXTENSION] = PageCache(versions, int(app.config.get("PAGE_CACHE_BYTES", DEFAULT_BYTES) or 0),
                                          int(app.config.get("PAGE_CACHE_SECONDS", DEFAULT_SECONDS) or 0))
    scopes.install()
    record_shown_groups()
    front.install(app)
    _skip_limiter_on_pages()


_filter_installed = False


def _skip_limiter_on_pages() -> None:
    """Flask-Limiter checks every request for limits to count; the cached pages (``groups.group``,
    ``groups.post``, ``web.index``) have none of their own, so unless the site configures default or
    application-wide limits, a GET of one is exempted through its ``request_filter`` and skips
    that bookkeeping (about 7 % of a cached page). Once per process: the limiter is one object."""
    global _filter_installed
    if _filter_installed:
        return
    _filter_installed = True
    from flask import request

    from core.extensions import limiter

    @limiter.request_filter
    def _cached_page_without_limits() -> bool:
        config = current_app.config
        return (request.method in ("GET", "HEAD") and request.endpoint in LIMIT_FREE_ENDPOINTS
                and not config.get("RATELIMIT_DEFAULT") and not config.get("RATELIMIT_APPLICATION"))


def _touch(key: str) -> None:
    from core.extensions import db

    if not has_app_context() or EXTENSION not in current_app.extensions:
        return
    scopes.replace({key})
    session = db.session()
    if scopes.writing(session):
        # Again when this transaction's writes commit: a page rendered between now and the
        # commit would otherwise be kept under the new version with the old data.
        scopes.pending(session).add(key)


def touch_group(group: Any) -> None:
    """Pages of ``group`` (a group or its id) change. Writes through the ORM are found by
    themselves (``page_cache_group_key``); call this for what a plugin shows from elsewhere — its
    own memory, Redis, another service — at once (and again after the commit, if the session
    has written)."""
    _touch(group_key(getattr(group, "id", group)))


def touch_user(user: Any) -> None:
    """Pages as ``user`` (a person or their id) sees them change (a badge, a marker only they see)."""
    _touch(user_key(getattr(user, "id", user)))


def touch_site() -> None:
    """Every cached page changes."""
    _touch(SITE)
