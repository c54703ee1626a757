"""Ending a session from Settings in headless Chromium, JavaScript off, CSRF on.

Ada logs in on her laptop and, with "remember me", on a borrowed computer. At home she opens
Settings → Sessions, sees both, and ends the other one: the borrowed computer is logged out
and stays logged out, remember-me cookie or not.
"""
from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.header import expect_logged_in

PASSWORD = "lantern river pebble 42"
NO_JS = {"java_script_enabled": False}
SCREENSHOT = "/tmp/commonground-browser/settings-sessions.png"


def log_in(page: Page, base: str, *, remember: bool = False) -> None:
    page.goto(base + "/login")
    page.get_by_label("Email or username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    if remember:
        page.get_by_label("Keep me logged in on this device").check()
    page.get_by_role("button", name="Log in").click()
    expect_logged_in(page)


def test_a_member_ends_the_session_on_a_borrowed_computer(live_server, new_page, make_user):
    make_user("ada", password=PASSWORD, display_name="Ada Lovelace")
    laptop = new_page(**NO_JS)
    borrowed = new_page(**NO_JS)
    log_in(laptop, live_server)
    log_in(borrowed, live_server, remember=True)

    laptop.goto(live_server + "/settings/profile")
    laptop.get_by_role("navigation", name="Settings").get_by_role("link", name="Sessions").click()
    sessions = laptop.get_by_role("list", name="Sessions").get_by_role("listitem")
    expect(sessions).to_have_count(2)
    expect(sessions.first).to_contain_text("This device")
    laptop.screenshot(path=SCREENSHOT, full_page=True)

    sessions.nth(1).get_by_role("button", name="End session").click()
    expect(laptop.get_by_text("The session is ended")).to_be_visible()
    expect(laptop.get_by_role("list", name="Sessions").get_by_role("listitem")).to_have_count(1)

    borrowed.goto(live_server + "/settings/profile")
    expect(borrowed.get_by_role("heading", name="Log in")).to_be_visible()
    borrowed.context.clear_cookies(name="session")
    borrowed.goto(live_server + "/settings/profile")
    expect(borrowed.get_by_role("heading", name="Log in")).to_be_visible()
