"""/g/<slug>/plugins: group owners and admins switch group features on and off."""
from __future__ import annotations

import pytest

from core.plugins import get_plugins
from core.plugins import state as plugin_state


@pytest.fixture
def app_plugins():
    return ["tests.plugins.fixtures.grouptab", "tests.plugins.fixtures.recorder"]


@pytest.fixture
def people(make_user):
    return {name: make_user(name) for name in ("owner", "admin", "moderator", "plain", "outsider")}


@pytest.fixture
def group(make_group, people):
    return make_group(owner=people["owner"], slug="allotment", name="Allotment",
                      members=((people["admin"], "admin"), (people["moderator"], "moderator"), people["plain"]))


@pytest.fixture
def as_(app, login, people):
    return lambda name: login(app.test_client(), people[name])


def test_owner_switches_a_site_enabled_group_feature_on_and_off(app, group, as_):
    plugin_state.set_enabled("grouptab", True)
    owner = as_("owner")
    html = owner.get("/g/allotment/plugins").get_data(as_text=True)
    assert "Group notes" in html and "Short notes pinned to a group." in html and "Off for this group" in html
    assert "Recorder" not in html  # site-scope plugins are not group features

    response = owner.post("/g/allotment/plugins/grouptab", data={"enabled": "1"}, follow_redirects=True)
    assert "Group notes is on for this group." in response.get_data(as_text=True)
    assert get_plugins().is_enabled("grouptab", group)

    response = owner.post("/g/allotment/plugins/grouptab", data={"enabled": "0"}, follow_redirects=True)
    assert "off for this group" in response.get_data(as_text=True)
    assert not get_plugins().is_enabled("grouptab", group)


def test_group_admin_may_switch_features(app, group, as_):
    plugin_state.set_enabled("grouptab", True)
    assert as_("admin").post("/g/allotment/plugins/grouptab", data={"enabled": "1"}).status_code == 302
    assert get_plugins().is_enabled("grouptab", group)


@pytest.mark.parametrize("who", ["moderator", "plain", "outsider"])
def test_others_get_404_and_change_nothing(app, group, as_, who):
    plugin_state.set_enabled("grouptab", True)
    client = as_(who)
    assert client.get("/g/allotment/plugins").status_code == 404
    assert client.post("/g/allotment/plugins/grouptab", data={"enabled": "1"}).status_code == 404
    assert not get_plugins().is_enabled("grouptab", group)


def test_visitors_get_404(app, client, group):
    assert client.get("/g/allotment/plugins").status_code == 404


def test_unknown_group_is_404(app, as_, group):
    assert as_("owner").get("/g/nowhere/plugins").status_code == 404


def test_features_not_enabled_site_wide_are_not_offered(app, group, as_):
    owner = as_("owner")
    html = owner.get("/g/allotment/plugins").get_data(as_text=True)
    assert "Group notes" not in html and "No group features are available yet." in html
    assert owner.post("/g/allotment/plugins/grouptab", data={"enabled": "1"}).status_code == 404
    assert owner.post("/g/allotment/plugins/recorder", data={"enabled": "1"}).status_code == 404
    assert owner.post("/g/allotment/plugins/nope", data={"enabled": "1"}).status_code == 404


def test_group_settings_page_links_to_features_for_group_admins(app, group, as_):
    assert 'href="/g/allotment/plugins"' not in as_("owner").get("/g/allotment/settings").get_data(as_text=True)
    plugin_state.set_enabled("grouptab", True)
    assert 'href="/g/allotment/plugins"' in as_("owner").get("/g/allotment/settings").get_data(as_text=True)
    assert 'href="/g/allotment/plugins"' in as_("admin").get("/g/allotment/settings").get_data(as_text=True)


def test_switching_needs_a_csrf_token(make_app, group, people, login):
    plugin_state.set_enabled("grouptab", True)
    other = make_app(WTF_CSRF_ENABLED=True)
    owner = login(other.test_client(), people["owner"])
    assert owner.post("/g/allotment/plugins/grouptab", data={"enabled": "1"}).status_code == 400
    assert not get_plugins().is_enabled("grouptab", group)
