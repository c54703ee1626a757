"""Bodies too deep or too large are refused up front, naming the problem, never with a 500.

A thousand ``[`` once reached the JSON decoder and the input checks, both of which recurse, and
ended in a ``RecursionError`` with a traceback in the log; a 100 MB body was read and parsed.
"""
from __future__ import annotations

import pytest

from core.input_hygiene import nesting_depth, unstorable

TOO_DEEP = "The JSON body is nested too deeply: use at most 32 levels of arrays and objects."


@pytest.fixture
def app_config():
    return {"PROPAGATE_EXCEPTIONS": False}  # a crash becomes the 500 a visitor would get


@pytest.mark.parametrize("body", ["[" * 1000, "[" * 100_000, "[" * 500 + "]" * 500, '{"a":' * 40 + "1" + "}" * 40])
def test_deeply_nested_json_is_a_400_naming_the_problem(client, body):
    response = client.post("/api/v1/auth/login", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json["message"] == TOO_DEEP
    assert response.json["errors"] == {"json": {"_schema": [TOO_DEEP]}}


def test_nesting_within_the_limit_reaches_the_schema(client):
    body = '{"login": "someone", "password": "x", "extra": ' + "[" * 30 + "]" * 30 + "}"
    response = client.post("/api/v1/auth/login", data=body, content_type="application/json")
    assert response.status_code == 422
    assert "extra" in response.json["errors"]["json"]


def test_deep_json_sent_to_a_page_is_a_400_page(client):
    response = client.post("/login", data="[" * 1000, content_type="application/json")
    assert response.status_code == 400
    assert "text/html" in response.content_type


def test_the_input_checks_walk_any_depth_without_recursing():
    deep: list = ["no\x00pe"]
    for _ in range(10_000):
        deep = [deep]
    assert [path for path, _message in unstorable(deep)] == [(0,) * 10_000 + (0,)]
    assert nesting_depth(deep, stop_after=32) == 33


def test_the_depth_limit_is_configurable(make_app):
    other = make_app(MAX_JSON_DEPTH=3)
    body = '{"login": "a", "password": "b", "x": [[1]]}'  # three levels
    assert other.test_client().post("/api/v1/auth/login", data=body, content_type="application/json").status_code == 422
    deeper = '{"login": "a", "password": "b", "x": [[[1]]]}'
    response = other.test_client().post("/api/v1/auth/login", data=deeper, content_type="application/json")
    assert response.status_code == 400 and "at most 3 levels" in response.json["message"]


class Endless:
    """A request body that never ends; counts what the app reads of it."""

    def __init__(self) -> None:
        self.read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        size = 65536 if size is None or size < 0 else size
        self.read_bytes += size
        return b"[" * size

    readline = read


def send_huge(client, path: str, content_type: str):
    body = Endless()
    response = client.post(path, content_type=content_type, environ_overrides={
        "wsgi.input": body, "CONTENT_LENGTH": str(100 * 1024 * 1024)})
    return response, body


def test_a_100_mb_api_body_is_a_413_in_json_and_is_not_read(client):
    response, body = send_huge(client, "/api/v1/auth/login", "application/json")
    assert response.status_code == 413
    assert response.json["message"] == "The request is too large: at most 2 MB are accepted."
    assert body.read_bytes == 0


def test_a_100_mb_form_is_a_413_page_and_is_not_read(client):
    response, body = send_huge(client, "/login", "application/x-www-form-urlencoded")
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "text/html" in response.content_type and "at most 2 MB are accepted" in page
    assert body.read_bytes == 0


def test_the_size_limit_is_configurable(make_app):
    other = make_app(MAX_CONTENT_LENGTH=1024)
    response = other.test_client().post("/api/v1/auth/login", json={"login": "x" * 2000, "password": "y"})
    assert response.status_code == 413
    assert response.json["message"] == "The request is too large: at most 1 KB are accepted."
