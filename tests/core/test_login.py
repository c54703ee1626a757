"""Log-in, log-out, remember me, suspension, safe redirects and rate limits on the web pages."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from core.models.base import utcnow

PASSWORD = "correct horse battery"


def error_text(response) -> str:
    html = response.get_data(as_text=True)
    match = re.search(r'<div class="form-errors" role="alert">(.*?)</div>', html, re.S)
    return match.group(1).strip() if match else ""


def logged_in_as(client) -> str | None:
    html = client.get("/").get_data(as_text=True)
    match = re.search(r'href="/u/([a-z0-9_]+)"', html)
    return match.group(1) if match else None


def test_login_with_username_or_email_case_insensitively(app, make_user):
    make_user("grace", email="grace@example.org")
    for login in ("grace", "GRACE", "grace@example.org", "Grace@Example.org"):
        client = app.test_client()
        response = client.post("/login", data={"login": login, "password": PASSWORD})
        assert response.status_code == 302, login
        assert logged_in_as(client) == "grace"


def test_wrong_password_gets_same_message_as_unknown_account(client, make_user):
    make_user("grace")
    wrong_password = client.post("/login", data={"login": "grace", "password": "nope nope nope"})
    unknown_user = client.post("/login", data={"login": "nobody", "password": "nope nope nope"})
    unknown_email = client.post("/login", data={"login": "nobody@example.org", "password": "nope nope nope"})
    assert wrong_password.status_code == unknown_user.status_code == unknown_email.status_code == 422
    assert error_text(wrong_password) == error_text(unknown_user) == error_text(unknown_email)
    assert "wrong" in error_text(wrong_password)
    assert logged_in_as(client) is None


def test_failed_login_keeps_the_login_but_not_the_password(client, make_user):
    make_user("grace")
    html = client.post("/login", data={"login": "grace", "password": "nope nope nope"}).get_data(as_text=True)
    assert 'value="grace"' in html
    assert "nope nope nope" not in html


def test_missing_and_overlong_login_fields_are_reported(client):
    response = client.post("/login", data={"login": "x" * 300})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(r'id="login-error".*at most 254', html, re.S)
    assert re.search(r'id="password-error".*required', html, re.S)


def test_suspended_account_cannot_log_in_and_is_told_until_when(client, make_user):
    until = utcnow() + timedelta(days=3)
    make_user("grace", suspended_at=utcnow(), suspended_until=until, suspension_reason="Spam links")
    response = client.post("/login", data={"login": "grace", "password": PASSWORD})
    assert response.status_code == 422
    message = error_text(response)
    assert "suspended until" in message and str(until.year) in message and "Spam links" in message
    assert logged_in_as(client) is None


def test_suspension_is_not_revealed_without_the_right_password(client, make_user):
    make_user("grace", suspended_at=utcnow(), suspension_reason="Spam links")
    response = client.post("/login", data={"login": "grace", "password": "wrong password here"})
    assert "suspended" not in error_text(response)


def test_expired_suspension_no_longer_blocks_login(client, make_user):
    make_user("grace", suspended_at=utcnow() - timedelta(days=5), suspended_until=utcnow() - timedelta(days=1))
    assert client.post("/login", data={"login": "grace", "password": PASSWORD}).status_code == 302


def test_unconfirmed_account_can_log_in_and_is_reminded(client, make_user):
    make_user("grace", email_confirmed_at=None)
    response = client.post("/login", data={"login": "grace", "password": PASSWORD}, follow_redirects=True)
    assert "Please confirm your email address" in response.get_data(as_text=True)


def test_login_follows_a_safe_next_path(client, make_user):
    make_user("grace")
    response = client.post("/login", data={"login": "grace", "password": PASSWORD, "next": "/settings/profile?x=1"})
    assert response.headers["Location"] == "/settings/profile?x=1"


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", "http:/evil",
])
def test_login_never_redirects_off_site(app, make_user, target):
    make_user("grace")
    client = app.test_client()
    response = client.post("/login", data={"login": "grace", "password": PASSWORD, "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_a_nul_character_in_next_refuses_the_request_without_logging_in(app, make_user):
    make_user("grace")
    client = app.test_client()
    response = client.post("/login", data={"login": "grace", "password": PASSWORD, "next": "/\x00/evil"})
    assert response.status_code == 400
    assert client.get("/settings/profile").status_code == 302


def test_protected_page_sends_to_login_and_back(client, make_user):
    make_user("grace")
    response = client.get("/settings/profile")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    login_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'name="next" value="/settings/profile"' in login_page
    back = client.post("/login", data={"login": "grace", "password": PASSWORD, "next": "/settings/profile"})
    assert back.headers["Location"] == "/settings/profile"


def test_remember_me_sets_a_persistent_cookie(app, make_user):
    make_user("grace")
    client = app.test_client()
    client.post("/login", data={"login": "grace", "password": PASSWORD, "remember": "on"})
    assert client.get_cookie("remember_token") is not None
    other = app.test_client()
    other.post("/login", data={"login": "grace", "password": PASSWORD})
    assert other.get_cookie("remember_token") is None


def test_logout_is_a_post_and_ends_the_session(client, make_user):
    make_user("grace")
    client.post("/login", data={"login": "grace", "password": PASSWORD})
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 302
    assert logged_in_as(client) is None


def test_suspending_ends_existing_sessions(app, client, make_user, login):
    from core.auth import accounts
    from core.extensions import db

    user = make_user("grace")
    login(client, user)
    assert logged_in_as(client) == "grace"
    accounts.suspend(user, "Spam")
    db.session.commit()
    assert logged_in_as(client) is None


@pytest.fixture
def app_config():
    return {"RATELIMIT_LOGIN": "5 per minute"}


def test_login_is_rate_limited_with_a_429_page(client, make_user):
    make_user("grace")
    for _ in range(5):
        assert client.post("/login", data={"login": "grace", "password": "wrong wrong wrong"}).status_code == 422
    response = client.post("/login", data={"login": "grace", "password": PASSWORD})
    assert response.status_code == 429
    assert "text/html" in response.content_type
    assert "Too many requests" in response.get_data(as_text=True)


def test_viewing_the_login_form_does_not_count_against_the_limit(client):
    for _ in range(8):
        assert client.get("/login").status_code == 200
