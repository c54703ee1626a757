"""/admin/plugins: the list, enable/disable, and the settings form generated from the schema."""
from __future__ import annotations

import re

import pytest

from core.plugins import get_plugins
from core.plugins import settings as plugin_settings
from core.plugins import state as plugin_state


@pytest.fixture
def app_plugins():
    return ["tests.plugins.fixtures.grouptab", "tests.plugins.fixtures.recorder", "tests.plugins.fixtures.noop"]


def field_html(html: str, name: str) -> str:
    """The ``<div class="field ...">`` around the input called ``name``."""
    match = re.search(rf'<div class="field[^"]*">(?:(?!<div class="field).)*?name="{name}".*?</div>', html, re.S)
    assert match, f"no field {name}"
    return match.group(0)


@pytest.mark.parametrize("url", ["/admin/plugins", "/admin/plugins/grouptab", "/admin/plugins/nope"])
def test_members_and_visitors_get_404(url, client, member_client):
    assert client.get(url).status_code == 404
    assert member_client.get(url).status_code == 404


@pytest.mark.parametrize("url", ["/admin/plugins/recorder/enable", "/admin/plugins/recorder/disable",
                                 "/admin/plugins/grouptab/settings"])
def test_members_cannot_change_anything(url, app, member_client):
    assert member_client.post(url, data={"title": "Mine"}).status_code == 404
    assert get_plugins().enabled_ids() == []
    assert plugin_settings.get_settings("grouptab")["title"] == "Notes"


def test_list_shows_every_installed_plugin_with_its_facts(admin_client):
    plugin_state.set_enabled("recorder", True)
    html = admin_client.get("/admin/plugins").get_data(as_text=True)
    row = re.search(r'<tr id="plugin-grouptab">.*?</tr>', html, re.S).group(0)
    assert "Group notes" in row and "2.1.0" in row and "Short notes pinned to a group." in row
    assert "Group" in row and "Disabled" in row
    assert "group_tabs" in row and "template_slot" in row and "settings_schema" in row
    recorder_row = re.search(r'<tr id="plugin-recorder">.*?</tr>', html, re.S).group(0)
    assert "Enabled" in recorder_row and "Site" in recorder_row
    assert 'id="plugin-noop"' in html
    assert 'id="plugin-core"' not in html


def test_enable_and_disable_from_the_list(admin_client):
    response = admin_client.post("/admin/plugins/grouptab/enable", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Group notes is enabled." in html
    assert "on in 0 groups" in html
    assert get_plugins().is_enabled("grouptab")
    html = admin_client.post("/admin/plugins/grouptab/disable", follow_redirects=True).get_data(as_text=True)
    assert "Its data is kept" in html
    assert not get_plugins().is_enabled("grouptab")


def test_enabling_from_the_detail_page_returns_there(admin_client):
    response = admin_client.post("/admin/plugins/noop/enable", data={"next": "detail"})
    assert response.headers["Location"].endswith("/admin/plugins/noop")


def test_unknown_plugin_is_404(admin_client):
    assert admin_client.get("/admin/plugins/nope").status_code == 404
    assert admin_client.post("/admin/plugins/nope/enable").status_code == 404


def test_group_count_is_shown_for_group_plugins(admin_client, make_group):
    plugin_state.set_enabled("grouptab", True)
    for slug in ("one", "two"):
        plugin_state.set_group_enabled("grouptab", make_group(slug=slug), True)
    html = admin_client.get("/admin/plugins/grouptab").get_data(as_text=True)
    assert "on in 2 groups" in html


def test_settings_form_has_an_input_of_the_right_kind_for_every_field(admin_client):
    html = admin_client.get("/admin/plugins/grouptab").get_data(as_text=True)
    title = field_html(html, "title")
    assert 'type="text"' in title and 'value="Notes"' in title and 'maxlength="40"' in title
    assert '<label for="field-title">Tab title' in title and "Shown on the group&#39;s tab." in title
    max_notes = field_html(html, "max_notes")
    assert 'type="number"' in max_notes and 'step="1"' in max_notes and 'min="1"' in max_notes
    assert 'max="100"' in max_notes and 'value="10"' in max_notes and "Notes per page" in max_notes
    assert 'type="checkbox"' in field_html(html, "show_authors") and "checked" in field_html(html, "show_authors")
    assert 'step="any"' in field_html(html, "ratio") and 'value="0.5"' in field_html(html, "ratio")
    colour = field_html(html, "colour")
    assert "<select" in colour and '<option value="green" selected>Green</option>' in colour
    assert '<option value="blue" >Blue</option>' in colour
    assert 'type="email"' in field_html(html, "contact")
    assert 'type="url"' in field_html(html, "homepage")


def test_invalid_settings_are_shown_next_to_their_fields_with_the_values_kept(admin_client):
    form = {"title": "", "max_notes": "lots", "ratio": "2", "colour": "purple", "contact": "nobody",
            "homepage": "not a url", "show_authors": "on"}
    response = admin_client.post("/admin/plugins/grouptab/settings", data=form)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Please correct the marked fields." in html
    for name in ("title", "max_notes", "ratio", "colour", "contact", "homepage"):
        field = field_html(html, name)
        assert f'id="{name}-error"' in field and 'aria-invalid="true"' in field, name
    assert "Not a valid integer." in field_html(html, "max_notes")
    assert "Not a valid email address." in field_html(html, "contact")
    assert 'value="lots"' in field_html(html, "max_notes")
    assert 'value="nobody"' in field_html(html, "contact")
    assert plugin_settings.get_settings("grouptab")["title"] == "Notes"


def test_valid_settings_are_saved_and_shown(admin_client):
    form = {"title": "Pinboard", "max_notes": "25", "ratio": "0.25", "colour": "blue",
            "contact": "garden@example.org", "homepage": "https://garden.example.org"}
    response = admin_client.post("/admin/plugins/grouptab/settings", data=form)
    assert response.status_code == 302
    settings = plugin_settings.get_settings("grouptab")
    assert settings == {"title": "Pinboard", "max_notes": 25, "show_authors": False, "ratio": 0.25,
                        "colour": "blue", "contact": "garden@example.org", "homepage": "https://garden.example.org"}
    html = admin_client.get("/admin/plugins/grouptab").get_data(as_text=True)
    assert "Settings for Group notes are saved." in html
    assert 'value="Pinboard"' in field_html(html, "title")
    assert "checked" not in field_html(html, "show_authors")
    assert '<option value="blue" selected>' in field_html(html, "colour")


def test_settings_can_be_changed_while_the_plugin_is_disabled(admin_client):
    admin_client.post("/admin/plugins/grouptab/settings", data={"title": "Later", "max_notes": "3", "ratio": "0",
                                                                 "colour": "green", "contact": "a@example.org",
                                                                 "homepage": "https://example.org"})
    assert plugin_settings.get_settings("grouptab")["title"] == "Later"
    assert not get_plugins().is_enabled("grouptab")


def test_plugin_without_settings_says_so(admin_client):
    html = admin_client.get("/admin/plugins/noop").get_data(as_text=True)
    assert "This plugin has no settings." in html
    assert admin_client.post("/admin/plugins/noop/settings", data={"x": "1"}).status_code == 404


@pytest.mark.plugins("tests.plugins.fixtures.broken")
def test_plugin_whose_settings_hook_fails_still_gets_its_admin_page(admin_client):
    response = admin_client.get("/admin/plugins/broken")
    assert response.status_code == 200
    assert "settings could not be loaded" in response.get_data(as_text=True)
    assert admin_client.post("/admin/plugins/broken/enable").status_code == 302
    assert admin_client.get("/admin/plugins").status_code == 200


def test_blocked_and_failed_plugins_are_listed_for_the_admin(make_app, site_admin, login):
    other = make_app(plugins=["tests.plugins.fixtures.noop"], PLUGINS_BLOCKED=["noop", "ghost"])
    get_plugins(other).failed["shaky"] = "ImportError: No module named 'shakylib'"
    html = login(other.test_client(), site_admin).get("/admin/plugins").get_data(as_text=True)
    assert "ghost" in html and "blocked by configuration" in html
    assert "shaky" in html and "No module named" in html


def test_admin_dashboard_links_to_the_plugins_page(admin_client):
    html = admin_client.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/plugins"' in html


def test_plugins_page_reads_in_few_queries_and_never_writes(admin_client, count_queries):
    plugin_state.set_enabled("grouptab", True)
    admin_client.get("/admin/plugins")
    with count_queries() as queries:
        assert admin_client.get("/admin/plugins").status_code == 200
        assert admin_client.get("/admin/plugins/grouptab").status_code == 200
    assert len(queries) <= 2 * 6
    assert not [q for q in queries if q.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


def test_forged_enable_without_csrf_token_is_refused(make_app, site_admin, login):
    other = make_app(WTF_CSRF_ENABLED=True)
    admin = login(other.test_client(), site_admin)
    assert admin.post("/admin/plugins/recorder/enable").status_code == 400
    assert not get_plugins(other).is_enabled("recorder")
