"""Forgotten password by email, and changing the password while logged in.

The emailed link is ``/password/reset#token=…``: the token is in the fragment, which browsers
never send, so it appears in no request line, access log or Referer. The page's script copies
it into the form (a browser test covers that); these tests post it as the form field would.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from core.extensions import db
from core.models import User

OLD = "correct horse battery"
NEW = "velvet compass morning"


def reset_token_in(message) -> str:
    return re.search(r"http://localhost/password/reset#token=([^\s\"<]+)", message.body_text).group(1)


def reset(client, token: str, password: str = NEW, confirm: str | None = None):
    return client.post("/password/reset", data={"token": token, "password": password,
                                                "password_confirm": password if confirm is None else confirm})


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
    token = reset_token_in(outbox()[0])
    assert client.get("/password/reset").status_code == 200
    response = reset(client, token)
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    user = reload(user)
    assert user.check_password(NEW) and not user.check_password(OLD)
    assert other_device.get("/settings/profile").status_code == 302  # logged out there
    assert "password was changed" in outbox()[-1].subject


def test_reset_link_works_only_once(client, make_user, outbox):
    make_user("grace", email="grace@example.org")
    client.post("/password/forgot", data={"email": "grace@example.org"})
    token = reset_token_in(outbox()[0])
    reset(client, token)
    again = reset(client, token, "another fine passphrase")
    assert again.status_code == 422
    assert re.search(r'id="token-error".*invalid, expired or already used', again.get_data(as_text=True), re.S)


def test_expired_reset_link_is_refused(client, make_user, outbox, monkeypatch):
    from core.auth import tokens

    user = make_user("grace", email="grace@example.org")
    client.post("/password/forgot", data={"email": "grace@example.org"})
    token = reset_token_in(outbox()[0])
    monkeypatch.setattr(tokens, "RESET_MAX_AGE", -1)
    response = reset(client, token)
    assert response.status_code == 422 and 'id="token-error"' in response.get_data(as_text=True)
    assert reload(user).check_password(OLD)


def test_reset_confirms_an_unconfirmed_address(client, make_user, outbox):
    user = make_user("grace", email="grace@example.org", email_confirmed_at=None)
    client.post("/password/forgot", data={"email": "grace@example.org"})
    reset(client, reset_token_in(outbox()[0]))
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
    token = reset_token_in(outbox()[0])
    response = reset(client, token, password, confirm)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(rf'id="{field}-error".*{fragment}', page, re.S)
    assert f'value="{token}"' in page  # the code is kept while the password is corrected
    assert reload(user).check_password(OLD)


def test_tampered_reset_token_is_refused_at_the_code_field(client):
    response = reset(client, "garbage")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(r'id="token-error".*invalid, expired or already used', page, re.S)
    assert 'href="/password/forgot"' in page


def test_the_reset_token_is_never_in_a_url_path_or_query(client, make_user, outbox):
    make_user("grace", email="grace@example.org")
    client.post("/password/forgot", data={"email": "grace@example.org"})
    message = outbox()[0]
    token = reset_token_in(message)
    links = re.findall(r'https?://[^\s"<]+', message.body_text + message.body_html)
    assert links and all(urlsplit(link).path == "/password/reset" and urlsplit(link).query == ""
                         for link in links if token in link)
    assert any(urlsplit(link).fragment == f"token={token}" for link in links)
    assert token in message.body_text.replace(f"#token={token}", "")  # also as a code to paste
    assert client.get(f"/password/reset/{token}").status_code == 404  # no route takes it in the path


def test_the_reset_page_works_without_javascript_by_pasting_the_code(client):
    page = client.get("/password/reset").get_data(as_text=True)
    assert 'for="field-token"' in page and 'name="token"' in page
    assert 'data-reset-code hidden' not in page and "data-reset-code>" in page  # visible unless a script hides it


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


class TestRateLimit:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_PASSWORD_RESET": "2 per minute"}

    def test_password_reset_requests_are_rate_limited(self, client, outbox):
        for _ in range(2):
            assert client.post("/password/forgot", data={"email": "x@example.org"}).status_code == 200
        assert client.post("/password/forgot", data={"email": "x@example.org"}).status_code == 429

    def test_guessing_codes_draws_on_the_same_allowance(self, client, outbox):
        assert client.post("/password/forgot", data={"email": "x@example.org"}).status_code == 200
        assert reset(client, "guess-1").status_code == 422
        assert reset(client, "guess-2").status_code == 429
