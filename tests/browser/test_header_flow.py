"""The site header in headless Chromium, JavaScript off: one compact row on a phone, a full row on a desktop.

At 360 px the header is the site's name, a search icon, the notification bell with its count and
a "Menu" disclosure (a ``<details>``, so no JavaScript is needed); the menu opens with the keyboard
and reaches Settings and a plugin's navigation item (Messages). On a desktop the search box and
every link show at once and "Menu" does not. Screenshots go to /tmp/commonground-header/.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.header import expect_logged_in

PASSWORD = "correct horse battery"
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True,
         "java_script_enabled": False}
DESKTOP = {"viewport": {"width": 1280, "height": 800}, "java_script_enabled": False}
SHOTS = Path("/tmp/commonground-header")

pytestmark = pytest.mark.plugins("plugins.conversations")


@pytest.fixture
def ada(app, enable_plugin, make_user, make_group, make_post, csrf_client):
    """Ada, with a long name, in a group with Bob: one unread notification and one unread message."""
    from core.notify import notify

    enable_plugin("conversations")
    ada = make_user("ada", display_name="Ada Augusta Lovelace-King", password=PASSWORD)
    bob = make_user("bob", display_name="Bob Gardener")
    group = make_group(owner=bob, slug="garden", name="Community Garden", members=(ada,))
    make_post(group, bob, "Welcome to the garden")
    notify(ada, "new_post", actor=bob, group=group, url="/g/garden")
    from core.extensions import db

    db.session.commit()
    sent = csrf_client(bob).post("/messages/new", data={"recipients": "ada", "body": "Hi Ada"})
    assert sent.status_code == 302
    return ada


def log_in(page: Page, base: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("Email or username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect_logged_in(page)


def header_height(page: Page) -> float:
    return page.locator("body > header .header-row").bounding_box()["height"]


def line_height(page: Page) -> float:
    """One row of header controls: a 44 px tap target plus the row's padding."""
    return 44 + 16


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def test_on_a_phone_the_header_is_one_row_with_search_notifications_and_a_menu(live_server, new_page, ada):
    page = new_page(**PHONE)
    log_in(page, live_server)
    page.goto(live_server + "/g/garden")
    header = page.get_by_role("banner")
    nav = page.get_by_role("navigation", name="Main")
    assert header_height(page) <= 2 * line_height(page), "the header takes more than two rows"
    expect(nav.get_by_role("link", name="Search")).to_be_visible()
    expect(nav.get_by_role("link", name=re.compile("Notifications"))).to_be_visible()
    expect(nav.get_by_role("link", name=re.compile("Notifications")).locator(".badge")).to_have_text("1")
    expect(header.get_by_role("search")).to_be_hidden()
    expect(nav.get_by_role("link", name="Settings")).to_be_hidden()  # behind the menu until it opens
    expect(page.locator("details.nav-menu > summary .menu-count")).to_have_text("1")  # the unread message inside
    width, scroll = page.evaluate("[document.documentElement.clientWidth, document.documentElement.scrollWidth]")
    assert scroll <= width
    shot(page, "phone-closed")


def test_on_a_phone_the_menu_opens_with_the_keyboard_and_reaches_settings_and_plugin_items(
        live_server, new_page, ada):
    page = new_page(**PHONE)
    log_in(page, live_server)
    page.goto(live_server + "/g/garden")
    menu = page.locator("details.nav-menu > summary")
    expect(menu).to_have_accessible_name(re.compile("Menu"))
    menu.focus()
    page.keyboard.press("Enter")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Messages")).to_be_visible()
    expect(nav.get_by_role("link", name="Settings")).to_be_visible()
    shot(page, "phone-open")
    # Tab from the menu's button walks its links in order, down to Settings.
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Settings":
            break
    else:
        pytest.fail("Tab never reached Settings in the open menu")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/settings/profile$"))
    expect(page.locator("details.nav-menu")).not_to_have_attribute("open", "")  # a new page: closed again


def test_on_a_phone_the_menu_closes_again_from_its_button(live_server, new_page, ada):
    page = new_page(**PHONE)
    log_in(page, live_server)
    menu = page.locator("details.nav-menu > summary")
    menu.click()
    expect(page.get_by_role("link", name="Messages")).to_be_visible()
    menu.click()
    expect(page.get_by_role("link", name="Messages")).to_be_hidden()


def test_with_javascript_escape_closes_the_menu_and_returns_to_its_button(live_server, new_page, ada):
    page = new_page(**{**PHONE, "java_script_enabled": True})
    log_in(page, live_server)
    page.wait_for_load_state("domcontentloaded")  # menu.js is deferred: it listens from here on
    summary = page.locator("details.nav-menu > summary")
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Messages")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("link", name="Messages")).to_be_hidden()
    expect(summary).to_be_focused()
    summary.click()
    page.mouse.click(180, 700)  # a click on the page below the open menu
    expect(page.get_by_role("link", name="Messages")).to_be_hidden()


def test_a_visitor_on_a_phone_sees_log_in_and_finds_sign_up_in_the_menu(live_server, new_page, ada):
    page = new_page(**PHONE, color_scheme="dark")
    page.goto(live_server + "/")
    nav = page.get_by_role("navigation", name="Main")
    assert header_height(page) <= 2 * line_height(page)
    expect(nav.get_by_role("link", name="Log in")).to_have_count(1)  # the other one is the desktop's
    expect(nav.get_by_role("link", name="Sign up")).to_be_hidden()
    page.locator("details.nav-menu > summary").click()
    expect(nav.get_by_role("link", name="Sign up")).to_be_visible()
    expect(nav.get_by_role("link", name="Groups")).to_be_visible()
    shot(page, "phone-visitor-open-dark")


def test_on_a_desktop_everything_shows_at_once_without_a_menu_button(live_server, new_page, ada):
    page = new_page(**DESKTOP)
    log_in(page, live_server)
    page.goto(live_server + "/g/garden")
    header = page.get_by_role("banner")
    nav = page.get_by_role("navigation", name="Main")
    expect(page.locator("details.nav-menu > summary")).to_be_hidden()
    expect(header.get_by_role("search")).to_be_visible()
    for name in ("Groups", "Messages", "Settings"):
        expect(nav.get_by_role("link", name=name)).to_be_visible()
    expect(nav.get_by_role("link", name=re.compile("Notifications"))).to_be_visible()
    expect(nav.get_by_role("link", name="Search")).to_be_hidden()  # the search box is there instead
    assert header_height(page) <= line_height(page) + 8
    shot(page, "desktop")
    nav.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You are logged out.")).to_be_visible()


def test_on_a_phone_log_out_is_in_the_menu(live_server, new_page, ada):
    page = new_page(**PHONE)
    log_in(page, live_server)
    page.locator("details.nav-menu > summary").click()
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You are logged out.")).to_be_visible()
