"""Conversation in headless Chromium, as members meet it, CSRF on, at 1280 and 360 px.

Alice reacts to Bob's post, previews and publishes a post that mentions Bob, replies to
Bob's comment; Bob sees the mention in his notifications. The mention autocomplete is
tried with JavaScript on; every other step works with plain forms.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.header import expect_logged_in

PASSWORD = "correct horse battery"
SHOTS = Path("/tmp/commonground-browser")


@pytest.fixture
def garden(app, make_user, make_group, make_post, make_comment):
    alice = make_user("alice", display_name="Alice Adams")
    bob = make_user("bob", display_name="Bob Baker")
    group = make_group(slug="garden", name="Community Garden", members=[alice, bob])
    post = make_post(group, bob, "Who wants **seedlings** this spring?")
    make_comment(post, bob, "I have tomatoes and basil.")
    return {"post": post}


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("Email or username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect_logged_in(page)


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"conversation-{name}.png"), full_page=True)


def fits(page: Page) -> None:
    page.wait_for_load_state()  # a page just navigated to is measured with its stylesheet
    width, scroll = page.evaluate("[window.innerWidth, document.documentElement.scrollWidth]")
    assert scroll <= width, f"{page.url}: {scroll}px wide on a {width}px screen"


@pytest.mark.parametrize("width", [1280, 360])
def test_react_preview_mention_and_reply(live_server, new_page, garden, width):
    alice = new_page(viewport={"width": width, "height": 900}, java_script_enabled=False)
    log_in(alice, live_server, "alice")
    alice.goto(f"{live_server}/g/garden")

    # React to Bob's post: the count appears and the button is pressed.
    post = alice.locator(f"#post-{garden['post'].id}")
    post.get_by_role("button", name="Love").click()
    pressed = alice.locator(f"#post-{garden['post'].id}").get_by_role("button", name="Love")
    expect(pressed).to_have_attribute("aria-pressed", "true")
    expect(pressed).to_contain_text("1")
    fits(alice)

    # Preview a post that mentions Bob: rendered by the server, nothing published yet.
    composer = alice.get_by_role("textbox", name="Your post")
    composer.fill("Thanks @bob, I'd love **basil**!")
    alice.get_by_role("button", name="Preview").click()
    preview = alice.locator(".preview")
    expect(preview.locator("strong")).to_have_text("basil")
    expect(preview.get_by_role("link", name="@bob")).to_have_attribute("href", "/u/bob")
    expect(alice.get_by_role("textbox", name="Your post")).to_have_value("Thanks @bob, I'd love **basil**!")
    shot(alice, f"preview-{width}")
    fits(alice)
    alice.get_by_role("button", name="Publish").click()
    expect(alice.get_by_text("Your post is published.")).to_be_visible()

    # Reply to Bob's comment: the reply sits under it.
    alice.goto(f"{live_server}/g/garden/p/{garden['post'].id}")
    alice.get_by_role("link", name="Reply to Bob Baker").click()
    expect(alice.get_by_text("Replying to Bob Baker")).to_be_visible()
    alice.get_by_role("textbox", name="Your reply").fill("Basil, please!")
    alice.get_by_role("button", name="Reply", exact=True).click()
    expect(alice.locator("article.comment.reply")).to_contain_text("Basil, please!")
    shot(alice, f"post-{width}")
    fits(alice)

    # Bob sees that Alice mentioned him, and that she replied to his comment.
    bob = new_page(viewport={"width": width, "height": 900})
    log_in(bob, live_server, "bob")
    bob.get_by_role("link", name="Notifications").click()
    expect(bob.get_by_role("link", name="Alice Adams mentioned you in Community Garden.")).to_be_visible()
    expect(bob.get_by_role("link", name="Alice Adams replied to your comment in Community Garden.")).to_be_visible()
    bob.get_by_role("link", name="Alice Adams mentioned you in Community Garden.").click()
    expect(bob.get_by_role("link", name="@bob")).to_be_visible()
    shot(bob, f"notifications-{width}")
    fits(bob)


def test_mention_autocomplete_suggests_group_members(live_server, new_page, garden):
    alice = new_page(viewport={"width": 1280, "height": 900})
    log_in(alice, live_server, "alice")
    alice.goto(f"{live_server}/g/garden")
    composer = alice.get_by_role("textbox", name="Your post")
    composer.click()
    composer.press_sequentially("Hello @bo")
    option = alice.get_by_role("option", name="Bob Baker (@bob)")
    expect(option).to_be_visible()
    shot(alice, "autocomplete")
    composer.press("Enter")
    expect(composer).to_have_value("Hello @bob ")


def test_reacting_with_javascript_updates_the_count_in_place(live_server, new_page, garden):
    alice = new_page(viewport={"width": 1280, "height": 900})
    log_in(alice, live_server, "alice")
    alice.goto(f"{live_server}/g/garden")
    url = alice.url
    button = alice.locator(f"#post-{garden['post'].id}").get_by_role("button", name="Thanks")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button).to_contain_text("1")
    assert alice.url == url  # no reload, no jump
    button.click()
    expect(button).to_have_attribute("aria-pressed", "false")
    expect(button.locator(".reaction-count")).to_have_count(0)
