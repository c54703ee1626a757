"""A newcomer's first visit, end to end, as issue 12 describes it, with CSRF on.

Cleo signs up and confirms her address from the email, sets an avatar, joins the Community
Garden, lands on a home page that lists it, reacts to Bob's post, replies to his comment and
mentions him (Bob sees the notification), then changes her email address with the link sent
to the new one. The same at 1280 and 360 pixels; every page she sees fits the screen, and
axe-core finds no serious or critical violation on the pages of the journey. JavaScript is on
here because axe-core runs in the page; each step's plain-form path is covered with JavaScript
off by the feature's own flow (home, media, conversation and core flows).
"""
from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from tests.browser.header import expect_logged_in, main_nav
from tests.browser.test_every_page_design import axe_violations

PASSWORD = "lantern river pebble 42"
SIZES = {1280: {"viewport": {"width": 1280, "height": 900}},
         360: {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}}


@pytest.fixture
def app_config(smtp_config):
    return {**smtp_config, "WTF_CSRF_ENABLED": True}


@pytest.fixture
def garden(make_user, make_group, make_post, make_comment):
    """Bob's public Community Garden: one post of his with one comment of his."""
    bob = make_user("bob", display_name="Bob Baker", password=PASSWORD)
    group = make_group(owner=bob, slug="garden", name="Community Garden", visibility="public")
    post = make_post(group, bob, "Who wants **seedlings** this spring?")
    make_comment(post, bob, "I have tomatoes and basil.")
    return post


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (400, 300), (40, 90, 160)).save(out, format="JPEG")
    return out.getvalue()


def checked(page: Page, seen: list[str]) -> None:
    """The page fits the screen and passes axe; ``seen`` collects what failed, for one assert at the end."""
    page.wait_for_load_state()  # a page just navigated to is measured with its stylesheet
    layout, scroll = page.evaluate("[document.documentElement.clientWidth, document.documentElement.scrollWidth]")
    if scroll > layout:
        seen.append(f"{page.url}: {scroll - layout}px wider than the screen")
    seen.extend(f"{page.url}: {problem}" for problem in axe_violations(page))


def link_in_mail(smtp_server, to: str, pattern: str) -> str:
    mails = [mail for mail in smtp_server.messages if mail["To"] == to]
    assert mails, f"no mail to {to}"
    text = mails[-1].get_body(preferencelist=("plain",)).get_content()
    return re.search(rf"https?://\S+?({pattern}\S*)", text).group(1)


@pytest.mark.parametrize("width", [1280, 360])
def test_a_newcomer_signs_up_sets_a_face_joins_reacts_replies_mentions_and_changes_email(
        live_server, new_page, garden, smtp_server, job_queue, width):
    problems: list[str] = []
    cleo = new_page(**SIZES[width])

    cleo.goto(live_server + "/")
    main_nav(cleo).get_by_role("link", name="Sign up").click()
    cleo.get_by_label("Email address").fill("cleo@example.org")
    cleo.get_by_label("Username").fill("cleo")
    cleo.get_by_label("Display name").fill("Cleo Park")
    cleo.get_by_label("Password").fill(PASSWORD)
    cleo.get_by_label("Preferred language").select_option(label="English")
    cleo.get_by_label("I am 18 or older").check()
    cleo.get_by_role("button", name="Sign up").click()
    expect(cleo.get_by_text("We sent a link to cleo@example.org")).to_be_visible()
    job_queue.run()
    cleo.goto(live_server + link_in_mail(smtp_server, "cleo@example.org", "/confirm/"))
    cleo.get_by_role("button", name="Confirm my email address").click()
    expect(cleo.get_by_text("your email address is confirmed")).to_be_visible()
    if cleo.locator("body > header form[action$='/logout']").count() == 0:
        main_nav(cleo).get_by_role("link", name="Log in").click()
        cleo.get_by_label("Email or username").fill("cleo")
        cleo.get_by_label("Password").fill(PASSWORD)
        cleo.get_by_role("button", name="Log in").click()
    expect_logged_in(cleo)

    main_nav(cleo).get_by_role("link", name="Settings").click()
    cleo.get_by_label("Upload a picture").set_input_files(
        {"name": "me.jpg", "mimeType": "image/jpeg", "buffer": photo()})
    cleo.get_by_role("button", name="Save picture").click()
    expect(cleo.get_by_text("Your picture is saved.")).to_be_visible()
    checked(cleo, problems)

    cleo.goto(live_server + "/g/garden")
    cleo.get_by_role("button", name="Join group").first.click()
    expect(cleo.get_by_text("You are a member here")).to_be_visible()
    cleo.goto(live_server + "/")
    expect(cleo.get_by_role("heading", name="Welcome back, Cleo Park")).to_be_visible()
    expect(cleo.get_by_role("complementary").get_by_role("link", name="Community Garden")).to_be_visible()
    expect(cleo.get_by_text("Who wants seedlings this spring?")).to_be_visible()
    checked(cleo, problems)

    cleo.goto(f"{live_server}/g/garden/p/{garden.id}")
    post = cleo.locator(f"#post-{garden.id}")
    post.get_by_role("button", name="Love").click()
    expect(cleo.locator(f"#post-{garden.id}").get_by_role("button", name="Love")).to_have_attribute(
        "aria-pressed", "true")
    cleo.get_by_role("link", name="Reply to Bob Baker").click()
    cleo.get_by_role("textbox", name="Your reply").fill("@bob basil for me, please!")
    cleo.get_by_role("button", name="Reply", exact=True).click()
    reply = cleo.locator("article.comment.reply")
    expect(reply).to_contain_text("basil for me")
    expect(reply.get_by_role("link", name="@bob")).to_have_attribute("href", "/u/bob")
    expect(reply.locator("img.avatar")).to_be_visible()
    checked(cleo, problems)

    bob = new_page(**SIZES[width])
    bob.goto(live_server + "/login")
    bob.get_by_label("Email or username").fill("bob")
    bob.get_by_label("Password").fill(PASSWORD)
    bob.get_by_role("button", name="Log in").click()
    main_nav(bob).get_by_role("link", name="Notifications").click()
    expect(bob.get_by_role("link", name="Cleo Park mentioned you in Community Garden.")).to_be_visible()
    checked(bob, problems)

    main_nav(cleo).get_by_role("link", name="Settings").click()
    cleo.get_by_role("navigation", name="Settings").get_by_role("link", name="Email address").click()
    cleo.get_by_label("New email address").fill("cleo@new.example")
    cleo.get_by_label("Your password").fill(PASSWORD)
    cleo.get_by_role("button", name="Change email address").click()
    expect(cleo.get_by_text("We sent a link to cleo@new.example")).to_be_visible()
    job_queue.run()
    cleo.goto(live_server + link_in_mail(smtp_server, "cleo@new.example", "/settings/email/confirm/"))
    cleo.get_by_role("button", name="Use this address").click()
    expect(cleo.get_by_text("Your email address is now cleo@new.example.")).to_be_visible()
    checked(cleo, problems)

    assert problems == []
