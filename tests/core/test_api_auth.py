"""API: sign-up, log-in/out, confirmation, password reset, tokens; JSON errors per field."""
from __future__ import annotations

import re

import pytest

from core.extensions import db
from core.models import ApiToken, User

STRONG = "river lantern orbit 42"
PASSWORD = "correct horse battery"


def body(**overrides):
    data = {"email": "ada@example.org", "username": "ada", "display_name": "Ada", "password": STRONG,
            "locale": "en", "adult": True}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def users() -> int:
    return db.session.scalar(db.select(db.func.count(User.id)))


def test_signup_creates_account_and_queues_confirmation(client, outbox):
    response = client.post("/api/v1/auth/signup", json=body(country="de"))
    assert response.status_code == 201
    assert response.json["username"] == "ada" and response.json["email_confirmed"] is False
    assert response.json["country"] == "DE"
    assert "password" not in response.json and "password_hash" not in response.json
    assert [m.to_addr for m in outbox()] == ["ada@example.org"]


def test_signup_duplicate_email_and_username_are_field_errors(client, make_user):
    make_user("ada", email="ada@example.org")
    response = client.post("/api/v1/auth/signup", json=body(email="ADA@example.org", username="Ada"))
    assert response.status_code == 422
    errors = response.json["errors"]["json"]
    assert "already exists" in errors["email"][0]
    assert "taken" in errors["username"][0]
    assert users() == 1


def test_signup_weak_password_is_a_field_error(client):
    response = client.post("/api/v1/auth/signup", json=body(password="password123"))
    assert response.status_code == 422
    assert "too common" in response.json["errors"]["json"]["password"][0]
    assert users() == 0


def test_signup_missing_fields_each_named(client):
    response = client.post("/api/v1/auth/signup", json={})
    assert response.status_code == 422
    errors = response.json["errors"]["json"]
    assert set(errors) >= {"email", "username", "display_name", "password", "adult"}
    assert errors["email"] == ["This field is required."]


def test_signup_overlong_fields_named(client):
    response = client.post("/api/v1/auth/signup", json=body(display_name="x" * 81, email="a" * 250 + "@x.org"))
    assert response.status_code == 422
    assert set(response.json["errors"]["json"]) == {"display_name", "email"}


def test_signup_without_adult_attestation_refused(client):
    response = client.post("/api/v1/auth/signup", json=body(adult=False))
    assert response.status_code == 422
    assert "18 or older" in response.json["errors"]["json"]["adult"][0]


def test_signup_unknown_field_refused(client):
    response = client.post("/api/v1/auth/signup", json=body(is_site_admin=True))
    assert response.status_code == 422
    assert "is_site_admin" in response.json["errors"]["json"]
    assert users() == 0


def test_malformed_json_is_400_naming_the_body(client):
    response = client.post("/api/v1/auth/signup", data='{"email": ', content_type="application/json")
    assert response.status_code == 400
    assert response.is_json
    assert response.json["errors"] == {"json": ["Invalid JSON body."]}


def test_json_that_is_not_an_object_is_422(client):
    response = client.post("/api/v1/auth/signup", json=["not", "an", "object"])
    assert response.status_code == 422
    assert response.is_json and "_schema" in response.json["errors"]["json"]


def test_login_starts_a_session(client, make_user):
    make_user("grace")
    response = client.post("/api/v1/auth/login", json={"login": "Grace", "password": PASSWORD})
    assert response.status_code == 200 and response.json["username"] == "grace"
    assert client.get("/api/v1/me").json["username"] == "grace"


def test_wrong_password_gets_same_message_as_unknown_account(client, make_user):
    make_user("grace")
    wrong = client.post("/api/v1/auth/login", json={"login": "grace", "password": "wrong wrong wrong"})
    unknown = client.post("/api/v1/auth/login", json={"login": "nobody", "password": "wrong wrong wrong"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json == unknown.json
    assert client.get("/api/v1/me").status_code == 401


def test_suspended_account_cannot_log_in(client, make_user):
    from core.models.base import utcnow

    make_user("grace", suspended_at=utcnow(), suspension_reason="Spam")
    response = client.post("/api/v1/auth/login", json={"login": "grace", "password": PASSWORD})
    assert response.status_code == 403
    assert "suspended" in response.json["message"] and "Spam" in response.json["message"]


def test_logout_ends_the_session(client, make_user):
    make_user("grace")
    client.post("/api/v1/auth/login", json={"login": "grace", "password": PASSWORD})
    assert client.post("/api/v1/auth/logout").status_code == 204
    assert client.get("/api/v1/me").status_code == 401


def test_confirm_email_with_token(client, outbox):
    client.post("/api/v1/auth/signup", json=body())
    token = re.search(r"/confirm/([^\s\"<]+)", outbox()[0].body_text).group(1)
    assert client.post("/api/v1/auth/confirm", json={"token": token + "x"}).status_code == 404
    response = client.post("/api/v1/auth/confirm", json={"token": token})
    assert response.status_code == 200 and response.json["email_confirmed"] is True


def test_password_reset_over_the_api(client, make_user, outbox):
    user = make_user("grace", email="grace@example.org")
    known = client.post("/api/v1/auth/password/forgot", json={"email": "grace@example.org"})
    unknown = client.post("/api/v1/auth/password/forgot", json={"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 202 and known.json == unknown.json
    token = re.search(r"/password/reset#token=([^\s\"<]+)", outbox()[0].body_text).group(1)
    weak = client.post("/api/v1/auth/password/reset", json={"token": token, "password": "short"})
    assert weak.status_code == 422 and "password" in weak.json["errors"]["json"]
    assert client.post("/api/v1/auth/password/reset", json={"token": token, "password": STRONG}).status_code == 204
    again = client.post("/api/v1/auth/password/reset", json={"token": token, "password": "another good phrase"})
    assert again.status_code == 422 and "token" in again.json["errors"]["json"]
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password(STRONG)


def test_tokens_create_list_use_and_revoke(app, member_client, member):
    created = member_client.post("/api/v1/auth/tokens", json={"name": "cli"})
    assert created.status_code == 201
    secret = created.json["token"]
    assert secret.startswith(created.json["prefix"])
    listed = member_client.get("/api/v1/auth/tokens").json
    assert [t["name"] for t in listed] == ["cli"] and "token" not in listed[0]
    stored = db.session.scalar(db.select(ApiToken))
    assert stored.token_hash == ApiToken.hash_secret(secret) and secret not in stored.token_hash

    bearer = app.test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    assert bearer.get("/api/v1/me", headers=headers).json["username"] == "member"
    assert bearer.delete(f"/api/v1/auth/tokens/{created.json['id']}", headers=headers).status_code == 204
    assert bearer.get("/api/v1/me", headers=headers).status_code == 401


def test_token_name_is_validated(member_client):
    response = member_client.post("/api/v1/auth/tokens", json={"name": "x" * 81})
    assert response.status_code == 422 and "name" in response.json["errors"]["json"]


def test_someone_elses_token_is_404(member_client, make_user):
    token, _ = ApiToken.issue(make_user("other"), "theirs")
    db.session.commit()
    assert member_client.delete(f"/api/v1/auth/tokens/{token.id}").status_code == 404
    assert db.session.scalar(db.select(db.func.count(ApiToken.id))) == 1


def test_bad_token_is_401_even_with_a_session_cookie(member_client):
    response = member_client.get("/api/v1/me", headers={"Authorization": "Bearer cg_nonsense"})
    assert response.status_code == 401 and response.is_json


def test_token_of_suspended_account_stops_working(app, member):
    from core.auth import accounts

    _token, secret = ApiToken.issue(member, "t")
    db.session.commit()
    with app.test_request_context():
        accounts.suspend(member, "x")
    db.session.commit()
    response = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 401


def test_token_endpoints_need_authentication(client):
    assert client.get("/api/v1/auth/tokens").status_code == 401
    assert client.post("/api/v1/auth/tokens", json={"name": "x"}).status_code == 401


class TestRateLimits:
    """Low limits so a few calls reach them."""

    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_LOGIN": "3 per minute", "RATELIMIT_SIGNUP": "2 per minute",
                "RATELIMIT_PASSWORD_RESET": "2 per minute"}

    def test_api_login_is_rate_limited_with_json_429(self, client):
        for _ in range(3):
            client.post("/api/v1/auth/login", json={"login": "x", "password": "y"})
        response = client.post("/api/v1/auth/login", json={"login": "x", "password": "y"})
        assert response.status_code == 429 and response.is_json
        assert response.json["code"] == 429

    def test_api_signup_is_rate_limited(self, client):
        for i in range(2):
            client.post("/api/v1/auth/signup", json=body(username=f"u{i}x", email=f"u{i}@example.org"))
        assert client.post("/api/v1/auth/signup", json=body()).status_code == 429
        assert users() == 2

    def test_api_password_reset_is_rate_limited(self, client):
        for _ in range(2):
            client.post("/api/v1/auth/password/forgot", json={"email": "a@example.org"})
        assert client.post("/api/v1/auth/password/forgot", json={"email": "a@example.org"}).status_code == 429

    def test_web_signup_is_rate_limited(self, client):
        for i in range(2):
            client.post("/signup", data={"email": f"w{i}@example.org"})
        response = client.post("/signup", data={"email": "w9@example.org"})
        assert response.status_code == 429 and "text/html" in response.content_type
