"""A group's owner sets the group's own settings of a feature in the browser (CSRF on): a value out
of range comes back with the message at its field and what was typed kept; a good one is saved
and the feature's tab shows it. Works at phone width without JavaScript."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from core.extensions import db
from core.plugins import state as plugin_state
from tests.browser.test_plugin_admin_flow import PASSWORD, log_in
from tests.plugins.fixtures import grouptab


@pytest.fixture
def app_plugins():
    return ["tests.plugins.fixtures.grouptab"]


@pytest.fixture
def group(app, make_user, make_group):
    grouptab.create_tables()
    owner = make_user("gina", password=PASSWORD, display_name="Gina Owner")
    group = make_group(owner=owner, slug="allotment", name="Allotment friends")
    plugin_state.set_enabled("grouptab", True)
    plugin_state.set_group_enabled("grouptab", group, True)
    for n in range(4):
        db.session.execute(grouptab.notes.insert().values(group_id=group.id, text=f"Bed {n}"))
    db.session.commit()
    yield group
    db.session.remove()
    grouptab.drop_tables()


@pytest.mark.parametrize("width", [1280, 360])
def test_owner_sets_the_groups_own_settings_of_a_feature(live_server, new_page, group, width):
    page = new_page(viewport={"width": width, "height": 900}, java_script_enabled=False)
    log_in(page, live_server, "gina", "Gina Owner")
    page.goto(live_server + "/g/allotment/plugins")
    page.get_by_role("link", name="Settings of Group notes for this group").click()
    expect(page.get_by_role("heading", name="Group notes in Allotment friends")).to_be_visible()
    page.get_by_label("Notes shown").fill("500")
    page.get_by_role("button", name="Save settings").click()
    field = page.get_by_label("Notes shown")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_value("500")
    expect(page.locator("#notes_shown-error")).to_be_visible()
    page.screenshot(path=f"/tmp/cg-group-feature-settings-error-{width}.png", full_page=True)

    page.get_by_label("Notes shown").fill("2")
    page.get_by_label("Heading").fill("Raised beds")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("The settings of Group notes for this group are saved.")).to_be_visible()
    page.goto(live_server + "/g/allotment/notes")
    expect(page.get_by_text("Raised beds")).to_be_visible()
    expect(page.locator(".grouptab-notes li")).to_have_count(2)
    page.screenshot(path=f"/tmp/cg-group-feature-page-{width}.png", full_page=True)
