"""The API behaves as its OpenAPI document says, and says what a client needs to know.

- An operation marked public (``security: []``, or ``{}`` among the alternatives) answers an
  anonymous caller; one that needs authentication answers 401 — for writes too, where an
  anonymous call used to meet the CSRF check first and get 400 "CSRF token missing".
- 405 names the methods that are allowed (``Allow``), as HTTP requires.
- ``PATCH /me`` needs a body with something to change.
"""
from __future__ import annotations

import re

import pytest

from core.api.access import AUTHENTICATION_REQUIRED

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


@pytest.fixture
def scene(make_user, make_group, make_post, make_comment):
    owner = make_user("owner")
    group = make_group(owner=owner, slug="allotment")
    post = make_post(group, owner)
    comment = make_comment(post, owner)
    return {"slug": group.slug, "post_id": post.id, "comment_id": comment.id, "username": owner.username,
            "request_id": 1, "invitation_id": 1, "token_id": 1, "notification_id": 1, "decision": "approve",
            "plugin_id": "none", "session_id": 1, "kind": "like", "image_id": 1}


def operations(spec: dict):
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method in item:
                yield method.upper(), path, item[method].get("security", spec["security"])


def anonymous_allowed(security: list) -> bool:
    return security == [] or {} in security


def fill(path: str, scene: dict) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(scene[m.group(1)]), path)


def test_every_read_is_public_exactly_when_the_document_says_so(client, scene):
    spec = client.get("/api/v1/openapi.json").json
    reads = [(path, security) for method, path, security in operations(spec) if method == "GET"]
    assert len(reads) > 10
    for path, security in reads:
        status = client.get(fill(path, scene)).status_code
        assert (status != 401) == anonymous_allowed(security), (path, status, security)


def test_public_reads_are_documented_as_not_needing_authentication(client):
    spec = client.get("/api/v1/openapi.json").json
    for path in ("/api/v1/groups", "/api/v1/groups/{slug}", "/api/v1/groups/{slug}/posts",
                 "/api/v1/posts/{post_id}", "/api/v1/posts/{post_id}/comments", "/api/v1/groups/{slug}/members"):
        assert anonymous_allowed(spec["paths"][path]["get"]["security"]), path


def test_an_anonymous_write_that_needs_authentication_is_401_not_a_csrf_error(client, scene):
    spec = client.get("/api/v1/openapi.json").json
    writes = [(method, path) for method, path, security in operations(spec)
              if method != "GET" and not anonymous_allowed(security)]
    assert len(writes) > 15
    for method, path in writes:
        response = client.open(fill(path, scene), method=method, json={})
        assert response.status_code == 401, (method, path, response.json)
        assert response.json["message"] == AUTHENTICATION_REQUIRED


def test_public_writes_still_need_the_csrf_token_with_a_session_cookie(client, member):
    response = client.post("/api/v1/auth/login", json={"login": "member", "password": "correct horse battery"})
    assert response.status_code == 400 and "csrf_token" in response.json["errors"]


def test_a_logged_in_write_without_the_csrf_token_is_still_refused(member_client):
    response = member_client.patch("/api/v1/me", json={"bio": "forged"})
    assert response.status_code == 400 and "csrf_token" in response.json["errors"]


@pytest.mark.parametrize("method, url, allowed", [
    ("PUT", "/api/v1/me", {"GET", "PATCH", "DELETE"}),
    ("DELETE", "/api/v1/groups", {"GET", "POST"}),
    ("PUT", "/login", {"GET", "POST"}),
])
def test_405_names_the_allowed_methods(client, method, url, allowed):
    response = client.open(url, method=method)
    assert response.status_code == 405
    assert allowed <= {m.strip() for m in response.headers["Allow"].split(",")}


class TestPluginOperations:
    """A plugin's API follows the same contract: undeclared means authentication required."""

    @pytest.fixture
    def app_plugins(self):
        return ["plugins.reporting"]

    def test_an_anonymous_write_to_a_plugins_operation_is_401(self, client, enable_plugin, scene):
        enable_plugin("reporting")
        spec = client.get("/api/v1/openapi.json").json
        writes = [(method, path) for method, path, security in operations(spec)
                  if method != "GET" and path.startswith(("/api/v1/reports", "/api/v1/blocks"))
                  and not anonymous_allowed(security)]
        assert writes
        for method, path in writes:
            response = client.open(fill(path, scene), method=method, json={})
            assert response.status_code == 401, (method, path, response.json)


class TestPatchMe:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": False}

    MESSAGE = ("The request body is required: a JSON object with at least one of: display_name, bio, locale, "
               "country, profile_visibility.")

    @pytest.mark.parametrize("body", [{}, {"json": {}}, {"data": "", "content_type": "application/json"},
                                      {"data": "bio=form", "content_type": "application/x-www-form-urlencoded"}])
    def test_patch_me_without_a_body_is_422_naming_it(self, member_client, member, body):
        response = member_client.patch("/api/v1/me", **body)
        assert response.status_code == 422
        assert response.json["errors"] == {"json": {"_schema": [self.MESSAGE]}}

    def test_patch_me_with_one_field_changes_only_that_field(self, member_client, member):
        member_client.patch("/api/v1/me", json={"bio": "Gardener"})
        response = member_client.patch("/api/v1/me", json={"display_name": "Mem"})
        assert response.status_code == 200
        assert (response.json["display_name"], response.json["bio"]) == ("Mem", "Gardener")

    def test_the_document_says_the_body_is_required(self, client):
        spec = client.get("/api/v1/openapi.json").json
        assert spec["paths"]["/api/v1/me"]["patch"]["requestBody"]["required"] is True
