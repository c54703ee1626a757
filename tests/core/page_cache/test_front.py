"""The front door (``core.page_cache.front``): a cached page answered in front of Flask is the page
and the headers Flask sends, costs one query, and a request it cannot answer exactly as Flask
would goes to Flask. (The login checks of ``test_login_checks.py`` and the invalidation tests run
through it too: their helpers insist the front door served the cached page.)"""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from core.extensions import db

FEED = "/g/club"
HOME = "/"


@pytest.fixture
def post_url(club) -> str:
    from core.models import Post

    return f"/g/club/p/{db.session.scalar(db.select(Post.id))}"


def _front(app, client, url: str):
    """View ``url`` until the front door answers (a miss, a first hit through Flask that shows
    the front door a hit's headers); that answer."""
    pages = app.extensions["commonground.page_cache"]
    for _ in range(3):
        assert client.get(url).status_code == 200
    hits, front = pages.hits, pages.front_hits
    response = client.get(url)
    assert response.status_code == 200
    assert (pages.hits, pages.front_hits) == (hits + 1, front + 1), "the front door did not answer"
    return response


def _through_flask(app, client, url: str, **kwargs):
    pages = app.extensions["commonground.page_cache"]
    front = pages.front_hits
    response = client.get(url, **kwargs)
    assert pages.front_hits == front, "the front door answered"
    return response


@pytest.mark.parametrize("page", ["feed", "post", "home"])
def test_the_front_door_answers_with_the_bytes_and_headers_flask_sends(second_app, login, viewer, post_url, page):
    url = {"feed": FEED, "post": post_url, "home": HOME}[page]
    pages = second_app.extensions["commonground.page_cache"]
    client = login(second_app.test_client(), viewer)
    front = _front(second_app, client, url)

    second_app.config["PAGE_CACHE_FRONT_DOOR"] = False
    hits = pages.hits
    through_flask = _through_flask(second_app, client, url)
    assert pages.hits == hits + 1  # the same cached page, served by Flask
    pages.entries.clear()
    rendered = _through_flask(second_app, client, url)
    assert pages.hits == hits + 1  # rendered

    for other in (through_flask, rendered):
        assert other.status_code == 200
        assert list(front.headers.items()) == list(other.headers.items())
        assert front.data == other.data  # the session's CSRF token included
    assert front.headers["Content-Length"] == str(len(front.data))
    assert front.headers["Cache-Control"] == "private, no-store" and front.headers["Vary"] == "Cookie"
    assert front.headers["Content-Security-Policy"] and front.headers["X-Frame-Options"] == "DENY"
    assert "\x1e" not in front.text and "/u/viewer" in front.text


@pytest.mark.parametrize("page", ["feed", "post", "home"])
def test_a_front_door_hit_costs_one_query_and_writes_nothing(app, login, viewer, post_url, count_queries, page):
    """Not even SQLAlchemy runs: the front door's one statement goes straight to a pooled
    connection (its own count; in Redis mode the versions are one ``MGET`` besides)."""
    url = {"feed": FEED, "post": post_url, "home": HOME}[page]
    pages = app.extensions["commonground.page_cache"]
    client = login(app.test_client(), viewer)
    for _ in range(3):
        client.get(url)
    queries, front = pages.front.queries, pages.front_hits
    with count_queries() as statements:
        assert client.get(url).status_code == 200
    assert pages.front_hits == front + 1
    assert pages.front.queries == queries + 1
    assert statements == []


def test_a_hit_through_flask_still_costs_two_queries(app, login, viewer, count_queries):
    """A query string with an escape is another cached page, which the front door leaves to Flask."""
    client = login(app.test_client(), viewer)
    _front(app, client, FEED)
    for _ in range(2):
        _through_flask(app, client, FEED + "?tab=p%6Fsts")
    pages = app.extensions["commonground.page_cache"]
    hits = pages.hits
    with count_queries() as statements:
        _through_flask(app, client, FEED + "?tab=p%6Fsts")
    assert pages.hits == hits + 1
    assert len(statements) == 2, "\n".join(statements)


def test_head_and_query_strings_with_escapes_go_to_flask(second_app, login, viewer):
    client = login(second_app.test_client(), viewer)
    _front(second_app, client, FEED)
    front = second_app.extensions["commonground.page_cache"].front_hits
    assert client.head(FEED).status_code == 200
    assert second_app.extensions["commonground.page_cache"].front_hits == front
    for _ in range(3):
        _through_flask(second_app, client, FEED + "?tab=p%6Fsts")
        _through_flask(second_app, client, FEED + "?tab=a+b")
    assert _through_flask(second_app, client, FEED + "?before=not-a-cursor").status_code == 400
    assert _through_flask(second_app, client, FEED + "?q=%00").status_code == 400  # input hygiene's


def test_an_older_feed_page_is_answered_by_the_front_door_as_flask_answers_it(second_app, login, viewer,
                                                                                make_post):
    from core.models import Group, User

    group = db.session.scalar(db.select(Group))
    author = db.session.scalar(db.select(User).where(User.username == "author"))
    for n in range(25):
        make_post(group, author, f"Bulk {n}")
    client = login(second_app.test_client(), viewer)
    first = _front(second_app, client, FEED).text
    older = first.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    assert "?before=" in older
    front = _front(second_app, client, older)
    assert "Bulk 0" in front.text and "Bulk 0" not in first  # the oldest bulk post, on the second page
    second_app.config["PAGE_CACHE_FRONT_DOOR"] = False
    through_flask = _through_flask(second_app, client, older)
    assert list(front.headers.items()) == list(through_flask.headers.items()) and front.data == through_flask.data


def test_a_flashed_message_goes_to_flask_and_shows(second_app, login, viewer):
    client = login(second_app.test_client(), viewer)
    _front(second_app, client, FEED)
    client.post("/g/club/notifications", data={"level": "muted"})
    assert 'class="flashes"' in _through_flask(second_app, client, FEED).text
    assert 'class="flashes"' not in client.get(FEED).text


def test_another_browser_on_the_session_goes_to_flask_which_marks_it_not_fresh(second_app, viewer):
    """Flask-Login's session protection: the session logged in from one browser (its identifier
    in ``_id``) asked from another changes the session (not fresh); only Flask does that."""
    client = second_app.test_client()
    form = {"login": "viewer", "password": "correct horse battery"}
    assert client.post("/login", data=form).status_code == 302
    _front(second_app, client, FEED)
    response = _through_flask(second_app, client, FEED, headers={"User-Agent": "Another Browser/1.0"})
    assert response.status_code == 200 and "Set-Cookie" in response.headers
    assert "/u/viewer" in response.text


def test_a_session_due_for_its_last_seen_write_goes_to_flask_which_writes_it(second_app, login, viewer):
    from core.models import LoginSession
    from core.models.base import utcnow

    client = login(second_app.test_client(), viewer)
    _front(second_app, client, FEED)
    table = LoginSession.__table__
    earlier = utcnow() - timedelta(minutes=10)
    with db.engine.begin() as connection:
        connection.execute(update(table).where(table.c.user_id == viewer.id).values(last_seen_at=earlier))
    assert "/u/viewer" in _through_flask(second_app, client, FEED).text
    with db.engine.begin() as connection:
        seen = connection.execute(db.select(table.c.last_seen_at).where(table.c.user_id == viewer.id)).scalar()
    if seen.tzinfo is None:
        seen = seen.replace(tzinfo=earlier.tzinfo)
    assert seen > earlier + timedelta(minutes=5)
    _front(second_app, client, FEED)


def test_a_plugin_switched_on_another_instance_goes_to_flask_first(app, second_app, login, viewer):
    from core.plugins import state as plugin_state

    client = login(second_app.test_client(), viewer)
    _front(second_app, client, FEED)
    plugin_state.set_enabled("resources", not _enabled(app, "resources"))
    _through_flask(second_app, client, FEED)


def _enabled(app, plugin_id: str) -> bool:
    from core.plugins import get_plugins

    plugins = get_plugins(app)
    plugins.refresh()
    return plugins.is_enabled(plugin_id)


def test_off_while_templates_auto_reload(second_app, login, viewer):
    client = login(second_app.test_client(), viewer)
    _front(second_app, client, FEED)
    second_app.jinja_env.auto_reload = True
    try:
        _through_flask(second_app, client, FEED)
    finally:
        second_app.jinja_env.auto_reload = False


def test_an_app_with_a_request_hook_it_does_not_know_never_uses_it(make_app, login, viewer):
    """A plugin's ``before_request`` could refuse the request (maintenance, a ban): the front door
    cannot know, so an app with hooks other than core's keeps every request in Flask."""
    other = make_app()
    closed = {"now": False}

    @other.before_request
    def _maintenance():
        return ("Closed for maintenance", 503) if closed["now"] else None

    pages = other.extensions["commonground.page_cache"]
    client = login(other.test_client(), viewer)
    for _ in range(4):
        assert client.get(FEED).status_code == 200
    assert pages.hits >= 2 and pages.front_hits == 0 and pages.front.allowed is False
    closed["now"] = True
    assert client.get(FEED).status_code == 503


def test_the_front_door_sits_inside_proxy_fix(make_app):
    from werkzeug.middleware.proxy_fix import ProxyFix

    from core.page_cache.front import FrontDoor

    behind_proxy = make_app(PROXY_COUNT=1)
    assert isinstance(behind_proxy.wsgi_app, ProxyFix) and isinstance(behind_proxy.wsgi_app.app, FrontDoor)
