"""A cached page is served only to a login session that is open on the server now: every check a
rendered page makes (log-out, a session ended elsewhere, suspension, remember-me) holds on a hit."""
from __future__ import annotations

from sqlalchemy import update

from core.extensions import db

FEED = "/g/club"


def _served_from_cache(app, client, url: str = FEED):
    """Served from the cache by the front door (``front.py``), which skips Flask-Login: each check
    below must hold there (and in Flask, whose hits the same tests covered before)."""
    cache = app.extensions["commonground.page_cache"]
    for _ in range(3):
        client.get(url)
    hits, front = cache.hits, cache.front_hits
    response = client.get(url)
    assert (cache.hits, cache.front_hits) == (hits + 1, front + 1)
    return response


def _not_served_from_cache(app, client, url: str = FEED):
    cache = app.extensions["commonground.page_cache"]
    hits = cache.hits
    response = client.get(url)
    assert cache.hits == hits
    assert "/u/viewer" not in response.text
    return response


def _browser_with(app, name: str, value: str):
    client = app.test_client()
    client.set_cookie(name, value, domain="localhost")
    return client


def test_a_session_cookie_replayed_after_log_out_gets_no_cached_page(second_app, login, viewer):
    client = login(second_app.test_client(), viewer)
    _served_from_cache(second_app, client)
    copied = client.get_cookie("session").value
    assert client.post("/logout").status_code == 302
    _not_served_from_cache(second_app, _browser_with(second_app, "session", copied))


def test_a_remember_me_cookie_replayed_after_log_out_gets_no_cached_page(second_app, viewer):
    client = second_app.test_client()
    form = {"login": "viewer", "password": "correct horse battery", "remember": "on"}
    assert client.post("/login", data=form).status_code == 302
    copied = client.get_cookie("remember_token").value
    remembered = _browser_with(second_app, "remember_token", copied)
    remembered.get(FEED)  # rendered: the remember-me cookie's login goes into the session cookie
    _served_from_cache(second_app, remembered)
    client.post("/logout")
    _not_served_from_cache(second_app, _browser_with(second_app, "remember_token", copied))


def test_a_session_ended_from_another_device_is_refused_on_its_next_hit(app, second_app, login, viewer):
    from core.models import LoginSession

    laptop = login(app.test_client(), viewer)
    phone = login(second_app.test_client(), viewer)
    _served_from_cache(second_app, phone)
    phone_session = max(db.session.scalars(db.select(LoginSession.id).where(LoginSession.user_id == viewer.id)))
    assert laptop.post(f"/settings/sessions/{phone_session}/end").status_code == 302
    _not_served_from_cache(second_app, phone)


def test_a_suspended_member_gets_no_cached_page_even_with_a_session_still_open(second_app, login, viewer):
    from core.models import User
    from core.models.base import utcnow

    client = login(second_app.test_client(), viewer)
    _served_from_cache(second_app, client)
    # Straight to the table, as another host would: no version is replaced, the session row stays.
    with db.engine.begin() as connection:
        connection.execute(update(User.__table__).where(User.__table__.c.id == viewer.id)
                           .values(suspended_at=utcnow()))
    _not_served_from_cache(second_app, client)


def test_a_session_idle_past_its_limit_gets_no_cached_page(second_app, login, viewer):
    from datetime import timedelta

    from core.models import LoginSession
    from core.models.base import utcnow

    client = login(second_app.test_client(), viewer)
    _served_from_cache(second_app, client)
    with db.engine.begin() as connection:
        connection.execute(update(LoginSession.__table__).where(LoginSession.__table__.c.user_id == viewer.id)
                           .values(last_seen_at=utcnow() - timedelta(days=15)))
    _not_served_from_cache(second_app, client)

