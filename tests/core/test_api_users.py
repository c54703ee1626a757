"""API: /me (read, edit, password, export, delete), profiles, and user administration."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.extensions import db
from core.models import ApiToken, User

PASSWORD = "correct horse battery"
NEW = "velvet compass morning"


def reload(user) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


@pytest.fixture
def token_client(app, member):
    """A client authenticated with a personal API token (no cookie, no CSRF token)."""
    _token, secret = ApiToken.issue(member, "tests")
    db.session.commit()
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return client


def test_me_needs_authentication(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401 and response.is_json


def test_me_returns_own_account(token_client, member):
    data = token_client.get("/api/v1/me").json
    assert data["username"] == "member" and data["email"] == member.email and data["email_confirmed"] is True
    assert "password_hash" not in data


def test_patch_me_changes_only_given_fields(token_client, member):
    response = token_client.patch("/api/v1/me", json={"bio": "Hi!", "country": "at"})
    assert response.status_code == 200
    user = reload(member)
    assert (user.bio, user.country, user.display_name) == ("Hi!", "AT", "Member")


def test_patch_me_reports_each_bad_field(token_client, member):
    response = token_client.patch("/api/v1/me", json={"bio": "x" * 1001, "display_name": "", "locale": "fr"})
    assert response.status_code == 422
    assert set(response.json["errors"]["json"]) == {"bio", "display_name", "locale"}
    assert reload(member).bio == ""


def test_change_password_over_the_api(token_client, member):
    wrong = token_client.post("/api/v1/me/password", json={"current_password": "nope", "new_password": NEW})
    assert wrong.status_code == 422 and "current_password" in wrong.json["errors"]["json"]
    weak = token_client.post("/api/v1/me/password", json={"current_password": PASSWORD, "new_password": "short"})
    assert weak.status_code == 422 and "new_password" in weak.json["errors"]["json"]
    ok = token_client.post("/api/v1/me/password", json={"current_password": PASSWORD, "new_password": NEW})
    assert ok.status_code == 204
    assert reload(member).check_password(NEW)


def test_export_me_returns_the_data(token_client):
    response = token_client.get("/api/v1/me/export")
    assert response.status_code == 200
    assert response.json["account"]["username"] == "member" and "plugins" in response.json


def test_delete_me_needs_the_password(token_client, member):
    response = token_client.delete("/api/v1/me", json={"password": "wrong"})
    assert response.status_code == 422 and "password" in response.json["errors"]["json"]
    missing = token_client.delete("/api/v1/me", json={})
    assert missing.status_code == 422 and "password" in missing.json["errors"]["json"]
    assert reload(member) is not None


def test_delete_me_refuses_last_owner_with_409(token_client, member, make_user, make_group):
    make_group(owner=member, slug="mine", members=(make_user("other"),))
    response = token_client.delete("/api/v1/me", json={"password": PASSWORD})
    assert response.status_code == 409
    assert response.json["errors"] == {"groups": ["mine"]}
    assert reload(member) is not None


def test_delete_me_erases_the_account(token_client, member):
    member_id = member.id
    assert token_client.delete("/api/v1/me", json={"password": PASSWORD}).status_code == 204
    db.session.expire_all()
    assert db.session.get(User, member_id) is None
    assert token_client.get("/api/v1/me").status_code == 401


def test_public_profile(client, make_user):
    make_user("ada", display_name="Ada", bio="Engines", email="ada@secret.example")
    data = client.get("/api/v1/users/ADA").json
    assert data == {"username": "ada", "display_name": "Ada", "bio": "Engines", "created_at": data["created_at"],
                    "restricted": False, "groups": [], "groups_in_common": []}


def test_unknown_profile_is_404_json(client):
    response = client.get("/api/v1/users/nobody")
    assert response.status_code == 404 and response.is_json


def test_user_search_is_404_for_non_admins(client, token_client):
    assert client.get("/api/v1/users?q=a").status_code in (401, 404)
    assert token_client.get("/api/v1/users?q=a").status_code == 404


def test_user_search_for_admins_with_keyset_pages(app, admin_client, make_user):
    app.config["PAGE_SIZE"] = 2
    for name in ("anna", "andy", "bert", "anton"):
        make_user(name)
    first = admin_client.get("/api/v1/users?q=an").json
    assert [u["username"] for u in first["items"]] == ["anton", "andy"]
    second = admin_client.get(f"/api/v1/users?q=an&after={first['next_after']}").json
    assert [u["username"] for u in second["items"]] == ["anna"] and second["next_after"] is None
    assert "email" in first["items"][0] and "is_suspended" in first["items"][0]


def test_user_search_rejects_bad_cursor(admin_client):
    response = admin_client.get("/api/v1/users?after=abc")
    assert response.status_code == 422 and "after" in response.json["errors"]["query"]


def test_admin_suspends_and_unsuspends_over_the_api(admin_client, make_user):
    target = make_user("target")
    until = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()
    response = admin_client.post("/api/v1/users/target/suspend", json={"reason": "Spam", "until": until})
    assert response.status_code == 200
    assert response.json["is_suspended"] is True and response.json["suspension_reason"] == "Spam"
    assert reload(target).is_suspended
    response = admin_client.post("/api/v1/users/target/unsuspend")
    assert response.status_code == 200 and response.json["is_suspended"] is False


def test_suspend_input_is_validated(admin_client, make_user):
    make_user("target")
    response = admin_client.post("/api/v1/users/target/suspend", json={"until": "yesterday"})
    assert response.status_code == 422
    assert set(response.json["errors"]["json"]) == {"reason", "until"}


def test_suspend_is_404_for_non_admins_and_unknown_users(token_client, admin_client, make_user):
    target = make_user("target")
    assert token_client.post("/api/v1/users/target/suspend", json={"reason": "x"}).status_code == 404
    assert token_client.post("/api/v1/users/target/unsuspend").status_code == 404
    assert admin_client.post("/api/v1/users/nobody/suspend", json={"reason": "x"}).status_code == 404
    assert reload(target).suspended_at is None


def test_admin_cannot_suspend_themselves_over_the_api(admin_client, site_admin):
    response = admin_client.post("/api/v1/users/siteadmin/suspend", json={"reason": "x"})
    assert response.status_code == 409
    assert reload(site_admin).suspended_at is None


def test_every_users_endpoint_is_documented_with_a_response_schema(client):
    spec = client.get("/api/v1/openapi.json").json
    expected = {
        ("/api/v1/me", "get"), ("/api/v1/me", "patch"), ("/api/v1/me", "delete"), ("/api/v1/me/export", "get"),
        ("/api/v1/me/password", "post"), ("/api/v1/users", "get"), ("/api/v1/users/{username}", "get"),
        ("/api/v1/users/{username}/suspend", "post"), ("/api/v1/users/{username}/unsuspend", "post"),
        ("/api/v1/auth/signup", "post"), ("/api/v1/auth/login", "post"), ("/api/v1/auth/logout", "post"),
        ("/api/v1/auth/tokens", "get"), ("/api/v1/auth/tokens", "post"), ("/api/v1/auth/tokens/{token_id}", "delete"),
        ("/api/v1/auth/password/forgot", "post"), ("/api/v1/auth/password/reset", "post"),
        ("/api/v1/auth/confirm", "post"), ("/api/v1/auth/csrf", "get"),
    }
    for path, method in expected:
        operation = spec["paths"][path][method]
        responses = operation["responses"]
        success = [code for code in responses if code.startswith("2")]
        assert success, (path, method)
        for code in success:
            if code != "204":
                assert "schema" in responses[code]["content"]["application/json"], (path, method, code)
        assert "default" in responses or any(code.startswith("4") for code in responses), (path, method)
    signup = spec["paths"]["/api/v1/auth/signup"]["post"]
    assert "422" in signup["responses"] and "requestBody" in signup
