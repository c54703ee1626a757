"""/api/v1/plugins: list, inspect, enable/disable, settings validated by the plugin's schema;
/api/v1/groups/<slug>/plugins for group admins."""
from __future__ import annotations

import pytest

from core.plugins import get_plugins
from core.plugins import settings as plugin_settings
from core.plugins import state as plugin_state


@pytest.fixture
def app_plugins():
    return ["tests.plugins.fixtures.grouptab", "tests.plugins.fixtures.recorder", "tests.plugins.fixtures.noop"]


@pytest.fixture
def group(make_group, member, make_user):
    return make_group(slug="allotment", owner=make_user("owner"), members=(member,))


@pytest.fixture
def owner_client(app, login, group):
    from core.extensions import db
    from core.models import User

    return login(app.test_client(), db.session.scalar(db.select(User).where(User.username == "owner")))


def test_list_gives_version_description_scope_hooks_and_state(admin_client):
    plugin_state.set_enabled("recorder", True)
    response = admin_client.get("/api/v1/plugins")
    assert response.status_code == 200
    by_id = {p["id"]: p for p in response.json}
    assert set(by_id) == {"grouptab", "recorder", "noop"}
    grouptab = by_id["grouptab"]
    assert grouptab["version"] == "2.1.0" and grouptab["scope"] == "group" and grouptab["enabled"] is False
    assert grouptab["description"] == "Short notes pinned to a group."
    assert "group_tabs" in grouptab["hooks"] and grouptab["has_settings"] is True
    assert by_id["recorder"]["enabled"] is True and by_id["noop"]["has_settings"] is False


def test_get_one_plugin(admin_client):
    response = admin_client.get("/api/v1/plugins/grouptab")
    assert response.status_code == 200 and response.json["name"] == "Group notes"
    assert admin_client.get("/api/v1/plugins/nope").status_code == 404


def test_enable_and_disable(admin_client):
    response = admin_client.post("/api/v1/plugins/recorder/enable")
    assert response.status_code == 200 and response.json["enabled"] is True
    assert get_plugins().is_enabled("recorder")
    response = admin_client.post("/api/v1/plugins/recorder/disable")
    assert response.json["enabled"] is False
    assert admin_client.post("/api/v1/plugins/nope/enable").status_code == 404


def test_visitors_get_401_and_members_404(app, client, member_client):
    assert client.get("/api/v1/plugins").status_code == 401
    assert client.post("/api/v1/plugins/recorder/enable").status_code == 401
    for method, url in (("get", "/api/v1/plugins"), ("get", "/api/v1/plugins/recorder"),
                        ("post", "/api/v1/plugins/recorder/enable"), ("get", "/api/v1/plugins/grouptab/settings"),
                        ("put", "/api/v1/plugins/grouptab/settings")):
        response = getattr(member_client, method)(url, json={"title": "x"})
        assert response.status_code == 404, url
        assert response.is_json
    assert not get_plugins().is_enabled("recorder")


def test_site_admin_with_an_api_token_can_manage_plugins(app, client, site_admin):
    from core.extensions import db
    from core.models import ApiToken

    token, secret = ApiToken.issue(site_admin, "ci")
    db.session.add(token)
    db.session.commit()
    response = client.post("/api/v1/plugins/recorder/enable", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200
    assert get_plugins().is_enabled("recorder")


def test_settings_come_with_their_form_description(admin_client):
    response = admin_client.get("/api/v1/plugins/grouptab/settings")
    assert response.status_code == 200
    assert response.json["values"]["title"] == "Notes" and response.json["values"]["max_notes"] == 10
    fields = {f["name"]: f for f in response.json["fields"]}
    assert fields["max_notes"]["kind"] == "number" and fields["max_notes"]["max"] == 100
    assert fields["colour"]["choices"] == [{"value": "green", "label": "Green"}, {"value": "blue", "label": "Blue"}]
    assert fields["contact"]["kind"] == "email" and fields["homepage"]["kind"] == "url"
    assert fields["show_authors"]["kind"] == "checkbox" and fields["title"]["label"] == "Tab title"
    assert admin_client.get("/api/v1/plugins/noop/settings").status_code == 404


def test_put_changes_only_the_fields_sent(admin_client):
    response = admin_client.put("/api/v1/plugins/grouptab/settings", json={"title": "Pinboard", "max_notes": 3})
    assert response.status_code == 200
    assert response.json["values"]["title"] == "Pinboard" and response.json["values"]["max_notes"] == 3
    assert response.json["values"]["colour"] == "green"
    assert plugin_settings.get_settings("grouptab")["max_notes"] == 3


def test_invalid_settings_answer_422_naming_each_field(admin_client):
    response = admin_client.put("/api/v1/plugins/grouptab/settings",
                                json={"max_notes": 0, "contact": "nobody", "colour": "purple", "surprise": 1})
    assert response.status_code == 422
    errors = response.json["errors"]["json"]
    assert set(errors) == {"max_notes", "contact", "colour", "surprise"}
    assert plugin_settings.get_settings("grouptab")["max_notes"] == 10


def test_settings_body_must_be_a_json_object(admin_client):
    response = admin_client.put("/api/v1/plugins/grouptab/settings", json=["title"])
    assert response.status_code == 422


def test_group_admin_lists_and_switches_group_features(app, owner_client, group):
    assert owner_client.get("/api/v1/groups/allotment/plugins").json == []
    plugin_state.set_enabled("grouptab", True)
    listed = owner_client.get("/api/v1/groups/allotment/plugins").json
    assert listed == [{"id": "grouptab", "name": "Group notes", "version": "2.1.0",
                       "description": "Short notes pinned to a group.", "enabled": False}]
    response = owner_client.post("/api/v1/groups/allotment/plugins/grouptab/enable")
    assert response.status_code == 200 and response.json["enabled"] is True
    assert get_plugins().is_enabled("grouptab", group)
    response = owner_client.post("/api/v1/groups/allotment/plugins/grouptab/disable")
    assert response.json["enabled"] is False


def test_group_features_answer_404_for_members_unknown_groups_and_unavailable_plugins(app, member_client,
                                                                                      owner_client, group):
    plugin_state.set_enabled("grouptab", True)
    assert member_client.get("/api/v1/groups/allotment/plugins").status_code == 404
    assert member_client.post("/api/v1/groups/allotment/plugins/grouptab/enable").status_code == 404
    assert owner_client.get("/api/v1/groups/nowhere/plugins").status_code == 404
    assert owner_client.post("/api/v1/groups/allotment/plugins/recorder/enable").status_code == 404
    assert owner_client.post("/api/v1/groups/allotment/plugins/nope/enable").status_code == 404
    plugin_state.set_enabled("grouptab", False)
    assert owner_client.post("/api/v1/groups/allotment/plugins/grouptab/enable").status_code == 404
    assert not get_plugins().is_enabled("grouptab", group)


def test_plugin_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path in ("/api/v1/plugins", "/api/v1/plugins/{plugin_id}", "/api/v1/plugins/{plugin_id}/settings",
                 "/api/v1/groups/{slug}/plugins", "/api/v1/groups/{slug}/plugins/{plugin_id}/enable"):
        assert path in paths, path
