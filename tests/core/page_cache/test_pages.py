"""What a cached page holds and whom it is served to: the viewer's own page, with this request's
CSRF token, the same headers as a rendered one, never a flashed message, never a visitor."""
from __future__ import annotations

import re

from core.extensions import db

FEED = "/g/club"


def _served_from_cache(app, client, url: str = FEED):
    """Served from the cache by the front door (``front.py``), in front of Flask."""
    cache = app.extensions["commonground.page_cache"]
    for _ in range(3):
        client.get(url)
    hits, front = cache.hits, cache.front_hits
    response = client.get(url)
    assert (cache.hits, cache.front_hits) == (hits + 1, front + 1)
    return response


def test_each_viewer_gets_their_own_page(second_app, login, club):
    from core.models import User

    author = db.session.scalar(db.select(User).where(User.username == "author"))
    viewer = db.session.scalar(db.select(User).where(User.username == "viewer"))
    as_author = _served_from_cache(second_app, login(second_app.test_client(), author)).text
    as_viewer = _served_from_cache(second_app, login(second_app.test_client(), viewer)).text
    assert 'class="nav-avatar" href="/u/author"' in as_author and "/edit" in as_author
    assert 'class="nav-avatar" href="/u/viewer"' in as_viewer and "/edit" not in as_viewer


def test_a_cached_page_carries_this_requests_csrf_token_and_its_form_passes(second_app, login, club):
    from core.models import Post, User

    second_app.config["WTF_CSRF_ENABLED"] = True
    viewer = db.session.scalar(db.select(User).where(User.username == "viewer"))
    client = login(second_app.test_client(), viewer)
    html = _served_from_cache(second_app, client).text
    assert "\x1ecg-csrf\x1e" not in html
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    response = client.post("/g/club/posts", data={"body": "Posted from a cached page", "csrf_token": token})
    assert response.status_code == 302
    assert db.session.scalar(db.select(Post.id).where(Post.body_source == "Posted from a cached page"))


def test_a_stolen_cached_page_does_not_carry_a_token_for_another_session(second_app, login, club):
    from core.models import User

    second_app.config["WTF_CSRF_ENABLED"] = True
    viewer = db.session.scalar(db.select(User).where(User.username == "viewer"))
    first = login(second_app.test_client(), viewer)
    token = re.search(r'name="csrf_token" value="([^"]+)"', _served_from_cache(second_app, first).text).group(1)
    other_browser = login(second_app.test_client(), viewer)
    response = other_browser.post("/g/club/posts", data={"body": "Forged", "csrf_token": token})
    assert response.status_code == 400


def test_hits_and_misses_answer_with_the_same_private_headers(second_app, login, club):
    from core.models import User

    viewer = db.session.scalar(db.select(User).where(User.username == "viewer"))
    client = login(second_app.test_client(), viewer)
    missed = client.get(FEED)
    hit = _served_from_cache(second_app, client)
    for response in (missed, hit):
        assert response.headers["Cache-Control"] == "private, no-store"
        assert "Cookie" in response.headers["Vary"]
        assert response.headers["Content-Security-Policy"]
        assert response.mimetype == "text/html"


def test_a_flashed_message_is_shown_once_and_never_cached(second_app, login, club):
    from core.models import User

    viewer = db.session.scalar(db.select(User).where(User.username == "viewer"))
    client = login(second_app.test_client(), viewer)
    _served_from_cache(second_app, client)
    client.post("/g/club/notifications", data={"level": "muted"})
    assert 'class="flashes"' in client.get(FEED).text
    assert 'class="flashes"' not in client.get(FEED).text


def test_visitors_are_not_served_from_the_cache(second_app, club):
    cache = second_app.extensions["commonground.page_cache"]
    visitor = second_app.test_client()
    for _ in range(3):
        assert "Author&#39;s words" in visitor.get(FEED).text or "Author's words" in visitor.get(FEED).text
    assert cache.hits == 0 and len(cache.entries) == 0


def test_a_logged_out_browser_gets_no_cached_page(second_app, login, club):
    from core.models import User

    viewer = db.session.scalar(db.select(User).where(User.username == "viewer"))
    client = login(second_app.test_client(), viewer)
    _served_from_cache(second_app, client)
    client.post("/logout")
    assert "/u/viewer" not in client.get(FEED).text


def test_another_query_string_is_another_page(second_app, login, club, make_post):
    from core.models import Group, User

    group = db.session.scalar(db.select(Group))
    author = db.session.scalar(db.select(User).where(User.username == "author"))
    for n in range(25):
        make_post(group, author, f"Bulk {n}")
    viewer = db.session.scalar(db.select(User).where(User.username == "viewer"))
    client = login(second_app.test_client(), viewer)
    first = _served_from_cache(second_app, client).text
    older = first.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    assert "?before=" in older
    assert _served_from_cache(second_app, client, older).text != first
