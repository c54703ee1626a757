"""Fault isolation: a plugin raising in every hook never takes a page down; policy fails closed."""
from __future__ import annotations

import logging

import pytest

from core.extensions import db
from core.models import Comment
from core.permissions import can_interact
from core.plugins import get_plugins
from core.plugins import state as plugin_state


@pytest.fixture
def app_plugins():
    return ["tests.plugins.fixtures.broken", "tests.plugins.fixtures.recorder"]


@pytest.fixture
def scene(app, make_user, make_group, make_post, make_comment, member):
    """A group with a post and a comment; the broken plugin on, also for the group."""
    author = make_user("author")
    group = make_group(slug="allotment", name="Allotment", owner=author, members=(member,))
    post = make_post(group, author, "Beans are *up*")
    make_comment(post, member, "Lovely")
    plugin_state.set_enabled("recorder", True)
    plugin_state.set_enabled("broken", True)
    plugin_state.set_group_enabled("broken", group, True)
    return {"author": author, "group": group, "post": post}


PAGES = ["/", "/g/", "/g/allotment", "/g/allotment/members", "/u/author", "/support"]


@pytest.mark.parametrize("url", PAGES)
def test_core_pages_render_around_a_plugin_that_raises_everywhere(url, scene, member_client, caplog):
    with caplog.at_level(logging.ERROR, logger="commonground.plugins"):
        response = member_client.get(url)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Recorder link" in html  # the working plugin's contribution is still there
    failures = [r.getMessage() for r in caplog.records]
    assert any(m.startswith("plugin broken failed in hook nav_items") for m in failures)
    assert any("plugin broken failed in hook template_slot" in m for m in failures)


def test_post_page_renders_with_content_and_the_working_plugins_parts(scene, member_client):
    response = member_client.get(f"/g/allotment/p/{scene['post'].id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Beans are <em>up</em>" in html and "Lovely" in html
    assert "recorder in post_actions" in html


def test_group_page_keeps_other_tabs_when_one_plugin_fails(scene, member_client, caplog):
    html = member_client.get("/g/allotment").get_data(as_text=True)
    assert "Recorder tab" in html
    assert "plugin broken failed in hook group_tabs" in caplog.text


def test_admin_pages_render_with_the_broken_plugin(scene, admin_client):
    assert admin_client.get("/admin/").status_code == 200
    assert admin_client.get("/admin/plugins").status_code == 200
    assert admin_client.get("/admin/plugins/broken").status_code == 200


def test_events_reach_working_plugins_when_one_fails(scene, member_client):
    from tests.plugins.fixtures import recorder

    recorder.reset()
    response = member_client.post("/g/allotment/posts", data={"body": "Still works"})
    assert response.status_code == 302
    assert [c["body"] for c in recorder.calls("post_created")] == ["Still works"]


def test_a_failing_policy_hook_means_no(scene, member):
    assert can_interact(member, scene["author"]) is False


def test_commenting_is_refused_while_the_policy_fails_and_allowed_once_the_plugin_is_off(scene, member_client):
    url = f"/g/allotment/p/{scene['post'].id}/comments"
    assert member_client.post(url, data={"body": "Let me in"}).status_code == 403
    assert db.session.scalar(db.select(Comment).where(Comment.body_source == "Let me in")) is None
    plugin_state.set_enabled("broken", False)
    assert member_client.post(url, data={"body": "Let me in"}).status_code == 302


def test_a_failing_hidden_user_ids_is_dropped_and_the_feed_still_lists_posts(scene, member_client):
    html = member_client.get("/g/allotment").get_data(as_text=True)
    assert "Beans are <em>up</em>" in html


def test_plugin_authors_can_make_hook_errors_raise_in_their_tests(scene, make_app, member, login):
    from tests.plugins.fixtures.broken import PluginFailure

    strict = make_app(PLUGINS_RAISE_ERRORS=True)
    with strict.app_context(), pytest.raises(PluginFailure):
        get_plugins(strict).call("nav_items", user=member)
