"""Every error the API gives is JSON (never an HTML page), whatever the endpoint and the mistake."""
from __future__ import annotations

import re

import pytest

SAMPLE_VALUES = {"int": "999999", "string": "nobody", "path": "nothing", "default": "nobody"}


def api_calls(app):
    """(method, url) for every API route, with made-up values for the URL parameters."""
    calls = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint.startswith(("api-docs.", "api_docs_assets.")):
            continue
        url = re.sub(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>",
                     lambda m: SAMPLE_VALUES.get(m.group(1) or "default", "nobody"), rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            calls.append((method, url))
    return calls


def assert_json_error(response, what):
    assert response.status_code >= 400, what
    assert response.is_json, (what, response.status_code, response.content_type)
    assert response.json["code"] == response.status_code, what
    assert "<html" not in response.get_data(as_text=True).lower(), what


def test_anonymous_calls_to_every_endpoint_fail_as_json(app, client):
    for method, url in api_calls(app):
        response = client.open(url, method=method, data="{broken", content_type="application/json")
        if response.status_code < 400:
            continue  # public endpoints that ignore the body
        assert_json_error(response, (method, url))


def test_member_calls_with_malformed_json_fail_as_json(app, member_client):
    for method, url in api_calls(app):
        if method == "GET":
            continue
        response = member_client.open(url, method=method, data="{broken", content_type="application/json")
        if response.status_code < 400:
            continue
        assert_json_error(response, (method, url))


@pytest.mark.parametrize("method, url", [
    ("GET", "/api/v1/does-not-exist"),
    ("PUT", "/api/v1/me"),
    ("GET", "/api/v1/users/nobody"),
    ("POST", "/api/v1/auth/tokens"),
])
def test_unknown_routes_wrong_methods_and_missing_auth_are_json(client, method, url):
    assert_json_error(client.open(url, method=method), (method, url))


def test_a_crash_in_an_api_view_is_a_json_500(app, admin_client, monkeypatch):
    from core.api import users

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(users, "search_users", boom)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = admin_client.get("/api/v1/users")
    assert response.status_code == 500
    assert_json_error(response, "crash")
    assert "boom" not in response.get_data(as_text=True)


def test_the_sweep_covers_the_whole_api(app):
    calls = api_calls(app)
    assert len(calls) >= 25
    assert ("DELETE", "/api/v1/me") in calls and ("POST", "/api/v1/auth/signup") in calls
