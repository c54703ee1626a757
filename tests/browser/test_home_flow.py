"""Home, profiles and a change of email in headless Chromium, at desktop and phone width.

A member lands on a home that shows their groups with what is new, reads the new posts (the page
tells the server by itself; without JavaScript a button does), and the unread count is gone on
the next visit. A visitor learns what the site is. A member hides their profile from others. A
member changes their email address with the link that reaches a real SMTP server.
"""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from core.extensions import db
from core.models import Membership, Post, User
from core.models.base import utcnow
from tests.browser.header import expect_logged_in, main_nav

PASSWORD = "correct horse battery"
SIZES = {1280: {"viewport": {"width": 1280, "height": 900}},
         360: {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}}


@pytest.fixture
def app_config(smtp_config):
    return {**smtp_config, "WTF_CSRF_ENABLED": True}


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("Email or username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect_logged_in(page)


def fits(page: Page) -> None:
    page.wait_for_load_state()  # a page just navigated to is measured with its stylesheet
    layout, scroll = page.evaluate("[document.documentElement.clientWidth, document.documentElement.scrollWidth]")
    assert scroll <= layout, f"{page.url}: {scroll - layout}px wider than the screen"


def shot(page: Page, name: str) -> None:
    page.screenshot(path=f"/tmp/commonground-home-{name}.png", full_page=True)


@pytest.fixture
def garden(make_user, make_group):
    """Ada joined the Community Garden an hour ago; Bob posted three times since."""
    ada = make_user("ada", display_name="Ada Lovelace", password=PASSWORD)
    bob = make_user("bob", display_name="Bob Gardener")
    group = make_group(owner=bob, slug="garden", name="Community Garden", members=(ada,),
                       description="Growing vegetables together")
    make_group(owner=bob, slug="walkers", name="Evening Walkers", members=(ada,))
    db.session.execute(db.update(Membership).values(created_at=utcnow() - timedelta(hours=1)))
    for n, text in enumerate(["Tomatoes are ripe", "Who has a spare spade?", "Harvest party on Sunday"]):
        db.session.add(Post(group_id=group.id, author_id=bob.id, body_source=text, body_html=f"<p>{text}</p>",
                            created_at=utcnow() - timedelta(minutes=30 - n)))
    db.session.commit()
    return ada


@pytest.mark.parametrize("width", [1280, 360])
def test_member_home_shows_what_is_new_and_reading_clears_it(live_server, new_page, garden, width):
    page = new_page(**SIZES[width])
    log_in(page, live_server, "ada")
    page.goto(live_server + "/")
    expect(page.get_by_role("heading", name="Welcome back, Ada Lovelace")).to_be_visible()
    groups = page.locator(".home-groups")
    expect(groups.get_by_role("link", name="Community Garden")).to_be_visible()
    expect(groups.get_by_role("link", name="Evening Walkers")).to_be_visible()
    expect(groups.locator(".badge.unread")).to_have_count(1)
    expect(groups.locator(".badge.unread")).to_contain_text("3")
    expect(page.locator(".home-entry.post-new")).to_have_count(3)
    expect(page.get_by_text("Harvest party on Sunday")).to_be_visible()
    expect(page.locator("body > header a[href='/settings']")).to_be_attached()
    fits(page)
    shot(page, f"member-{width}")

    with page.expect_response(lambda response: response.url.endswith("/g/garden/read")) as beacon:
        groups.get_by_role("link", name="Community Garden").click()
    assert beacon.value.status == 204
    expect(page.locator(".post-new")).to_have_count(3)  # still marked on this visit
    expect(page.get_by_role("button", name="Mark as read")).to_be_hidden()
    fits(page)

    page.goto(live_server + "/")
    expect(page.locator(".home-groups .badge.unread")).to_have_count(0)
    expect(page.locator(".home-entry.post-new")).to_have_count(0)


def test_without_javascript_the_mark_as_read_button_does_it(live_server, new_page, garden):
    page = new_page(java_script_enabled=False)
    log_in(page, live_server, "ada")
    page.goto(live_server + "/g/garden")
    expect(page.get_by_text("New since your last visit")).to_have_count(3)
    page.get_by_role("button", name="Mark as read").click()
    expect(page.get_by_text("Everything in Community Garden is marked as read.")).to_be_visible()
    expect(page.get_by_text("New since your last visit")).to_have_count(0)
    page.goto(live_server + "/")
    expect(page.locator(".home-groups .badge.unread")).to_have_count(0)


@pytest.mark.parametrize("width", [1280, 360])
def test_visitor_home_explains_the_site_and_shows_public_groups(live_server, new_page, garden, width):
    page = new_page(**SIZES[width])
    page.goto(live_server + "/")
    expect(page.get_by_role("heading", name=re.compile("Welcome to"))).to_be_visible()
    expect(page.get_by_role("heading", name="Public groups")).to_be_visible()
    page.get_by_role("link", name="Community Garden").click()
    expect(page.get_by_text("Tomatoes are ripe")).to_be_visible()
    page.goto(live_server + "/")
    expect(page.get_by_role("main").get_by_role("link", name="Log in")).to_be_visible()
    fits(page)
    shot(page, f"visitor-{width}")
    page.get_by_role("main").get_by_role("link", name="Sign up").click()
    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()


@pytest.mark.parametrize("width", [1280, 360])
def test_a_member_hides_their_profile_from_everyone_else(live_server, new_page, garden, make_user, width):
    make_user("carol", display_name="Carol", password=PASSWORD)
    ada = new_page(**SIZES[width])
    log_in(ada, live_server, "ada")
    main_nav(ada).get_by_role("link", name="Settings").click()
    expect(ada).to_have_url(re.compile(r"/settings/profile$"))
    ada.get_by_label("About you").fill("I grow beans.")
    ada.get_by_label("Who sees your profile").select_option(label="Members of my groups")
    ada.get_by_role("button", name="Save", exact=True).click()
    expect(ada.get_by_text("Your profile is saved.")).to_be_visible()
    fits(ada)

    carol = new_page(**SIZES[width])
    log_in(carol, live_server, "carol")
    carol.goto(live_server + "/u/ada")
    expect(carol.get_by_role("heading", name="Ada Lovelace")).to_be_visible()
    expect(carol.get_by_text("shows their profile only to members of their groups")).to_be_visible()
    expect(carol.get_by_text("I grow beans.")).to_have_count(0)
    fits(carol)

    bob = new_page(**SIZES[width])
    log_in(bob, live_server, "bob")
    bob.goto(live_server + "/u/ada")
    expect(bob.get_by_text("I grow beans.")).to_be_visible()
    expect(bob.get_by_role("heading", name="Groups in common")).to_be_visible()
    fits(bob)
    shot(bob, f"profile-{width}")


@pytest.mark.parametrize("width", [1280, 360])
def test_a_member_changes_their_email_with_the_link_sent_to_the_new_address(live_server, new_page, garden,
                                                                            smtp_server, job_queue, width):
    page = new_page(**SIZES[width])
    log_in(page, live_server, "ada")
    main_nav(page).get_by_role("link", name="Settings").click()
    page.get_by_role("navigation", name="Settings").get_by_role("link", name="Email address").click()
    page.get_by_label("New email address").fill("ada@new.example")
    page.get_by_label("Your password").fill("not my password")
    page.get_by_role("button", name="Change email address").click()
    expect(page.get_by_text("This is not your password.")).to_be_visible()
    expect(page.get_by_label("New email address")).to_have_value("ada@new.example")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Change email address").click()
    expect(page.get_by_text("We sent a link to ada@new.example")).to_be_visible()
    fits(page)

    job_queue.run()  # what the worker does: deliver the outbox over SMTP
    by_address = {mail["To"]: mail for mail in smtp_server.messages}
    assert set(by_address) == {"ada@new.example", "ada@example.org"}
    text = by_address["ada@new.example"].get_body(preferencelist=("plain",)).get_content()
    path = re.search(r"https?://\S+?(/settings/email/confirm/\S+)", text).group(1)
    assert "ada@new.example" in by_address["ada@example.org"].get_body(preferencelist=("plain",)).get_content()

    page.goto(live_server + path)
    page.get_by_role("button", name="Use this address").click()
    expect(page.get_by_text("Your email address is now ada@new.example.")).to_be_visible()
    expect_logged_in(page)  # still logged in
    db.session.expire_all()
    assert db.session.scalar(db.select(User.email).where(User.username == "ada")) == "ada@new.example"

    page.goto(live_server + path)
    expect(page.get_by_role("heading", name="This link no longer works")).to_be_visible()
    fits(page)
