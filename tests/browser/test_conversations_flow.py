"""Private conversations in headless Chromium, as new users meet them, CSRF on.

Alice messages Bob, who shares a group with her, from his profile and from the group's
member list; a stranger's message lands in Alice's Requests and she declines it; Alice
writes to the garden's team and Mona, a moderator, finds it through the header's team
inbox count and answers; after Bob blocks Alice their conversation is gone for both.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.header import expect_logged_in, main_nav

PASSWORD = "correct horse battery"
SHOTS = Path("/tmp/commonground-browser")

pytestmark = pytest.mark.plugins("plugins.conversations", "plugins.reporting")


@pytest.fixture
def garden(app, enable_plugin, make_user, make_group):
    enable_plugin("conversations")
    enable_plugin("reporting")
    people = {
        "owner": make_user("olga", display_name="Olga Owner"),
        "mona": make_user("mona", display_name="Mona Moderator"),
        "alice": make_user("alice", display_name="Alice Adams"),
        "bob": make_user("bob", display_name="Bob Baker"),
        "sam": make_user("sam", display_name="Sam Stranger"),
    }
    make_group(owner=people["owner"], slug="garden", name="Community Garden",
               members=((people["mona"], "moderator"), people["alice"], people["bob"]))
    return people


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("Email or username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect_logged_in(page)


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"conversations-{name}.png"), full_page=True)


def write_from_profile(page: Page, base: str, username: str, text: str) -> None:
    page.goto(f"{base}/u/{username}")
    page.get_by_role("link", name="Send a message").click()
    page.get_by_role("textbox", name="Message").fill(text)
    page.get_by_role("button", name="Send").click()


def test_a_member_messages_another_who_shares_a_group(live_server, new_page, garden):
    alice = new_page()
    log_in(alice, live_server, "alice")
    write_from_profile(alice, live_server, "bob", "Hi Bob, want some **seedlings**?")
    expect(alice.get_by_role("heading", name="Bob Baker")).to_be_visible()

    bob = new_page()
    log_in(bob, live_server, "bob")
    nav = main_nav(bob)
    expect(nav.get_by_role("link", name=re.compile(r"Messages\s*1"))).to_be_visible()
    nav.get_by_role("link", name=re.compile("Messages")).click()
    shot(bob, "inbox")
    bob.get_by_role("button", name="Alice Adams").click()
    expect(bob.locator("strong", has_text="seedlings")).to_be_visible()
    bob.get_by_label("Your message").fill("Yes please!")
    bob.get_by_role("button", name="Send").click()
    expect(bob.get_by_text("Yes please!")).to_be_visible()
    shot(bob, "conversation")
    expect(main_nav(bob).get_by_role("link", name="Messages", exact=True)).to_be_visible()


def test_a_member_messages_another_from_the_groups_member_list(live_server, new_page, garden):
    alice = new_page()
    log_in(alice, live_server, "alice")
    alice.goto(f"{live_server}/g/garden/members")
    expect(alice.get_by_role("link", name=re.compile("Send a message.*Alice Adams"))).to_have_count(0)
    shot(alice, "member-list")
    alice.get_by_role("link", name=re.compile("Send a message.*Bob Baker")).click()
    expect(alice.get_by_role("textbox", name="To")).to_have_value("bob")
    alice.get_by_role("textbox", name="Message").fill("Saw you on the member list - hello!")
    alice.get_by_role("button", name="Send").click()
    expect(alice.get_by_role("heading", name="Bob Baker")).to_be_visible()

    narrow = new_page(viewport={"width": 360, "height": 740})
    log_in(narrow, live_server, "bob")
    narrow.goto(f"{live_server}/g/garden/members")
    expect(narrow.get_by_role("link", name=re.compile("Send a message.*Alice Adams"))).to_be_visible()
    shot(narrow, "member-list-360")


def test_a_strangers_message_lands_in_requests_and_is_declined(live_server, new_page, garden):
    sam = new_page()
    log_in(sam, live_server, "sam")
    write_from_profile(sam, live_server, "alice", "Buy cheap stuff at [my shop](https://spam.example)")

    alice = new_page()
    log_in(alice, live_server, "alice")
    alice.goto(f"{live_server}/messages/")
    expect(alice.get_by_text("No conversations yet.")).to_be_visible()
    alice.get_by_role("link", name=re.compile("Requests")).click()
    alice.get_by_role("button", name="Sam Stranger").click()
    expect(alice.get_by_role("heading", name="Message request")).to_be_visible()
    expect(alice.get_by_text("my shop")).to_be_visible()
    expect(alice.locator('a[href="https://spam.example"]')).to_have_count(0)
    shot(alice, "request")
    alice.get_by_role("button", name="Decline").click()
    expect(alice.get_by_text("Request declined. The sender is not told.")).to_be_visible()
    expect(alice.get_by_text("No message requests.")).to_be_visible()


def test_a_member_messages_the_team_and_a_moderator_answers(live_server, new_page, garden):
    alice = new_page()
    log_in(alice, live_server, "alice")
    alice.goto(f"{live_server}/g/garden")
    alice.get_by_role("link", name="Message the team").click()
    alice.get_by_role("textbox", name="Message").fill("Someone keeps taking my tomatoes. Can we talk privately?")
    alice.get_by_role("button", name="Send to the team").click()
    expect(alice.get_by_role("heading", name="Team of Community Garden")).to_be_visible()

    mona = new_page()
    log_in(mona, live_server, "mona")
    team_link = main_nav(mona).get_by_role("link", name=re.compile(r"Team inboxes\s*1"))
    expect(team_link).to_be_visible()
    team_link.click()
    shot(mona, "team-inboxes")
    mona.get_by_role("link", name="Community Garden").click()
    mona.get_by_role("link", name="Alice Adams").click()
    mona.get_by_label("Answer").fill("Thanks for telling us, Alice. We will look into it.")
    mona.get_by_role("button", name="Send").click()
    expect(mona.get_by_text("Your answer was sent.")).to_be_visible()
    shot(mona, "team-thread")

    alice.reload()
    expect(alice.get_by_text("We will look into it.")).to_be_visible()
    expect(alice.locator(".message strong", has_text="Team of Community Garden")).to_be_visible()
    shot(alice, "team-member-view")


def test_a_block_hides_the_conversation_from_both(live_server, new_page, garden):
    alice = new_page()
    log_in(alice, live_server, "alice")
    write_from_profile(alice, live_server, "bob", "Hello Bob")
    conversation_url = alice.url

    bob = new_page()
    log_in(bob, live_server, "bob")
    bob.goto(conversation_url)
    bob.get_by_role("link", name="Report").first.wait_for()
    bob.goto(f"{live_server}/blocks")
    bob.get_by_label(re.compile("Username", re.I)).fill("alice")
    bob.get_by_role("button", name=re.compile("^Block")).click()

    bob.goto(f"{live_server}/messages/")
    expect(bob.get_by_text("No conversations yet.")).to_be_visible()
    assert bob.goto(conversation_url).status == 404
    alice.goto(f"{live_server}/messages/")
    expect(alice.get_by_text("No conversations yet.")).to_be_visible()
    assert alice.goto(conversation_url).status == 404
    alice.goto(f"{live_server}/messages/new?to=bob")  # Bob's profile is hidden from her now
    alice.get_by_role("textbox", name="Message").fill("Hello again")
    alice.get_by_role("button", name="Send").click()
    expect(alice.get_by_text("Bob Baker is not accepting messages from you.")).to_be_visible()
    shot(alice, "blocked-refusal")
