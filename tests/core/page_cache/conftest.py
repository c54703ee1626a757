"""Two app instances on one database (and, in the Redis variant, one Redis): A writes, B reads.

Every test runs twice: with the versions in the database, and in Redis
(``COMMONGROUND_TEST_REDIS_URL``) — ``core.testing``'s ``page_cache_store``. Writes go through
app A (``app``) — its pages, or the ORM in its context as a job or command would — and B's
(``second_app``) next page must show them.
"""
from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def app_plugins() -> list[str]:
    return ["plugins.reporting", "plugins.resources"]


@pytest.fixture
def app_config(page_cache_config: dict[str, Any]) -> dict[str, Any]:
    return page_cache_config


@pytest.fixture
def club(make_user, make_group, make_post):
    """Group "club": owner, members "viewer" and "author", and one post by the author."""
    owner, viewer, author = make_user("owner"), make_user("viewer"), make_user("author")
    group = make_group(owner=owner, slug="club", members=[viewer, author])
    make_post(group, author, "Author's words")
    return group


@pytest.fixture
def viewer(club):
    """The club's member who reads the cached pages."""
    from core.extensions import db
    from core.models import User

    return db.session.scalar(db.select(User).where(User.username == "viewer"))
