"""A group feature's whole life in the browser, with CSRF on as in production.

The site admin enables the "Group notes" plugin at /admin/plugins, the group's owner
switches it on for the group from the group settings, a member sees its tab on the group
page, then the site admin disables it and the tab is gone on the member's next page load.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.header import main_nav
from tests.plugins.fixtures import grouptab

PASSWORD = "lantern river pebble 42"


@pytest.fixture
def app_plugins():
    return ["tests.plugins.fixtures.grouptab"]


@pytest.fixture
def people(app, make_user, make_group):
    grouptab.create_tables()
    admin = make_user("sam", password=PASSWORD, display_name="Sam Admin", is_site_admin=True)
    owner = make_user("gina", password=PASSWORD, display_name="Gina Owner")
    member = make_user("max", password=PASSWORD, display_name="Max Member")
    make_group(owner=owner, slug="allotment", name="Allotment friends", members=(member,))
    yield {"admin": admin, "owner": owner, "member": member}
    from core.extensions import db

    db.session.remove()
    grouptab.drop_tables()


def log_in(page: Page, base: str, username: str, name: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("Email or username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(main_nav(page).get_by_role("link", name=name)).to_be_visible()


def group_tabs(page: Page):
    return page.get_by_role("navigation", name="Group sections")


def test_admin_enables_a_group_feature_a_group_switches_it_on_and_disabling_removes_it(live_server, new_page,
                                                                                      people):
    admin = new_page()
    log_in(admin, live_server, "sam", "Sam Admin")
    admin.goto(live_server + "/admin/")
    admin.get_by_role("link", name="Enable, disable and configure features").click()
    expect(admin.get_by_role("heading", name="Plugins")).to_be_visible()
    row = admin.locator("#plugin-grouptab")
    expect(row).to_contain_text("Group notes")
    expect(row).to_contain_text("2.1.0")
    expect(row).to_contain_text("Disabled")
    row.get_by_role("button", name="Enable Group notes").click()
    expect(admin.get_by_text("Group notes is enabled.")).to_be_visible()
    expect(admin.locator("#plugin-grouptab")).to_contain_text("Enabled")

    owner = new_page()
    log_in(owner, live_server, "gina", "Gina Owner")
    owner.goto(live_server + "/g/allotment")
    group_tabs(owner).get_by_role("link", name="Settings").click()
    owner.get_by_role("link", name="Features: switch group features on or off").click()
    expect(owner.get_by_text("Off for this group", exact=True)).to_be_visible()
    owner.get_by_role("button", name="Switch on Group notes").click()
    expect(owner.get_by_text("Group notes is on for this group.")).to_be_visible()

    member = new_page()
    log_in(member, live_server, "max", "Max Member")
    member.goto(live_server + "/g/allotment")
    expect(group_tabs(member).get_by_role("link", name="Notes")).to_be_visible()
    group_tabs(member).get_by_role("link", name="Notes").click()
    expect(member.get_by_role("heading", name="Allotment friends")).to_be_visible()  # the group's own header
    expect(member.get_by_role("heading", name="Notes", exact=True)).to_be_visible()
    member.goto(live_server + "/g/allotment")

    admin.get_by_role("button", name="Disable Group notes").click()
    expect(admin.get_by_text("Its data is kept for when you enable it again.")).to_be_visible()

    member.reload()
    expect(group_tabs(member).get_by_role("link", name="Feed")).to_be_visible()
    expect(group_tabs(member).get_by_role("link", name="Notes")).to_have_count(0)
    response = member.goto(live_server + "/g/allotment/notes")
    assert response is not None and response.status == 404
