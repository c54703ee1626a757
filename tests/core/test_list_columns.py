"""The ``list_columns`` hook: a plugin's column rides in the statement core loads a list with.

Its value reaches the plugin for every listed item (``list_values``) without a statement of
its own; a plugin whose hook raises, or whose column the database refuses, leaves the page as
it would be without it.
"""
from __future__ import annotations

import logging

import pytest

from core.groups import list_columns
from core.plugins import state as plugin_state
from tests.plugins.fixtures import listcolumns

PLUGIN = "tests.plugins.fixtures.listcolumns"


@pytest.fixture
def app_plugins():
    return [PLUGIN]


@pytest.fixture
def app_config() -> dict:
    """Rendered pages, not cached ones: what the statements carry is what is tested."""
    return {"PAGE_CACHE_BYTES": 0}


@pytest.fixture(autouse=True)
def fresh():
    listcolumns.reset()
    list_columns._BROKEN.clear()
    yield
    listcolumns.reset()
    list_columns._BROKEN.clear()


@pytest.fixture
def scene(app, make_user, make_group, make_post, make_comment, member):
    author = make_user("author")
    group = make_group(slug="allotment", name="Allotment", owner=author, members=(member,))
    posts = [make_post(group, author, f"Beans are up {n}") for n in range(3)]
    comments = [make_comment(posts[0], author, f"Comment {n}") for n in range(2)]
    plugin_state.set_enabled("listcolumns", True)
    return {"group": group, "posts": posts, "comments": comments}


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def test_every_post_of_the_feed_gets_its_value_from_the_feed_statement(scene, member_client):
    page = _page(member_client, "/g/allotment")
    for post in scene["posts"]:
        assert f"value {post.id}={post.id + 1000}" in page
    assert ("post", "allotment") in listcolumns.CALLS


def test_a_pinned_post_gets_its_value_too(scene, member_client, app):
    from core.extensions import db
    from core.models.base import utcnow

    pinned = scene["posts"][1]
    pinned.pinned_at = utcnow()
    db.session.commit()
    assert f"value {pinned.id}={pinned.id + 1000}" in _page(member_client, "/g/allotment")


def test_a_post_page_gets_the_values_of_the_post_and_of_its_comments(scene, member_client):
    post = scene["posts"][0]
    page = _page(member_client, f"/g/allotment/p/{post.id}")
    for comment in scene["comments"]:
        assert f"value {comment.id}={comment.id + 1000}" in page
    assert ("post", None) in listcolumns.CALLS  # the post's statement finds its group itself
    assert ("comment", "allotment") in listcolumns.CALLS


def test_visitors_lists_carry_the_column_too(scene, client):
    post = scene["posts"][2]
    assert f"value {post.id}={post.id + 1000}" in _page(client, "/g/allotment")


def test_the_column_costs_no_statement_of_its_own(scene, member_client, count_queries):
    post = scene["posts"][0]
    urls = ["/g/allotment", f"/g/allotment/p/{post.id}"]

    def counts() -> list[int]:
        found = []
        for url in urls:
            _page(member_client, url)  # warm
            with count_queries() as statements:
                _page(member_client, url)
            found.append(len(statements))
        return found

    with_column = counts()
    listcolumns.MODE.append("none")
    assert counts() == with_column


def test_a_hook_that_raises_leaves_the_feed_and_the_post_page_whole(scene, member_client, caplog):
    listcolumns.MODE.append("raise")
    post = scene["posts"][0]
    with caplog.at_level(logging.ERROR, logger="commonground.plugins"):
        feed = _page(member_client, "/g/allotment")
        post_page = _page(member_client, f"/g/allotment/p/{post.id}")
    assert all(f"Beans are up {n}" in feed for n in range(3))
    assert f"value {post.id} missing" in feed
    assert "Comment 1" in post_page and f"value {scene['comments'][1].id} missing" in post_page
    assert "listcolumns failed in hook list_columns" in caplog.text


def test_a_column_the_database_refuses_leaves_the_feed_whole_and_is_not_asked_again(scene, member_client, caplog,
                                                                                    count_queries):
    listcolumns.MODE.append("refused")
    post = scene["posts"][0]
    with caplog.at_level(logging.ERROR, logger="commonground.plugins"):
        feed = _page(member_client, "/g/allotment")
    assert all(f"Beans are up {n}" in feed for n in range(3))
    assert f"value {post.id} missing" in feed
    assert "listcolumns" in caplog.text and "failed in the database" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.ERROR, logger="commonground.plugins"):
        again = _page(member_client, "/g/allotment")
    assert f"value {post.id} missing" in again and "failed in the database" not in caplog.text


def test_a_refused_column_leaves_the_post_page_and_its_comments_whole(scene, member_client):
    listcolumns.MODE.append("refused")
    post = scene["posts"][0]
    page = _page(member_client, f"/g/allotment/p/{post.id}")
    assert "Beans are up 0" in page and "Comment 0" in page and "Comment 1" in page


def test_a_plugin_switched_off_adds_no_column(scene, member_client):
    _page(member_client, "/g/allotment")
    plugin_state.set_enabled("listcolumns", False)
    listcolumns.reset()
    page = _page(member_client, "/g/allotment")
    assert listcolumns.CALLS == [] and "listcolumns" not in page


def test_values_are_kept_only_for_the_request_that_listed_them(scene, app, member_client):
    _page(member_client, "/g/allotment")
    with app.test_request_context("/"):
        assert list_columns.list_values("listcolumns", "post") == {}
