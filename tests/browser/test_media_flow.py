"""Faces and pictures, as a member meets them in a real browser (JavaScript off: no flow needs it).

Ada sets a photo as her avatar on Settings → Profile and sees it beside her name on her post;
she attaches an image to a post, describes it and publishes; a file that is not an image is refused
at the field. The same at 1280 and 360 pixels wide, with screenshots in /tmp/commonground-media/.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect

from tests.browser.header import expect_logged_in

PASSWORD = "correct horse battery"
SHOTS = Path("/tmp/commonground-media")
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "java_script_enabled": False}
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True,
         "java_script_enabled": False}


def photo(size: tuple[int, int], colour: tuple[int, int, int]) -> bytes:
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    draw.ellipse((size[0] // 4, size[1] // 4, size[0] * 3 // 4, size[1] * 3 // 4), fill=(250, 210, 80))
    out = io.BytesIO()
    image.save(out, format="JPEG")
    return out.getvalue()


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("Email or username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect_logged_in(page)


def fits_the_screen(page: Page) -> bool:
    page.wait_for_load_state()  # a page just navigated to is measured with its stylesheet
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("device", [DESKTOP, PHONE], ids=["1280px", "360px"])
def test_a_member_sets_an_avatar_and_posts_a_picture(live_server, new_page, make_user, make_group, device):
    ada = make_user("ada", display_name="Ada Lovelace")
    make_group(owner=ada, slug="garden", name="Community Garden", visibility="public")
    width = device["viewport"]["width"]
    page = new_page(**device)
    log_in(page, live_server, "ada")

    page.goto(live_server + "/settings/profile")
    expect(page.get_by_text("Without a picture, your initials are shown beside your name.")).to_be_visible()
    page.get_by_label("Upload a picture").set_input_files(
        {"name": "me.jpg", "mimeType": "image/jpeg", "buffer": photo((640, 480), (40, 90, 160))})
    page.get_by_role("button", name="Save picture").click()
    expect(page.get_by_text("Your picture is saved.")).to_be_visible()
    expect(page.get_by_role("button", name="Remove picture")).to_be_visible()
    shot(page, f"settings-avatar-{width}")

    page.goto(live_server + "/g/garden")
    page.get_by_label("Your post").fill("Our first **harvest** of the season!")
    page.get_by_text("Add images").click()
    page.get_by_label("Images (optional)").set_input_files(
        {"name": "harvest.jpg", "mimeType": "image/jpeg", "buffer": photo((1200, 800), (60, 140, 60))})
    page.get_by_role("button", name="Attach images").click()
    page.get_by_label("Description of image 1").fill("A basket of tomatoes")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Your post is published.")).to_be_visible()

    post = page.locator("article.post").first
    picture = post.get_by_role("img", name="A basket of tomatoes")
    expect(picture).to_be_visible()
    avatar = post.locator("header img.avatar")
    expect(avatar).to_be_visible()
    # Loaded from storage as a rendition, not the 256 px original: the 64 px one, or the 128 px one
    # the settings page (96 px) had loaded already, which Chromium reuses from its cache.
    assert avatar.evaluate("img => img.complete && img.naturalWidth") == 32, "the avatar loads from storage"
    assert re.search(r"/files/avatars/[0-9a-f]{64}-(64|128)\.jpg$", avatar.evaluate("img => img.currentSrc"))
    box = picture.bounding_box()
    assert box["width"] <= width, "the image never overflows the screen"
    assert fits_the_screen(page)
    page.goto(live_server + "/g/garden")
    expect(page.locator("article.post header img.avatar").first).to_be_visible()
    shot(page, f"feed-with-avatar-and-image-{width}")


def test_a_file_that_is_not_an_image_is_refused_at_the_field(live_server, new_page, make_user):
    make_user("ben", display_name="Ben Okafor")
    page = new_page(**PHONE)
    log_in(page, live_server, "ben")
    page.goto(live_server + "/settings/profile")
    page.get_by_label("Upload a picture").set_input_files(
        {"name": "notes.png", "mimeType": "image/png", "buffer": b"these are my notes, not a picture"})
    page.get_by_role("button", name="Save picture").click()
    field = page.get_by_label("Upload a picture")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#avatar-error")).to_contain_text("This file is not an image we can read.")
    assert fits_the_screen(page)
    shot(page, "avatar-refused-360")
