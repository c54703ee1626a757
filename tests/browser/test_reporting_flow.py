"""Reporting and blocking in headless Chromium, through the real pages, CSRF on.

Alice reports Bob's post as harassment; Mona (a moderator of the group) hides it from her
queue; Alice is told; Bob appeals; Max, a second moderator, decides. Alice blocks Carol and
their posts vanish from each other's feed. A self-harm report shows help at once.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.header import expect_logged_in, main_nav

PASSWORD = "correct horse battery"

pytestmark = pytest.mark.plugins("plugins.reporting")


@pytest.fixture
def garden(app, enable_plugin, make_user, make_group, make_post):
    enable_plugin("reporting")
    people = {
        "owner": make_user("olga", display_name="Olga Owner"),
        "mona": make_user("mona", display_name="Mona Moderator"),
        "max": make_user("max", display_name="Max Moderator"),
        "alice": make_user("alice", display_name="Alice Adams", country="DE"),
        "bob": make_user("bob", display_name="Bob Baker"),
        "carol": make_user("carol", display_name="Carol Clark"),
    }
    group = make_group(owner=people["owner"], slug="garden", name="Community Garden",
                       members=((people["mona"], "moderator"), (people["max"], "moderator"),
                                people["alice"], people["bob"], people["carol"]),
                       rules=["Be kind", "No advertising"])
    posts = {
        "bob": make_post(group, people["bob"], "You all grow terrible tomatoes, losers"),
        "carol": make_post(group, people["carol"], "Sunflowers are up!"),
        "alice": make_post(group, people["alice"], "Who has spare seedlings?"),
    }
    return people, group, posts


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("Email or username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect_logged_in(page)


def open_notification(page: Page, text: str | re.Pattern) -> None:
    main_nav(page).get_by_role("link", name=re.compile("Notifications")).click()
    page.get_by_role("link", name=text).first.click()


def test_report_hide_tell_appeal_and_a_second_moderator_decides(live_server, new_page, garden):
    people, group, posts = garden
    alice = new_page()
    log_in(alice, live_server, "alice")
    alice.goto(f"{live_server}/g/garden")
    alice.locator(f"#post-{posts['bob'].id}").get_by_role("link", name="Report").click()
    expect(alice.get_by_role("heading", name="Report this post")).to_be_visible()
    alice.get_by_label("Harassment or bullying").check()
    alice.get_by_label("Which group rule does it break? (optional)").select_option("Be kind")
    alice.get_by_label(re.compile("Anything the moderators should know")).fill("He insults everyone")
    alice.get_by_role("button", name="Send report").click()
    expect(alice.get_by_text("Your report was sent to the moderators")).to_be_visible()
    expect(alice.get_by_text("Waiting for a moderator")).to_be_visible()

    mona = new_page()
    log_in(mona, live_server, "mona")
    mona.goto(f"{live_server}/g/garden")
    mona.get_by_role("link", name="Moderation", exact=True).first.click()
    expect(mona.get_by_role("heading", name="Moderation queue: Community Garden")).to_be_visible()
    mona.get_by_role("link", name=re.compile("Post by Bob Baker")).click()
    expect(mona.get_by_text("He insults everyone")).to_be_visible()
    mona.get_by_label("Hide the item").check()
    mona.get_by_label("Rule cited").select_option("Be kind")
    mona.get_by_label(re.compile("^Explanation")).fill("Insulting other gardeners is not okay here.")
    mona.get_by_role("button", name="Save decision").click()
    expect(mona.get_by_text("Decision saved")).to_be_visible()
    expect(mona.get_by_text("Nothing here.")).to_be_visible()

    alice.goto(f"{live_server}/g/garden")
    expect(alice.locator(f"#post-{posts['bob'].id}")).to_contain_text("hidden by the moderators")
    open_notification(alice, re.compile("Your report .* was reviewed: We took action"))
    expect(alice.get_by_text("We took action")).to_be_visible()

    bob = new_page()
    log_in(bob, live_server, "bob")
    open_notification(bob, re.compile("A moderator reviewed your post"))
    expect(bob.get_by_role("heading", name="Moderation decision")).to_be_visible()
    expect(bob.get_by_text("Insulting other gardeners is not okay here.")).to_be_visible()
    expect(bob.get_by_text("Alice")).to_have_count(0)
    bob.get_by_label("Your appeal").fill("It was a joke between friends, I apologised already.")
    bob.get_by_role("button", name="Send appeal").click()
    expect(bob.get_by_text("Your appeal was sent")).to_be_visible()

    mona.goto(f"{live_server}/moderation/g/garden/appeals")
    mona.get_by_role("link", name=re.compile("Appeal against a decision")).click()
    expect(mona.get_by_text("another moderator must decide the appeal")).to_be_visible()
    expect(mona.get_by_role("button", name="Decide appeal")).to_have_count(0)

    max_ = new_page()
    log_in(max_, live_server, "max")
    open_notification(max_, re.compile("An appeal against a moderation decision"))
    expect(max_.get_by_text("It was a joke between friends")).to_be_visible()
    max_.get_by_label("Decision overturned").check()
    max_.get_by_label("Answer to the person (optional)").fill("Thanks for apologising; the post is back.")
    max_.get_by_role("button", name="Decide appeal").click()
    expect(max_.get_by_text("Appeal decided")).to_be_visible()

    open_notification(bob, re.compile("Your appeal was accepted"))
    expect(bob.get_by_text("Thanks for apologising; the post is back.")).to_be_visible()
    alice.goto(f"{live_server}/g/garden")
    expect(alice.locator(f"#post-{posts['bob'].id}")).to_contain_text("terrible tomatoes")


def test_a_block_hides_both_peoples_posts_from_each_other(live_server, new_page, garden):
    people, group, posts = garden
    alice = new_page()
    log_in(alice, live_server, "alice")
    alice.goto(f"{live_server}/g/garden")
    expect(alice.get_by_text("Sunflowers are up!")).to_be_visible()
    alice.locator(f"#post-{posts['carol'].id}").get_by_role("link", name="Block author").click()
    expect(alice.get_by_role("heading", name="Block Carol Clark?")).to_be_visible()
    alice.get_by_role("button", name="Block Carol Clark").click()
    expect(alice.get_by_text("You blocked Carol Clark")).to_be_visible()
    expect(alice.get_by_role("button", name="Unblock Carol Clark")).to_be_visible()

    alice.goto(f"{live_server}/g/garden")
    expect(alice.get_by_text("Sunflowers are up!")).to_have_count(0)
    expect(alice.get_by_text("You all grow terrible tomatoes")).to_be_visible()

    carol = new_page()
    log_in(carol, live_server, "carol")
    carol.goto(f"{live_server}/g/garden")
    expect(carol.get_by_text("Sunflowers are up!")).to_be_visible()
    expect(carol.get_by_text("Who has spare seedlings?")).to_have_count(0)
    main_nav(carol).get_by_role("link", name=re.compile("Notifications")).click()
    expect(carol.get_by_text("Alice")).to_have_count(0)


def test_a_self_harm_report_shows_help_at_once(live_server, new_page, garden):
    people, group, posts = garden
    alice = new_page()
    log_in(alice, live_server, "alice")
    alice.goto(f"{live_server}/g/garden")
    alice.locator(f"#post-{posts['bob'].id}").get_by_role("link", name="Report").click()
    alice.get_by_label("Self-harm or suicide concern").check()
    alice.get_by_role("button", name="Send report").click()
    expect(alice.get_by_role("heading", name="Help is available right now")).to_be_visible()
    expect(alice.get_by_role("link", name="Call 112")).to_be_visible()
