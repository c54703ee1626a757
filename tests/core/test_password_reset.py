"""Forgotten password by email, and changing the password while logged in."""
from __future__ import annotations

import re

import pytest

from core.extensions import db
from core.models import User

OLD = "correct horse battery"
NEW = "velvet compass morning"


def reset_link(message) -> str:
    return re.search(r"http://localhost(/password/reset/[^\s\"<]+)", message.body_text).group(1)


def reload(user) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def test_forgot_password_answers_the_same_whether_or_not_the_account_exists(client, make_user, outbox):
    make_user("grace", email="grace@example.org")
    known = client.post("/password/forgot", data={"email": "grace@example.org"})
    unknown = client.post("/password/forgot", data={"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200

    def main(response):
        html = response.get_data(as_text=True)
        return re.sub(r'value="[^"]*"', "", html[html.index("<main"):html.index("</main>")])

    assert main(known) == main(unknown)
    assert [m.to_addr for m in outbox()] == ["grace@example.org"]


def test_forgot_password_validates_the_address(client, outbox):
    response = client.post("/password/forgot", data={"email": "nope"})
    assert response.status_code == 422
    assert 'id="email-error"' in response.get_data(as_text=True)
    assert outbox() == []


def test_reset_link_sets_a_new_password_and_ends_sessions(app, client, make_user, outbox, login):
    user = make_user("grace", email="grace@example.org")
    other_device = login(app.test_client(), user)
    client.post("/password/forgot", data={"email": "grace@example.org"})
    link = reset_link(outbox()[0])
    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": NEW, "password_confirm": NEW})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    user = reload(user)
    assert user.check_password(NEW) and not user.check_password(OLD)
    assert other_device.get("/settings/profile").status_code == 302  # logged out there
    assert "password was changed" in outbox()[-1].subject


def test_reset_link_works_only_once(client, make_user, outbox):
    make_user("grace", email="grace@example.org")
    client.post("/password/forgot", data={"email": "grace@example.org"})
    link = reset_link(outbox()[0])
    client.post(link, data={"password": NEW, "password_confirm": NEW})
    other = "another fine passphrase"
    again = client.post(link, data={"password": other, "password_confirm": other})
    assert again.status_code == 404
    assert client.get(link).status_code == 404


def test_expired_reset_link_is_refused(client, make_user, outbox, monkeypatch):
    from core.auth import tokens

    user = make_user("grace", email="grace@example.org")
    client.post("/password/forgot", data={"email": "grace@example.org"})
    link = reset_link(outbox()[0])
    monkeypatch.setattr(tokens, "RESET_MAX_AGE", -1)
    response = client.post(link, data={"password": NEW, "password_confirm": NEW})
    assert response.status_code == 404
    assert reload(user).check_password(OLD)


def test_reset_confirms_an_unconfirmed_address(client, make_user, outbox):
    user = make_user("grace", email="grace@example.org", email_confirmed_at=None)
    client.post("/password/forgot", data={"email": "grace@example.org"})
    client.post(reset_link(outbox()[0]), data={"password": NEW, "password_confirm": NEW})
    assert reload(user).email_confirmed


@pytest.mark.parametrize("password, confirm, field, fragment", [
    ("short", "short", "password", "at least 10"),
    ("grace and more words", "grace and more words", "password", "username"),
    (NEW, NEW + "x", "password_confirm", "match"),
    ("", "", "password", "required"),
])
def test_reset_rejects_weak_or_mismatched_passwords(client, make_user, outbox, password, confirm, field, fragment):
    user = make_user("grace", email="grace@example.org")
    client.post("/password/forgot", data={"email": "grace@example.org"})
    response = client.post(reset_link(outbox()[0]), data={"password": password, "password_confirm": confirm})
    assert response.status_code == 422
    assert re.search(rf'id="{field}-error".*{fragment}', response.get_data(as_text=True), re.S)
    assert reload(user).check_password(OLD)


def test_tampered_reset_token_is_refused(client):
    assert client.get("/password/reset/garbage").status_code == 404
    assert client.post("/password/reset/garbage", data={"password": NEW}).status_code == 404


def test_change_password_needs_the_current_one(member_client, member):
    response = member_client.post("/settings/password", data={
        "current_password": "not my password", "new_password": NEW, "new_password_confirm": NEW})
    assert response.status_code == 422
    assert re.search(r'id="current_password-error".*not your current password', response.get_data(as_text=True), re.S)
    assert reload(member).check_password(OLD)


def test_change_password_applies_strength_rule(member_client, member):
    response = member_client.post("/settings/password", data={
        "current_password": OLD, "new_password": "member1234567", "new_password_confirm": "member1234567"})
    assert response.status_code == 422
    assert 'id="new_password-error"' in response.get_data(as_text=True)


def test_change_password_keeps_this_session_and_ends_others(app, member_client, member, login, outbox):
    other_device = login(app.test_client(), member)
    response = member_client.post("/settings/password", data={
        "current_password": OLD, "new_password": NEW, "new_password_confirm": NEW})
    assert response.status_code == 302
    assert reload(member).check_password(NEW)
    assert member_client.get("/settings/password").status_code == 200  # still logged in here
    assert other_device.get("/settings/password").status_code == 302  # but not there
    assert [m.to_addr for m in outbox()] == [member.email]


@pytest.fixture
def app_config():
    return {"RATELIMIT_PASSWORD_RESET": "2 per minute"}


def test_password_reset_requests_are_rate_limited(client, outbox):
    for _ in range(2):
        assert client.post("/password/forgot", data={"email": "x@example.org"}).status_code == 200
    assert client.post("/password/forgot", data={"email": "x@example.org"}).status_code == 429
