"""One allowance per action, whether it is used through the page or through the API.

The log-in page and ``POST /api/v1/auth/login`` each had their own allowance, so a guesser got
both; the same for sign-up and password reset. Now they draw on one, counted in memory and in
a real Redis alike.
"""
from __future__ import annotations

import pytest

LIMIT = "3 per minute"
LIMITS = {"RATELIMIT_LOGIN": LIMIT, "RATELIMIT_SIGNUP": LIMIT, "RATELIMIT_PASSWORD_RESET": LIMIT}

LOGIN = [("/login", "form", {"login": "nobody", "password": "wrong"}),
         ("/api/v1/auth/login", "json", {"login": "nobody", "password": "wrong"})]
SIGNUP = [("/signup", "form", {"email": "bad"}),
          ("/api/v1/auth/signup", "json", {"email": "bad"})]
PASSWORD_RESET = [("/password/forgot", "form", {"email": "someone@example.org"}),
                  ("/api/v1/auth/password/forgot", "json", {"email": "someone@example.org"}),
                  ("/password/reset", "form", {"token": "x", "password": "p"}),
                  ("/api/v1/auth/password/reset", "json", {"token": "x", "password": "p"})]


def send(client, url: str, kind: str, body: dict):
    if kind == "json":
        return client.post(url, json=body)
    return client.post(url, data=body)


def statuses(client, routes, times: int) -> list[int]:
    return [send(client, *routes[i % len(routes)]).status_code for i in range(times)]


def assert_one_allowance(client, routes) -> None:
    """Three tries spread over the routes use the allowance up; then every route refuses."""
    assert 429 not in statuses(client, routes, 3)
    for route in routes:
        assert send(client, *route).status_code == 429, route[0]


class Scenarios:
    def test_log_in_page_and_api_share_one_allowance(self, client):
        assert_one_allowance(client, LOGIN)

    def test_sign_up_page_and_api_share_one_allowance(self, client):
        assert_one_allowance(client, SIGNUP)

    def test_password_reset_pages_and_api_share_one_allowance(self, client):
        assert_one_allowance(client, PASSWORD_RESET)

    def test_actions_do_not_draw_on_each_other(self, client):
        assert_one_allowance(client, LOGIN)
        assert 429 not in statuses(client, SIGNUP, 3)


class TestInMemory(Scenarios):
    @pytest.fixture
    def app_config(self):
        return LIMITS


class TestInRedis(Scenarios):
    @pytest.fixture
    def app_config(self, redis_limits):
        return {**LIMITS, **redis_limits.config}

    def test_the_shared_counter_lives_in_redis(self, client, redis_limits):
        statuses(client, LOGIN, 2)
        assert any("/login/" in key for key in redis_limits.keys())
