"""A member plans a meet-up with the Events example (a group-scope plugin) in the browser, CSRF on,
without JavaScript: the tab inside the group, the form refusing a past time at its field, the
event's page with who is going. At desktop and phone width."""
from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from core.models.base import utcnow
from core.plugins import state as plugin_state
from tests.browser.test_plugin_admin_flow import PASSWORD, group_tabs, log_in


@pytest.fixture
def app_plugins():
    return ["commonground_events"]


@pytest.fixture
def group(app, make_user, make_group):
    member = make_user("mia", password=PASSWORD, display_name="Mia Member")
    group = make_group(owner=make_user("olga"), slug="garden", name="Garden club", members=(member,))
    plugin_state.set_enabled("events", True)
    plugin_state.set_group_enabled("events", group, True)
    return group


@pytest.mark.parametrize("width", [1280, 360])
def test_member_adds_an_event_on_the_groups_events_tab(live_server, new_page, group, width):
    page = new_page(viewport={"width": width, "height": 900}, java_script_enabled=False)
    log_in(page, live_server, "mia", "Mia Member")
    page.goto(live_server + "/g/garden")
    group_tabs(page).get_by_role("link", name="Events").click()
    expect(page.get_by_role("heading", name="Coming up")).to_be_visible()
    expect(group_tabs(page).get_by_role("link", name="Events")).to_have_attribute("aria-current", "page")

    page.get_by_label("Title").fill("Seed swap")
    page.get_by_label("Starts").fill((utcnow() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Where").fill("Allotment gate")
    page.get_by_role("button", name="Add event").click()
    starts = page.get_by_label("Starts")
    expect(starts).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#starts_at-error")).to_have_text("Choose a time in the future.")
    expect(page.get_by_label("Title")).to_have_value("Seed swap")
    page.screenshot(path=f"/tmp/cg-events-form-error-{width}.png", full_page=True)

    starts.fill((utcnow() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Add event").click()
    expect(page.get_by_text("Your event is added. You are going.")).to_be_visible()
    expect(page.get_by_role("heading", name="Seed swap")).to_be_visible()
    expect(page.get_by_role("heading", name="1 going")).to_be_visible()
    expect(group_tabs(page).get_by_role("link", name="Events")).to_have_attribute("aria-current", "page")
    page.screenshot(path=f"/tmp/cg-events-event-{width}.png", full_page=True)

    page.get_by_role("button", name="I am not going").click()
    expect(page.get_by_role("heading", name="0 going")).to_be_visible()
    page.get_by_role("link", name="All events").click()
    expect(page.get_by_role("link", name="Seed swap")).to_be_visible()
    page.screenshot(path=f"/tmp/cg-events-tab-{width}.png", full_page=True)
