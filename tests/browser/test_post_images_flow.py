"""Several images in a post and the live preview, in headless Chromium as a member uses them (CSRF on).

Ada types a post and watches the live preview follow her text; she chooses three photos at once,
attaches them (the way that works without JavaScript), describes each and publishes; the feed
shows them in a grid. She edits the post: removes the second photo, chooses another and describes
it in the field that appears beside it; the order is kept. Screenshots at
1280 and 360 px wide in /tmp/commonground-post-images/; the pages fit the phone and pass axe.
"""
from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect

from tests.browser.test_every_page_design import axe_violations

PASSWORD = "correct horse battery"
SHOTS = Path("/tmp/commonground-post-images")
COLOURS = {"tomatoes": (196, 52, 40), "beans": (60, 140, 60), "sunflowers": (232, 180, 30),
           "pumpkins": (220, 110, 20)}


def photo(name: str, size: tuple[int, int] = (480, 320)) -> dict:
    image = Image.new("RGB", size, (238, 232, 214))
    draw = ImageDraw.Draw(image)
    draw.ellipse((size[0] // 4, size[1] // 5, size[0] * 3 // 4, size[1] * 4 // 5), fill=COLOURS[name])
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return {"name": f"{name}.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def fits(page: Page) -> None:
    page.wait_for_load_state()  # a page just navigated to is measured with its stylesheet
    width, scroll = page.evaluate("[window.innerWidth, document.documentElement.scrollWidth]")
    assert scroll <= width, f"{page.url}: {scroll}px wide on a {width}px screen"


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("Email or username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_three_images_described_published_edited_with_a_live_preview(live_server, new_page, make_user,
                                                                      make_group):
    ada = make_user("ada", display_name="Ada Lovelace")
    make_group(owner=ada, slug="garden", name="Community Garden", visibility="public")
    page = new_page(viewport={"width": 1280, "height": 900})
    log_in(page, live_server, "ada")
    page.goto(live_server + "/g/garden")

    # The live preview follows the text as it is typed (no button pressed).
    composer = page.locator("#post-form")
    text = composer.get_by_label("Your post")
    text.press_sequentially("Our *first* harvest", delay=10)
    preview = composer.locator("section.preview")
    expect(preview).to_be_visible()
    expect(preview.locator("em")).to_have_text("first")
    text.press_sequentially(" of **the season**", delay=10)
    expect(preview.locator("strong")).to_have_text("the season")
    expect(preview.locator("[aria-live=polite]")).to_contain_text("Our first harvest of the season")

    # Three photos at once, attached to be described, then published.
    composer.get_by_text("Add images").click()
    composer.get_by_label("Images (optional)").set_input_files(
        [photo("tomatoes"), photo("beans"), photo("sunflowers")])
    composer.get_by_role("button", name="Attach images").click()
    composer = page.locator("#post-form")
    expect(composer.get_by_label("Your post")).to_have_value("Our *first* harvest of **the season**")
    for number, alt in enumerate(["Red tomatoes in a bowl", "Green beans on the vine", "Tall sunflowers"], 1):
        composer.get_by_label(f"Description of image {number}").fill(alt)
    assert not axe_violations(page)
    shot(page, "composer-attached-1280")
    composer.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Your post is published.")).to_be_visible()
    post = page.locator("article.post").first
    expect(post.locator(".post-images img")).to_have_count(3)
    expect(post.get_by_role("img", name="Green beans on the vine")).to_be_visible()

    # Edit: remove the beans, add pumpkins and describe them; the order is kept.
    post.get_by_role("link", name="Edit").click()
    page.get_by_label("Remove image 2").check()
    page.get_by_label("Add images").set_input_files([photo("pumpkins")])
    page.get_by_label("Description of pumpkins.jpg").fill("Two orange pumpkins")  # appears as it is chosen
    assert not axe_violations(page)
    shot(page, "edit-1280")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your post is updated.")).to_be_visible()
    names = page.locator("article.post .post-images img").evaluate_all("images => images.map(i => i.alt)")
    assert names == ["Red tomatoes in a bowl", "Tall sunflowers", "Two orange pumpkins"]
    assert page.locator("article.post .post-images img").first.evaluate("img => img.naturalWidth") == 480
    assert not axe_violations(page)
    shot(page, "post-1280")

    page.goto(live_server + "/g/garden")
    fits(page)
    shot(page, "feed-1280")
    page.set_viewport_size({"width": 360, "height": 740})
    page.reload()
    fits(page)
    shot(page, "feed-360")
    page.locator("article.post").first.get_by_role("link", name="Edit").click()
    fits(page)
    shot(page, "edit-360")
