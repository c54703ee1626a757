"""Search in headless Chromium, JavaScript off: the header's search box and the search page.

Mia belongs to the public Community Garden, not to the private Seed Vault. She searches from
the header, finds the post in her group (the match highlighted), and does not find the one in
the private group, though both mention tomatoes; she narrows the results to posts and pages on.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.header import expect_logged_in

PASSWORD = "correct horse battery"
SCREENSHOTS = Path("/tmp/commonground-browser")
NO_JS = {"java_script_enabled": False}


@pytest.fixture
def world(make_user, make_group, make_post):
    mia = make_user("mia", display_name="Mia Member")
    olga = make_user("olga", display_name="Olga Owner")
    garden = make_group(owner=olga, slug="garden", name="Community Garden", description="Beds and tomatoes",
                        members=(mia,))
    vault = make_group(owner=olga, slug="vault", name="Seed Vault", visibility="private")
    mine = make_post(garden, olga, "Our **tomato** seedlings are ready to share. Who wants some?")
    hidden = make_post(vault, olga, "The secret tomato stash is behind the shed")
    return {"mia": mia, "mine": mine, "hidden": hidden}


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("Email or username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect_logged_in(page)


def test_a_member_finds_a_post_in_her_group_and_nothing_from_a_private_group(live_server, new_page, world):
    page = new_page(**NO_JS)
    log_in(page, live_server, "mia")
    header_search = page.get_by_role("search", name="Site search")
    header_search.get_by_label("Search for").fill("tomatoes")
    header_search.get_by_role("button", name="Search").click()

    expect(page.get_by_role("heading", name="Search", level=1)).to_be_visible()
    results = page.locator(".search-results > li")
    expect(results.filter(has_text="seedlings are ready")).to_have_count(1)
    expect(page.locator("mark", has_text="tomato").first).to_be_visible()
    expect(page.get_by_text("secret tomato stash")).to_have_count(0)
    expect(results.filter(has_text="Seed Vault")).to_have_count(0)
    expect(results.filter(has_text="Beds and tomatoes")).to_have_count(1)  # the group itself
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "search-results.png"), full_page=True)

    search_form = page.get_by_role("search", name="Search and filter")
    search_form.get_by_label("Show").select_option(label="Posts")
    search_form.get_by_role("button", name="Search").click()
    expect(results).to_have_count(1)
    results.get_by_role("link", name="Post by Olga Owner").click()
    expect(page).to_have_url(f"{live_server}/g/garden/p/{world['mine'].id}")
    assert page.goto(f"{live_server}/g/vault/p/{world['hidden'].id}").status == 404


def test_search_fits_a_phone_and_the_page_speaks_german(live_server, new_page, world):
    page = new_page(locale="de-DE", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    assert page.goto(live_server + "/search?q=Tomatoes").status == 200
    expect(page.get_by_role("heading", name="Suchen", level=1)).to_be_visible()
    expect(page.locator(".search-results > li")).to_have_count(2)  # visitors: the public group and its post
    expect(page.get_by_text("secret tomato stash")).to_have_count(0)
    width, layout, scroll = page.evaluate(
        "[window.innerWidth, document.documentElement.clientWidth, document.documentElement.scrollWidth]")
    assert (width, layout) == (360, 360) and scroll <= layout
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "search-phone-de.png"), full_page=True)
