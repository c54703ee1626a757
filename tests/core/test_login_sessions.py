"""Log-in sessions live on the server: log-out ends them, Settings lists them and ends any or all."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from core.auth.user_agents import describe
from core.extensions import db
from core.models import LoginSession
from core.models.base import utcnow

PASSWORD = "correct horse battery"
FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI_IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko)"
                 " Version/17.5 Mobile/15E148 Safari/604.1")


def log_in(app, user, *, remember: bool = False, user_agent: str = FIREFOX_LINUX):
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = user_agent
    data = {"login": user.username, "password": PASSWORD}
    if remember:
        data["remember"] = "on"
    assert client.post("/login", data=data).status_code == 302
    return client


def with_cookie(app, name: str, value: str):
    """A different browser that only has a copy of one cookie."""
    client = app.test_client()
    client.set_cookie(name, value, domain="localhost")
    return client


def opens_settings(client) -> bool:
    return client.get("/settings/profile").status_code == 200


def rows(user=None) -> list[LoginSession]:
    db.session.expire_all()
    query = select(LoginSession).order_by(LoginSession.id)
    if user is not None:
        query = query.where(LoginSession.user_id == user.id)
    return list(db.session.scalars(query))


@pytest.fixture
def grace(make_user):
    return make_user("grace")


def test_a_session_cookie_copied_before_log_out_no_longer_opens_settings(app, grace):
    client = log_in(app, grace)
    copied = client.get_cookie("session").value
    assert opens_settings(with_cookie(app, "session", copied))
    assert client.post("/logout").status_code == 302
    assert not opens_settings(with_cookie(app, "session", copied))
    assert rows(grace) == []


def test_a_remember_me_cookie_copied_before_log_out_no_longer_logs_back_in(app, grace):
    client = log_in(app, grace, remember=True)
    copied = client.get_cookie("remember_token").value
    assert opens_settings(with_cookie(app, "remember_token", copied))
    client.post("/logout")
    thief = with_cookie(app, "remember_token", copied)
    response = thief.get("/settings/profile")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert thief.get_cookie("remember_token") is None  # the dead cookie is dropped, not retried forever


def test_api_log_out_ends_the_session_on_the_server_too(app, grace):
    client = app.test_client()
    assert client.post("/api/v1/auth/login", json={"login": "grace", "password": PASSWORD}).status_code == 200
    copied = client.get_cookie("session").value
    assert client.post("/api/v1/auth/logout").status_code == 204
    assert with_cookie(app, "session", copied).get("/api/v1/me").status_code == 401


def test_settings_lists_each_device_and_marks_this_one(app, grace):
    laptop = log_in(app, grace, user_agent=FIREFOX_LINUX)
    log_in(app, grace, user_agent=SAFARI_IPHONE, remember=True)
    html = laptop.get("/settings/sessions").get_data(as_text=True)
    assert "Firefox on Linux" in html and "Safari on iPhone" in html
    assert html.count("This device") == 1
    assert html.index("Firefox on Linux") < html.index("This device") < html.index("Safari on iPhone")
    assert "Remembered" in html


def test_settings_shows_the_sessions_page_in_german(app, make_user):
    user = make_user("greta", locale="de")
    html = log_in(app, user).get("/settings/sessions").get_data(as_text=True)
    assert "Sitzungen" in html and "Dieses Gerät" in html and "Firefox auf Linux" in html


def test_ending_another_session_logs_that_device_out_and_keeps_this_one(app, grace):
    laptop = log_in(app, grace)
    phone = log_in(app, grace, user_agent=SAFARI_IPHONE)
    phone_session = next(row for row in rows(grace) if row.browser == "Safari")
    response = laptop.post(f"/settings/sessions/{phone_session.id}/end")
    assert response.status_code == 302 and response.headers["Location"] == "/settings/sessions"
    assert not opens_settings(phone)
    assert opens_settings(laptop)


def test_ending_this_session_from_the_list_logs_out_here(app, grace):
    laptop = log_in(app, grace)
    (this,) = rows(grace)
    response = laptop.post(f"/settings/sessions/{this.id}/end")
    assert response.headers["Location"] == "/login"
    assert not opens_settings(laptop)


def test_someone_elses_session_cannot_be_ended(app, grace, make_user):
    other = make_user("other")
    other_client = log_in(app, other)
    mallory = log_in(app, grace)
    (their_session,) = rows(other)
    assert mallory.post(f"/settings/sessions/{their_session.id}/end").status_code == 404
    assert mallory.post("/settings/sessions/999999/end").status_code == 404
    assert opens_settings(other_client)


def test_log_out_all_other_sessions_keeps_only_this_one(app, grace):
    laptop = log_in(app, grace)
    phone = log_in(app, grace, user_agent=SAFARI_IPHONE, remember=True)
    copied_remember = phone.get_cookie("remember_token").value
    laptop.post("/settings/sessions/end-others")
    assert opens_settings(laptop)
    assert not opens_settings(phone)
    assert not opens_settings(with_cookie(app, "remember_token", copied_remember))
    assert len(rows(grace)) == 1


def test_log_out_everywhere_ends_this_session_too(app, grace):
    laptop = log_in(app, grace)
    phone = log_in(app, grace, user_agent=SAFARI_IPHONE)
    response = laptop.post("/settings/sessions/end-all")
    assert response.headers["Location"] == "/login"
    assert not opens_settings(laptop) and not opens_settings(phone)
    assert rows(grace) == []


def test_no_address_and_no_raw_user_agent_is_kept(app, grace):
    client = app.test_client()
    client.environ_base.update(HTTP_USER_AGENT=FIREFOX_LINUX, REMOTE_ADDR="203.0.113.77")
    client.post("/login", data={"login": "grace", "password": PASSWORD})
    (row,) = rows(grace)
    columns = [column.name for column in LoginSession.__table__.columns]
    assert set(columns) == {"id", "user_id", "token_hash", "remembered", "browser", "platform", "created_at",
                            "last_seen_at"}
    assert (row.browser, row.platform) == ("Firefox", "Linux")
    assert "203.0.113" not in row.token_hash
    assert client.get_cookie("session") is not None and row.token_hash not in client.get_cookie("session").value


def _age(user, **delta) -> None:
    db.session.execute(update(LoginSession).where(LoginSession.user_id == user.id)
                       .values(last_seen_at=utcnow() - timedelta(**delta)))
    db.session.commit()


def test_last_seen_is_written_at_most_every_five_minutes(app, grace, count_queries):
    client = log_in(app, grace)
    with count_queries() as fresh:
        client.get("/settings/profile")
    assert not [s for s in fresh if s.lstrip().upper().startswith("UPDATE")]
    _age(grace, minutes=6)
    with count_queries() as stale:
        client.get("/settings/profile")
    assert len([s for s in stale if s.lstrip().upper().startswith("UPDATE")]) == 1
    (row,) = rows(grace)
    assert utcnow() - row.last_seen_at < timedelta(minutes=1)
    with count_queries() as again:
        client.get("/settings/profile")
    assert not [s for s in again if s.lstrip().upper().startswith("UPDATE")]


def test_a_session_unused_for_two_weeks_ends(app, grace):
    client = log_in(app, grace)
    _age(grace, days=13)
    assert opens_settings(client)
    _age(grace, days=15)
    assert not opens_settings(client)


def test_a_remembered_session_lasts_while_it_is_used_within_sixty_days(app, grace):
    client = log_in(app, grace, remember=True)
    _age(grace, days=30)
    assert opens_settings(client)
    _age(grace, days=61)
    assert not opens_settings(client)


def test_a_new_log_in_deletes_sessions_that_have_expired(app, grace, make_user):
    log_in(app, grace)
    _age(grace, days=30)
    log_in(app, make_user("someone"))
    assert rows(grace) == []


def test_the_sessions_page_costs_three_queries_and_writes_nothing(app, grace, count_queries):
    client = log_in(app, grace)
    for _ in range(3):
        log_in(app, grace, user_agent=SAFARI_IPHONE)
    with count_queries() as queries:
        assert client.get("/settings/sessions").status_code == 200
    assert len(queries) == 3  # plugin-state version, the user with this session, the list
    assert not [s for s in queries if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


def test_deleting_the_account_deletes_its_sessions(app, grace):
    client = log_in(app, grace)
    log_in(app, grace, user_agent=SAFARI_IPHONE)
    assert client.post("/settings/data", data={"password": PASSWORD}).status_code == 302
    assert rows() == []


def test_the_data_export_lists_the_sessions(app, grace):
    client = log_in(app, grace, remember=True)
    export = client.get("/settings/data/export").get_json()
    (entry,) = export["login_sessions"]
    assert entry["browser"] == "Firefox" and entry["system"] == "Linux" and entry["remembered"] is True


@pytest.mark.parametrize(("user_agent", "expected"), [
    (FIREFOX_LINUX, ("Firefox", "Linux")),
    (SAFARI_IPHONE, ("Safari", "iPhone")),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
     " Edg/126.0", ("Edge", "Windows")),
    ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile"
     " Safari/537.36", ("Chrome", "Android")),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5"
     " Safari/605.1.15", ("Safari", "macOS")),
    ("curl/8.5.0", ("curl", None)),
    ("", (None, None)),
    (None, (None, None)),
])
def test_a_user_agent_is_reduced_to_a_browser_and_a_system(user_agent, expected):
    assert describe(user_agent) == expected


def api_log_in(app, user, user_agent: str = FIREFOX_LINUX):
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = user_agent
    assert client.post("/api/v1/auth/login", json={"login": user.username, "password": PASSWORD}).status_code == 200
    return client


def test_the_api_lists_the_sessions_and_marks_the_calling_one(app, grace):
    laptop = api_log_in(app, grace)
    api_log_in(app, grace, SAFARI_IPHONE)
    listed = laptop.get("/api/v1/auth/sessions").get_json()
    assert [(s["browser"], s["system"], s["current"]) for s in listed] in (
        [("Firefox", "Linux", True), ("Safari", "iPhone", False)],
        [("Safari", "iPhone", False), ("Firefox", "Linux", True)])
    assert set(listed[0]) == {"id", "browser", "system", "remembered", "created_at", "last_seen_at", "current"}


def test_the_api_ends_one_session_or_all_others(app, grace, make_user):
    laptop = api_log_in(app, grace)
    phone = api_log_in(app, grace, SAFARI_IPHONE)
    tablet = api_log_in(app, grace, SAFARI_IPHONE)
    phone_id = next(s["id"] for s in phone.get("/api/v1/auth/sessions").get_json() if s["current"])
    assert laptop.delete(f"/api/v1/auth/sessions/{phone_id}").status_code == 204
    assert phone.get("/api/v1/me").status_code == 401
    assert laptop.delete(f"/api/v1/auth/sessions/{phone_id}").status_code == 404
    other = api_log_in(app, make_user("other"))
    other_id = other.get("/api/v1/auth/sessions").get_json()[0]["id"]
    assert laptop.delete(f"/api/v1/auth/sessions/{other_id}").status_code == 404
    assert laptop.delete("/api/v1/auth/sessions").status_code == 204
    assert tablet.get("/api/v1/me").status_code == 401
    assert laptop.get("/api/v1/me").status_code == 200 and other.get("/api/v1/me").status_code == 200


@pytest.mark.parametrize("path", ["/favicon.ico", "/", "/login", "/g/nowhere"])
def test_a_request_sent_with_the_cookie_from_before_log_in_does_not_log_out(app, grace, csrf_client, path):
    """A browser's requests overlap: its ``/favicon.ico`` after the log-in page, sent with the cookie
    from before log-in, can be answered after the log-in's 302. The browser keeps whichever cookie
    it is sent last, so that answer must not set the session cookie again when nothing in it
    changed (it set ``_fresh: false`` on the visitor's session, and the member was logged out on
    their next page: a flaky browser test, tests/browser/test_media_flow.py, found it)."""
    browser = csrf_client()
    assert browser.get("/login").status_code == 200
    before = browser.get_cookie("session").value  # a visitor's session: a CSRF token
    assert browser.post("/login", data={"login": "grace", "password": PASSWORD}).status_code == 302
    late = with_cookie(app, "session", before)  # the same browser's request still in flight
    answer = late.get(path)
    assert not [cookie for cookie in answer.headers.getlist("Set-Cookie") if cookie.startswith("session=")]
    assert late.get_cookie("session").value == before
    assert opens_settings(browser)
