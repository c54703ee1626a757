"""Rate-limit counters: in memory by default, shared through Redis when RATELIMIT_STORAGE_URI says so.

Two app instances stand for two gunicorn workers: the test app in this process and a second app
in a child process. Only a shared store makes the second one see the first one's requests.
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from core.testing import RATELIMIT_TEST_PREFIX as PREFIX
from core.testing import REDIS_TEST_URL as REDIS_URI

LIMIT = "2 per minute"

SECOND_WORKER = textwrap.dedent("""
    import sys
    from core import create_app
    from core.extensions import limiter

    app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1], "SECRET_KEY": "x", "TESTING": True,
                      "RATELIMIT_STORAGE_URI": sys.argv[2], "RATELIMIT_KEY_PREFIX": sys.argv[3]}, plugins=[])

    @limiter.limit(sys.argv[4])
    def limited():
        return "ok"

    app.add_url_rule("/_test/limited", "limited", limited)
    print(app.test_client().get("/_test/limited").status_code)
""")


def add_limited_route(app) -> str:
    from core.extensions import limiter

    @limiter.limit(LIMIT)
    def limited():
        return "ok"

    app.add_url_rule("/_test/limited", "limited", limited)
    return "/_test/limited"


def second_worker_status(database_url: str, storage: str) -> int:
    result = subprocess.run([sys.executable, "-c", SECOND_WORKER, database_url, storage, PREFIX, LIMIT],
                            capture_output=True, text=True, timeout=120, cwd=os.getcwd())
    assert result.returncode == 0, result.stderr
    return int(result.stdout.strip().splitlines()[-1])


def test_memory_storage_is_the_default():
    from core.config import Defaults

    assert Defaults.RATELIMIT_STORAGE_URI == "memory://"


class TestRedis:
    @pytest.fixture
    def app_config(self, redis_limits):
        return redis_limits.config

    @pytest.mark.fresh_app  # adds a route
    def test_counts_are_shared_between_app_instances(self, app, client, redis_limits, database_url):
        from core.extensions import limiter

        assert type(limiter.storage).__name__ == "RedisStorage"
        url = add_limited_route(app)
        assert [client.get(url).status_code for _ in range(2)] == [200, 200]
        assert redis_limits.keys(), "the counter should live in Redis"
        # The other worker has not served this visitor yet, but sees the two requests and refuses.
        assert second_worker_status(database_url, REDIS_URI) == 429
        assert client.get(url).status_code == 429


class TestMemory:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_STORAGE_URI": "memory://", "RATELIMIT_KEY_PREFIX": PREFIX}

    @pytest.mark.fresh_app  # adds a route
    def test_counts_in_memory_stay_in_one_process(self, app, client, database_url):
        url = add_limited_route(app)
        assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]
        assert second_worker_status(database_url, "memory://") == 200
