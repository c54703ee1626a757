"""The site header as tests meet it: on a phone most links sit behind "Menu" (a closed ``<details>``,
whose contents are neither visible nor in the accessibility tree until it opens)."""
from __future__ import annotations

from playwright.sync_api import Locator, Page, expect


def main_nav(page: Page, name: str = "Main") -> Locator:
    """The header's navigation (``name``: its label in the page's language), with its menu opened
    first when it is closed (on a phone)."""
    open_menu(page)
    return page.get_by_role("navigation", name=name)


def open_menu(page: Page) -> None:
    """Open the phone's "Menu" disclosure; nothing to do on a desktop, where its links always show."""
    page.wait_for_load_state()  # the stylesheet decides whether "Menu" shows
    summary = page.locator("details.nav-menu > summary")
    if summary.is_visible() and page.locator("details.nav-menu[open]").count() == 0:
        summary.click()


def expect_logged_in(page: Page) -> None:
    """The log-out form is in the header (hidden behind the menu on a phone)."""
    expect(page.locator("body > header form[action$='/logout']")).to_be_attached()
