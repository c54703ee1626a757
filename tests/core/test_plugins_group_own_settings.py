"""A group's own settings for a group feature (hook ``group_settings_schema``): a form on the
group's feature page and the API, for group admins only, validated; a value out of range is
refused naming the plugin and the field, and nothing is stored."""
from __future__ import annotations

import logging

import pytest

from core.extensions import db
from core.models import GroupPluginState
from core.plugins import settings as plugin_settings
from core.plugins import state as plugin_state
from tests.plugins.fixtures import grouptab


@pytest.fixture
def app_plugins():
    return ["tests.plugins.fixtures.grouptab", "tests.plugins.fixtures.recorder"]


@pytest.fixture
def people(make_user):
    return {name: make_user(name) for name in ("owner", "moderator", "plain")}


@pytest.fixture
def group(app, make_group, people):
    grouptab.create_tables()
    group = make_group(owner=people["owner"], slug="allotment", name="Allotment",
                       members=((people["moderator"], "moderator"), people["plain"]))
    plugin_state.set_enabled("grouptab", True)
    plugin_state.set_group_enabled("grouptab", group, True)
    for n in range(8):
        db.session.execute(grouptab.notes.insert().values(group_id=group.id, text=f"note {n}"))
    db.session.commit()
    yield group
    db.session.remove()
    grouptab.drop_tables()


@pytest.fixture
def as_(app, login, people):
    return lambda name: login(app.test_client(), people[name])


def stored(group) -> dict:
    db.session.expire_all()
    row = db.session.scalar(db.select(GroupPluginState).where(GroupPluginState.group_id == group.id))
    return row.settings


def test_the_plugin_reads_its_defaults_until_the_group_sets_its_own(group, as_):
    assert plugin_settings.get_group_settings("grouptab", group) == {"notes_shown": 5, "heading": "Pinned"}
    page = as_("plain").get("/g/allotment/notes").get_data(as_text=True)
    assert page.count("<li>note ") == 5 and "Pinned" in page


def test_group_owner_changes_the_settings_on_the_feature_page(group, as_):
    owner = as_("owner")
    features = owner.get("/g/allotment/plugins").get_data(as_text=True)
    assert 'href="/g/allotment/plugins/grouptab/settings"' in features
    form = owner.get("/g/allotment/plugins/grouptab/settings").get_data(as_text=True)
    assert 'name="notes_shown"' in form and 'value="5"' in form and 'max="20"' in form
    response = owner.post("/g/allotment/plugins/grouptab/settings", data={"notes_shown": "3", "heading": "Beds"},
                          follow_redirects=True)
    assert "The settings of Group notes for this group are saved." in response.get_data(as_text=True)
    assert stored(group) == {"notes_shown": 3, "heading": "Beds"}
    page = as_("plain").get("/g/allotment/notes").get_data(as_text=True)
    assert page.count("<li>note ") == 3 and "Beds" in page


def test_a_value_out_of_range_is_refused_at_its_field_and_nothing_is_stored(group, as_):
    response = as_("owner").post("/g/allotment/plugins/grouptab/settings", data={"notes_shown": "500", "heading": ""})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="notes_shown-error"' in page and 'id="heading-error"' in page
    assert 'value="500"' in page  # what was typed is kept
    assert stored(group) == {}
    assert plugin_settings.get_group_settings("grouptab", group)["notes_shown"] == 5


def test_the_api_refuses_a_value_out_of_range_naming_the_plugin_and_the_field(group, as_):
    response = as_("owner").put("/api/v1/groups/allotment/plugins/grouptab/settings", json={"notes_shown": 0})
    assert response.status_code == 422
    body = response.get_json()
    assert "Group notes (grouptab)" in body["message"]
    assert set(body["errors"]["json"]) == {"notes_shown"}
    assert stored(group) == {}


def test_the_api_reads_and_changes_the_groups_settings(group, as_):
    owner = as_("owner")
    body = owner.get("/api/v1/groups/allotment/plugins/grouptab/settings").get_json()
    assert body["values"] == {"notes_shown": 5, "heading": "Pinned"}
    assert [f["name"] for f in body["fields"]] == ["notes_shown", "heading"]
    changed = owner.put("/api/v1/groups/allotment/plugins/grouptab/settings", json={"heading": "Beds"}).get_json()
    assert changed["values"] == {"notes_shown": 5, "heading": "Beds"}


def test_only_group_admins_see_or_change_them(group, as_, client):
    for who in (as_("moderator"), as_("plain"), client):
        assert who.get("/g/allotment/plugins/grouptab/settings").status_code == 404
        assert who.post("/g/allotment/plugins/grouptab/settings", data={"notes_shown": "2"}).status_code == 404
        assert who.put("/api/v1/groups/allotment/plugins/grouptab/settings", json={"notes_shown": 2}).status_code \
            in (401, 404)
    assert stored(group) == {}


def test_a_feature_without_group_settings_or_off_site_wide_has_no_settings_page(group, as_):
    owner = as_("owner")
    assert owner.get("/g/allotment/plugins/recorder/settings").status_code == 404
    plugin_state.set_enabled("grouptab", False)
    assert owner.get("/g/allotment/plugins/grouptab/settings").status_code == 404


def test_a_stored_value_the_plugin_no_longer_accepts_falls_back_to_its_default_and_is_logged(group, caplog):
    row = db.session.scalar(db.select(GroupPluginState).where(GroupPluginState.group_id == group.id))
    row.settings = {"notes_shown": 99, "heading": "Kept"}
    db.session.commit()
    with caplog.at_level(logging.WARNING, logger="commonground.plugins"):
        assert plugin_settings.get_group_settings("grouptab", group) == {"notes_shown": 5, "heading": "Kept"}
    assert "plugin grouptab: stored settings ['notes_shown'] no longer valid" in caplog.text
