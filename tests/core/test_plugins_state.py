"""Plugin state: per site and per group, seen by every worker on its next request;
disabled means gone (routes, navigation, tabs, slots, hooks) and back with its data."""
from __future__ import annotations

import pytest

from core.extensions import db
from core.plugins import get_plugins
from core.plugins import settings as plugin_settings
from core.plugins import state as plugin_state
from tests.plugins.fixtures import grouptab, recorder

GROUPTAB = "tests.plugins.fixtures.grouptab"
RECORDER = "tests.plugins.fixtures.recorder"


@pytest.fixture
def app_plugins():
    return [GROUPTAB, RECORDER]


@pytest.fixture
def notes(app):
    """The grouptab plugin's own table, with a helper to add a note."""
    grouptab.create_tables()
    grouptab.CALLS.clear()
    recorder.reset()

    def add(group, text):
        db.session.execute(grouptab.notes.insert().values(group_id=group.id, text=text))
        db.session.commit()

    yield add
    db.session.remove()
    grouptab.drop_tables()


@pytest.fixture
def group(make_group, member, make_user):
    return make_group(slug="allotment", name="Allotment friends", members=(member,),
                      owner=make_user("owner"))


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def test_plugins_start_disabled_and_their_pages_answer_404(app, client, group, notes):
    assert get_plugins().enabled_ids() == []
    assert client.get("/grouptab/").status_code == 404
    assert client.get(f"/g/{group.slug}/notes").status_code == 404
    assert client.get("/recorder/ping").status_code == 404


def test_enabling_in_one_worker_is_seen_by_another_on_its_next_request(app, make_app, site_admin, login, group,
                                                                       notes):
    other = make_app()
    other_client = other.test_client()
    assert other_client.get("/recorder/ping").status_code == 404
    assert "Recorder link" not in page(other_client, "/")

    admin = login(app.test_client(), site_admin)
    assert admin.post("/admin/plugins/recorder/enable").status_code == 302

    assert other_client.get("/recorder/ping").get_data(as_text=True) == "pong"
    assert "Recorder link" in page(other_client, "/")

    # ... and the other way round: the second worker disables, the first notices.
    other_admin = login(other.test_client(), site_admin)
    assert other_admin.post("/api/v1/plugins/recorder/disable").status_code == 200
    assert app.test_client().get("/recorder/ping").status_code == 404


def test_group_switch_in_one_worker_reaches_the_other(app, make_app, group, member, login, notes):
    plugin_state.set_enabled("grouptab", True)
    other_member = login(make_app().test_client(), member)
    assert other_member.get(f"/g/{group.slug}/notes").status_code == 404
    plugin_state.set_group_enabled("grouptab", group, True)
    assert other_member.get(f"/g/{group.slug}/notes").status_code == 200


def test_settings_saved_in_one_worker_apply_in_the_other(app, make_app, group, member, login, notes):
    plugin_state.set_enabled("grouptab", True)
    plugin_state.set_group_enabled("grouptab", group, True)
    other_member = login(make_app().test_client(), member)
    assert ">Notes<" in page(other_member, f"/g/{group.slug}")
    plugin_settings.save_settings("grouptab", {"title": "Pinboard"})
    assert ">Pinboard<" in page(other_member, f"/g/{group.slug}")


def test_disabled_plugin_is_gone_everywhere_and_comes_back_with_its_data(app, member_client, member, group,
                                                                         notes):
    notes(group, "Water the beans on Friday")
    plugin_state.set_enabled("grouptab", True)
    plugin_state.set_group_enabled("grouptab", group, True)
    grouptab.CALLS.clear()

    html = page(member_client, f"/g/{group.slug}")
    assert f'href="/g/{group.slug}/notes"' in html  # the group tab
    assert "Pinned notes for Allotment friends" in html  # group sidebar slot
    assert "Notes overview" in html  # navigation item
    assert "grouptab footer" in html  # footer slot
    assert "Water the beans on Friday" in page(member_client, f"/g/{group.slug}/notes")
    assert member_client.get("/grouptab/static/grouptab.css").status_code == 200
    member_client.post(f"/g/{group.slug}/posts", data={"body": "First beans!"})
    assert len(grouptab.CALLS) == 1 and grouptab.CALLS[0].startswith("post_created:")

    plugin_state.set_enabled("grouptab", False)
    grouptab.CALLS.clear()

    html = page(member_client, f"/g/{group.slug}")
    assert f'href="/g/{group.slug}/notes"' not in html
    assert "Pinned notes" not in html
    assert "Notes overview" not in html
    assert "grouptab footer" not in html
    assert member_client.get(f"/g/{group.slug}/notes").status_code == 404
    assert member_client.get("/grouptab/").status_code == 404
    assert member_client.get("/grouptab/static/grouptab.css").status_code == 404
    member_client.post(f"/g/{group.slug}/posts", data={"body": "More beans"})
    assert grouptab.CALLS == []  # its hooks are not called

    stored = db.session.execute(db.select(grouptab.notes.c.text)).scalars().all()
    assert stored == ["Water the beans on Friday"]

    plugin_state.set_enabled("grouptab", True)
    html = page(member_client, f"/g/{group.slug}")
    assert f'href="/g/{group.slug}/notes"' in html  # the group's own switch was kept
    assert "Water the beans on Friday" in page(member_client, f"/g/{group.slug}/notes")


def test_group_scope_plugin_shows_only_in_groups_that_switched_it_on(app, client, make_group, group, notes):
    quiet = make_group(slug="quiet-corner")
    plugin_state.set_enabled("grouptab", True)
    plugin_state.set_group_enabled("grouptab", group, True)

    assert "Pinned notes" in page(client, f"/g/{group.slug}")
    html = page(client, f"/g/{quiet.slug}")
    assert "Pinned notes" not in html
    assert f'href="/g/{quiet.slug}/notes"' not in html
    assert client.get(f"/g/{quiet.slug}/notes").status_code == 404
    assert client.get(f"/g/{group.slug}/notes").status_code == 200


def test_group_scope_plugin_hears_events_only_from_groups_that_switched_it_on(app, member_client, member,
                                                                               make_group, group, notes):
    quiet = make_group(slug="quiet-corner", members=(member,))
    plugin_state.set_enabled("grouptab", True)
    plugin_state.set_group_enabled("grouptab", group, True)
    grouptab.CALLS.clear()
    member_client.post(f"/g/{quiet.slug}/posts", data={"body": "Elsewhere"})
    assert grouptab.CALLS == []
    member_client.post(f"/g/{group.slug}/posts", data={"body": "Here"})
    assert len(grouptab.CALLS) == 1


def test_a_group_cannot_switch_on_a_plugin_that_is_disabled_site_wide(app, group):
    with pytest.raises(plugin_state.NotEnabledSiteWide):
        plugin_state.set_group_enabled("grouptab", group, True)
    assert get_plugins().is_enabled("grouptab", group) is False


def test_a_site_scope_plugin_cannot_be_switched_per_group(app, group):
    plugin_state.set_enabled("recorder", True)
    with pytest.raises(plugin_state.NotGroupScoped):
        plugin_state.set_group_enabled("recorder", group, True)


def test_unknown_plugin_ids_are_refused(app, group):
    with pytest.raises(plugin_state.UnknownPlugin):
        plugin_state.set_enabled("nope", True)
    with pytest.raises(plugin_state.UnknownPlugin):
        plugin_state.set_group_enabled("nope", group, True)


def test_lifecycle_hooks_are_called_on_the_plugin_concerned(app, group, notes):
    plugin_state.set_enabled("grouptab", True)
    plugin_state.set_group_enabled("grouptab", group, True)
    plugin_state.set_group_enabled("grouptab", group, False)
    plugin_state.set_enabled("grouptab", False)
    assert grouptab.CALLS == ["enabled:grouptab:-", f"enabled:grouptab:{group.slug}",
                              f"disabled:grouptab:{group.slug}", "disabled:grouptab:-"]
    assert recorder.calls("plugin_enabled") == []  # the recorder is not the plugin concerned


def test_repeating_a_change_changes_nothing(app):
    from core.models import StateVersion

    assert plugin_state.set_enabled("recorder", True) is True
    version = db.session.get(StateVersion, 1).version
    assert plugin_state.set_enabled("recorder", True) is False
    db.session.expire_all()
    assert db.session.get(StateVersion, 1).version == version


def test_an_unchanged_state_costs_one_query_per_request(app, client, count_queries):
    plugin_state.set_enabled("recorder", True)
    client.get("/recorder/ping")
    with count_queries() as queries:
        assert client.get("/recorder/ping").status_code == 200
    assert len(queries) == 1 and "state_version" in queries[0]


def test_settings_default_to_the_schema_and_survive_disabling(app):
    assert plugin_settings.get_settings("grouptab")["title"] == "Notes"
    plugin_settings.save_settings("grouptab", {"title": "Pinboard", "max_notes": "7"})
    assert plugin_settings.get_settings("grouptab")["max_notes"] == 7
    plugin_state.set_enabled("grouptab", True)
    plugin_state.set_enabled("grouptab", False)
    assert plugin_settings.get_settings("grouptab")["title"] == "Pinboard"


def test_stored_settings_the_schema_no_longer_accepts_fall_back_to_defaults(app, caplog):
    from core.models import PluginState

    db.session.add(PluginState(plugin_id="grouptab", enabled=False, settings={"max_notes": 5000, "title": "Kept"}))
    plugin_state.bump_version()
    db.session.commit()
    get_plugins().refresh()
    settings = plugin_settings.get_settings("grouptab")
    assert settings["max_notes"] == 10 and settings["title"] == "Kept"
    assert "no longer valid" in caplog.text


def test_settings_are_validated_by_the_plugin_schema(app):
    from marshmallow import ValidationError

    with pytest.raises(ValidationError) as raised:
        plugin_settings.save_settings("grouptab", {"max_notes": 0, "contact": "not-an-email"})
    assert set(raised.value.messages) == {"max_notes", "contact"}
    assert plugin_settings.get_settings("grouptab")["max_notes"] == 10


@pytest.mark.plugins("tests.plugins.fixtures.noop")
def test_a_plugin_without_a_schema_has_no_settings_to_save(app):
    with pytest.raises(plugin_settings.NoSettings):
        plugin_settings.save_settings("noop", {"anything": 1})
    assert plugin_settings.get_settings("noop") == {}
    with pytest.raises(plugin_state.UnknownPlugin):
        plugin_settings.save_settings("absent", {})


def test_a_plugin_may_start_enabled_until_an_admin_disables_it(make_app):
    import types

    from core.plugins import PluginMeta

    eager = types.ModuleType("cg_eager")
    eager.META = PluginMeta(id="eager", name="Eager", version="1", default_enabled=True)
    other = make_app(plugins=[eager])
    with other.app_context():
        assert get_plugins(other).enabled_ids() == ["eager"]
        plugin_state.set_enabled("eager", False)
        assert get_plugins(other).enabled_ids() == []
        get_plugins(other).refresh(force=True)
        assert get_plugins(other).enabled_ids() == []
