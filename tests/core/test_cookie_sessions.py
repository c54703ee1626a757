"""The session cookie is verified once per worker and value, and still refused when it should be:
changed by a byte, or older than the session lifetime. The CSRF token is signed once per session
and still accepted only from its own session."""
from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest

PASSWORD = "correct horse battery"


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def _logged_in(app, member):
    client = app.test_client()
    html = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    response = client.post("/login", data={"login": member.username, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    return client


def _with_session_cookie(app, value: str):
    client = app.test_client()
    client.set_cookie("session", value, domain="localhost")
    return client


def _opens_settings(client) -> bool:
    return client.get("/settings/profile").status_code == 200


def test_a_verified_session_cookie_opens_the_session_again(app, member):
    client = _logged_in(app, member)
    assert _opens_settings(client) and _opens_settings(client)


def test_a_session_cookie_changed_by_one_character_is_refused_after_the_real_one_was_verified(app, member):
    cookie = _logged_in(app, member).get_cookie("session").value
    assert _opens_settings(_with_session_cookie(app, cookie))
    # Not the last character: its low bits are padding a decoder ignores, so some changes there
    # leave the signature's bytes as they were.
    changed = cookie[:-5] + ("A" if cookie[-5] != "A" else "B") + cookie[-4:]
    assert not _opens_settings(_with_session_cookie(app, changed))


def test_a_verified_session_cookie_older_than_the_session_lifetime_is_refused(app, member):
    cookie = _logged_in(app, member).get_cookie("session").value
    assert _opens_settings(_with_session_cookie(app, cookie))
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(seconds=-1)
    assert not _opens_settings(_with_session_cookie(app, cookie))


def test_a_session_cookie_signed_with_another_key_is_refused_after_the_key_changes(app, member):
    cookie = _logged_in(app, member).get_cookie("session").value
    assert _opens_settings(_with_session_cookie(app, cookie))
    app.secret_key = "another key"
    assert not _opens_settings(_with_session_cookie(app, cookie))


def test_the_csrf_token_is_the_same_on_every_page_of_a_session_and_its_forms_pass(app, member):
    client = _logged_in(app, member)
    pattern = r'name="csrf_token" value="([^"]+)"'
    first = re.search(pattern, client.get("/settings/profile").text).group(1)
    time.sleep(1.05)  # a token signed anew would carry the next second's timestamp
    second = re.search(pattern, client.get("/settings/profile").text).group(1)
    assert first == second
    response = client.post("/settings/profile", data={"display_name": "Renamed", "locale": "en", "csrf_token": second})
    assert response.status_code == 302


def test_a_csrf_token_of_another_session_is_refused(app, member):
    pattern = r'name="csrf_token" value="([^"]+)"'
    other = re.search(pattern, _logged_in(app, member).get("/settings/profile").text).group(1)
    client = _logged_in(app, member)
    client.get("/settings/profile")
    response = client.post("/settings/profile", data={"display_name": "Forged", "locale": "en", "csrf_token": other})
    assert response.status_code == 400



def test_a_full_store_of_signed_tokens_lets_the_oldest_go_not_the_newest(app, member, monkeypatch):
    from core.auth import csrf_tokens

    mine, other = _logged_in(app, member), _logged_in(app, member)
    monkeypatch.setattr(csrf_tokens, "_signed", {("old", "csrf_token", "raw"): ("token", 0.0)})
    monkeypatch.setattr(csrf_tokens, "MAX_TOKENS", 2)
    mine.get("/settings/profile")
    newest = list(csrf_tokens._signed)[-1]
    other.get("/settings/profile")  # another session's token finds the store full
    assert newest in csrf_tokens._signed and ("old", "csrf_token", "raw") not in csrf_tokens._signed


def test_a_full_store_of_verified_cookies_lets_the_oldest_go_not_the_newest(app, member, monkeypatch):
    sessions = app.session_interface
    mine, other = _logged_in(app, member), _logged_in(app, member)
    monkeypatch.setattr(sessions, "verified", {("old", "cookie"): ({}, 0.0)})
    monkeypatch.setattr("core.auth.cookie_sessions.MAX_COOKIES", 2)
    assert _opens_settings(mine)
    newest = list(sessions.verified)[-1]
    assert _opens_settings(other)  # another session's cookie finds the store full
    assert newest in sessions.verified and ("old", "cookie") not in sessions.verified
