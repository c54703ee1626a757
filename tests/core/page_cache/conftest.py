"""Two app instances on one database (and, in the Redis variant, one Redis): A writes, B reads.

Every test runs twice: with the versions in the database, and in Redis
(``COMMONGROUND_TEST_REDIS_URL``). Writes go through app A — its pages, or the ORM in its
context as a job or command would — and B's next page must show them.
"""
from __future__ import annotations

import uuid
from typing import Any

import pytest

RUN = f"cg-test-pc-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def app_plugins() -> list[str]:
    return ["plugins.reporting", "plugins.resources"]


@pytest.fixture(params=["database", "redis"])
def store(request) -> str:
    return request.param


@pytest.fixture
def app_config(request, store) -> dict[str, Any]:
    if store == "database":
        return {"PAGE_CACHE_URL": "database"}
    return {"PAGE_CACHE_URL": request.getfixturevalue("redis_url"), "JOBS_NAME": RUN}


@pytest.fixture(autouse=True)
def _forget_redis_versions(store, request):
    url = request.getfixturevalue("redis_url") if store == "redis" else None
    yield
    if url is not None:
        import redis

        client = redis.Redis.from_url(url)
        for key in client.scan_iter(f"cg:{RUN}:pv:*"):
            client.delete(key)
        client.close()


@pytest.fixture
def app_b(make_app):
    """The reading instance: another worker (or host) with its own page cache."""
    return make_app(reuse=True)


@pytest.fixture
def pages():
    """``pages(app)``: that app's page cache (hits, misses)."""
    from core.page_cache.pages import PageCache

    def get(app: Any) -> PageCache:
        return app.extensions["commonground.page_cache"]

    return get
