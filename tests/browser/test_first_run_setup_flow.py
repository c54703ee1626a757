"""The first site admin's first login, in the browser with CSRF on and without JavaScript: the
setup page comes first, a wrong entry is shown at its field with the rest kept, and once saved
the site's name and logo are in the header and the setup is not offered again; visitors see the
name and description on the home page. Desktop and phone."""
from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

PASSWORD = "lantern river pebble 42"


@pytest.fixture
def app_plugins():
    return ["plugins.helpcenter", "plugins.resources"]


@pytest.fixture
def logo(tmp_path):
    path = tmp_path / "logo.png"
    buffer = io.BytesIO()
    Image.new("RGB", (300, 300), (26, 107, 88)).save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


@pytest.mark.parametrize("width", [1280, 360])
def test_the_first_admin_sets_up_the_site_after_logging_in(live_server, new_page, make_user, logo, width):
    make_user("ada", password=PASSWORD, display_name="Ada Admin", is_site_admin=True)
    page = new_page(viewport={"width": width, "height": 900}, java_script_enabled=False)
    page.goto(live_server + "/login")
    page.get_by_label("Email or username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Set up your site")).to_be_visible()

    page.get_by_label("Site name").fill("   ")
    page.get_by_label("Description").fill("Neighbours helping each other.")
    page.get_by_role("button", name="Save and finish").click()
    expect(page.locator("#name-error")).to_have_text("Give the site a name.")
    expect(page.get_by_label("Description")).to_have_value("Neighbours helping each other.")

    page.get_by_label("Site name").fill("Kiezhilfe")
    page.get_by_label("Logo").set_input_files(str(logo))
    page.get_by_label("Default language").select_option("en")
    page.get_by_label("Help center").check()
    page.get_by_role("button", name="Save and finish").click()
    expect(page.get_by_text("Your site is set up.")).to_be_visible()
    brand = page.get_by_role("banner").get_by_role("link", name="Kiezhilfe")
    expect(brand).to_be_visible()
    expect(brand.locator("img")).to_have_count(1)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    page.screenshot(path=f"/tmp/cg-setup-done-{width}.png", full_page=True)

    page.goto(live_server + "/admin/setup/")
    expect(page.get_by_role("button", name="Skip for now")).to_have_count(0)
    visitor = new_page(viewport={"width": width, "height": 900}, java_script_enabled=False)
    visitor.goto(live_server + "/")
    expect(visitor.get_by_role("heading", name="Welcome to Kiezhilfe")).to_be_visible()
    expect(visitor.get_by_text("Neighbours helping each other.")).to_be_visible()
    expect(visitor).to_have_title("Welcome · Kiezhilfe")
