"""``answers_by_role``: navigation items and group tabs remembered per kind of viewer, in the order
a single call gave, beside implementations asked on every page."""
from __future__ import annotations

import re

import pytest

from core.extensions import db
from core.models import Membership
from core.plugins import state as plugin_state
from tests.plugins.fixtures import byrole, byrole_live

PLUGINS = ("tests.plugins.fixtures.byrole_live", "tests.plugins.fixtures.byrole")  # the live one is called first


@pytest.fixture
def app_config() -> dict:
    return {"PAGE_CACHE_BYTES": 0}  # every request renders its navigation and tabs


@pytest.fixture
def app_plugins():
    return list(PLUGINS)


@pytest.fixture(autouse=True)
def switched_on(app):
    plugin_state.set_enabled("byrole", True)
    plugin_state.set_enabled("byrole_live", True)
    byrole.reset()
    byrole_live.CALLS.clear()
    yield
    byrole.reset()
    byrole_live.CALLS.clear()


@pytest.fixture
def group(make_group, member):
    return make_group(slug="allotment", members=(member,))


def labels(html: str, pattern: str) -> list[str]:
    return re.findall(pattern, html)


def nav_of(html: str) -> list[str]:
    return labels(html, r'<li><a href="/byrole/[a-z]+">((?:Zeta|Members|Live)[^<]*)</a></li>')


def tabs_of(html: str) -> list[str]:
    return labels(html, r'<li><a href="/byrole/([a-z]+)"[^>]*>(?:Shared|Staff fixed)<')


def get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def test_marked_answers_are_asked_once_per_kind_of_viewer_and_merged_in_call_order(member_client, group):
    first = get(member_client, "/g/allotment")
    second = get(member_client, "/g/allotment/members")
    assert sorted(byrole.CALLS) == ["group_tabs", "nav_items"]  # once, then remembered
    assert sorted(byrole_live.CALLS) == ["group_tabs", "group_tabs", "nav_items", "nav_items"]  # on every page
    assert nav_of(first) == ["Zeta fixed", "Live 2", "Members fixed"]
    assert nav_of(second) == ["Zeta fixed", "Live 4", "Members fixed"]  # its label changes: asked again
    # the same order and label: the call order decides (the live plugin's first), as one call gave them
    assert tabs_of(first) == tabs_of(second) == ["live", "fixed"]


def test_another_role_in_the_group_gets_its_own_answer(app, member_client, member, group, client):
    assert tabs_of(get(member_client, "/g/allotment")) == ["live", "fixed"]
    membership = db.session.scalar(db.select(Membership).where(Membership.user_id == member.id,
                                                               Membership.group_id == group.id))
    membership.role = "moderator"
    db.session.commit()
    assert tabs_of(get(member_client, "/g/allotment")) == ["staff", "live", "fixed"]
    assert nav_of(get(client, "/g/allotment"))[::2] == ["Zeta fixed"]  # a visitor: no "Members fixed"
    assert len(nav_of(get(client, "/g/allotment"))) == 2
    assert byrole.CALLS.count("group_tabs") == 3


def test_switching_the_plugin_off_and_on_asks_again(member_client, group):
    get(member_client, "/g/allotment")
    plugin_state.set_enabled("byrole", False)
    html = get(member_client, "/g/allotment")
    assert "Zeta fixed" not in html and tabs_of(html) == ["live"]
    plugin_state.set_enabled("byrole", True)
    assert tabs_of(get(member_client, "/g/allotment")) == ["live", "fixed"]
    assert sorted(byrole.CALLS) == ["group_tabs", "group_tabs", "nav_items", "nav_items"]


def test_an_answer_while_a_plugin_failed_is_not_remembered(app, member_client, group):
    app.config["PLUGINS_RAISE_ERRORS"] = False
    byrole.FAIL.append(True)
    assert "Zeta fixed" not in get(member_client, "/g/allotment")
    byrole.FAIL.clear()
    assert "Zeta fixed" in get(member_client, "/g/allotment")
    assert "Zeta fixed" in get(member_client, "/g/allotment")
    assert byrole.CALLS.count("nav_items") == 2
