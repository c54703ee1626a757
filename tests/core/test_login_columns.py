"""``login_columns``: a plugin's values about the member read by the statement that loads their
login (no statement of its own per page), fresh on every request, and a broken contribution
never breaking log-in."""
from __future__ import annotations

import re

import pytest

from core.auth import login_columns
from core.extensions import db
from core.models import Post
from core.plugin_api import login_values
from core.plugins import state as plugin_state
from tests.plugins.fixtures import loginbadge

BADGE = re.compile(r">Badge ([^<]+)</a>")


@pytest.fixture
def app_config() -> dict:
    return {"PAGE_CACHE_BYTES": 0}


@pytest.fixture
def app_plugins():
    return ["tests.plugins.fixtures.loginbadge"]


@pytest.fixture(autouse=True)
def switched_on(app):
    plugin_state.set_enabled("loginbadge", True)
    loginbadge.reset()
    yield
    loginbadge.reset()


@pytest.fixture
def wrote_two(make_group, make_post, member):
    group = make_group(slug="allotment", members=(member,))
    make_post(group, member, "one")
    make_post(group, member, "two")
    return group


def badge(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Log out" in html or "logout" in html  # still logged in
    found = BADGE.search(html)
    assert found is not None, html
    return found.group(1)


def login_statements(statements: list[str]) -> list[str]:
    return [s for s in statements if "AS cg_u_id" in s]


def test_the_value_is_read_by_the_login_statement(member_client, wrote_two, count_queries):
    member_client.get("/")
    with count_queries() as statements:
        assert badge(member_client) == "2"
    (login,) = login_statements(statements)
    assert "count(posts.id)" in login
    assert sum("count(posts.id)" in s for s in statements) == 1


def test_the_value_is_fresh_on_the_next_request(member_client, wrote_two, make_post, member):
    assert badge(member_client) == "2"
    make_post(wrote_two, member, "three")
    assert badge(member_client) == "3"


def test_the_plugin_is_asked_with_the_member_being_logged_in(member_client, member):
    member_client.get("/")
    assert loginbadge.ASKED == [member.id]


def test_the_plugin_is_asked_once_per_member_and_plugin_state(member_client, wrote_two, make_post, member):
    assert badge(member_client) == "2"
    make_post(wrote_two, member, "three")
    assert badge(member_client) == "3", "the remembered statement reads afresh on every page"
    assert loginbadge.ASKED == [member.id]
    plugin_state.set_enabled("loginbadge", False)
    plugin_state.set_enabled("loginbadge", True)
    assert badge(member_client) == "3"
    assert loginbadge.ASKED == [member.id, member.id]


def test_an_answer_during_which_the_plugin_failed_is_asked_again(member_client, wrote_two, member):
    loginbadge.MODE[:] = ["raise"]
    assert badge(member_client) == "unread"
    loginbadge.MODE[:] = ["ok"]
    assert badge(member_client) == "2"
    assert loginbadge.ASKED == [member.id, member.id]


def test_an_unchanged_answer_reuses_the_combined_statement(member_client, wrote_two):
    badge(member_client)
    built = dict(login_columns._COMBINED.found)
    badge(member_client)
    assert login_columns._COMBINED.found == built


def test_visitors_run_no_login_statement_and_ask_no_plugin(client):
    assert client.get("/").status_code == 200
    assert loginbadge.ASKED == []


def test_a_hook_that_raises_leaves_log_in_working(member_client, wrote_two):
    loginbadge.MODE[:] = ["raise"]
    assert badge(member_client) == "unread"


def test_a_value_that_is_not_sql_is_left_out(member_client, wrote_two):
    loginbadge.MODE[:] = ["not_sql"]
    assert badge(member_client) == "unread"


def test_a_column_the_database_refuses_leaves_log_in_working(member_client, wrote_two, count_queries):
    loginbadge.MODE[:] = ["db_error"]
    assert badge(member_client) == "unread"
    with count_queries() as statements:
        assert badge(member_client) == "unread"
    assert not any("loginbadge_no_such_column" in s for s in statements)  # not tried again


def test_a_refused_plugin_is_tried_again_once_the_plugin_state_changes(member_client, wrote_two):
    loginbadge.MODE[:] = ["db_error"]
    assert badge(member_client) == "unread"
    loginbadge.MODE[:] = ["ok"]
    assert badge(member_client) == "unread"
    plugin_state.set_enabled("loginbadge", False)
    plugin_state.set_enabled("loginbadge", True)
    assert badge(member_client) == "2"


def test_values_belong_to_the_member_they_were_read_for(app, member, make_user):
    other = make_user("other")
    with app.test_request_context("/"):
        login_columns.keep(member.id, (("loginbadge", "posts"),), (2,))
        assert login_values("loginbadge", member) == {"posts": 2}
        assert login_values("loginbadge", other) is None
        assert login_values("someone_else", member) is None


def test_values_are_forgotten_once_the_request_writes(app, member, make_group):
    group = make_group(slug="allotment", members=(member,))
    with app.test_request_context("/"):
        login_columns.keep(member.id, (("loginbadge", "posts"),), (2,))
        db.session.add(Post(group_id=group.id, author_id=member.id, body_source="x", body_html="<p>x</p>"))
        db.session.flush()
        assert login_values("loginbadge", member) is None
    db.session.rollback()


def test_the_json_api_asks_no_plugin(member_client):
    assert member_client.get("/api/v1/me").status_code == 200
    assert loginbadge.ASKED == []
