"""Moderators stay able to moderate, and nobody judges their own report – in headless Chromium.

Bob blocks Olga, the group's owner: she still sees his post in her group, told that he
blocked her, and removes it. Olga reports Bob's post herself: the case never reaches her
queue, Mona decides it, Bob appeals, and Olga cannot decide the appeal – Max does.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_reporting_flow import log_in

pytestmark = [pytest.mark.plugins("plugins.reporting"), pytest.mark.browser]

SHOTS = Path("/tmp/commonground-browser")


@pytest.fixture
def garden(app, enable_plugin, make_user, make_group, make_post):
    enable_plugin("reporting")
    people = {
        "owner": make_user("olga", display_name="Olga Owner"),
        "mona": make_user("mona", display_name="Mona Moderator"),
        "max": make_user("max", display_name="Max Moderator"),
        "alice": make_user("alice", display_name="Alice Adams"),
        "bob": make_user("bob", display_name="Bob Baker"),
    }
    group = make_group(owner=people["owner"], slug="garden", name="Community Garden",
                       members=((people["mona"], "moderator"), (people["max"], "moderator"),
                                people["alice"], people["bob"]),
                       rules=["Be kind", "No advertising"])
    post = make_post(group, people["bob"], "You all grow **terrible** tomatoes, losers\n\nAnd I mean *all* of you.")
    return people, group, post


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"safety-{name}.png"), full_page=True)


def test_a_member_blocks_the_moderator_who_still_sees_and_removes_the_post(live_server, new_page, garden):
    people, group, post = garden
    bob = new_page()
    log_in(bob, live_server, "bob")
    bob.goto(f"{live_server}/u/olga")
    bob.get_by_role("link", name="Block", exact=True).click()
    bob.get_by_role("button", name="Block Olga Owner").click()
    expect(bob.get_by_text("You blocked Olga Owner")).to_be_visible()

    olga = new_page()
    log_in(olga, live_server, "olga")
    olga.goto(f"{live_server}/g/garden")
    card = olga.locator(f"#post-{post.id}")
    expect(card).to_contain_text("terrible tomatoes")
    expect(card).to_contain_text("Bob Baker has blocked you. You see this because you moderate this group.")
    expect(olga.get_by_text("5 members")).to_be_visible()
    shot(olga, "moderator-sees-blocker")
    olga.goto(f"{live_server}/u/bob")
    expect(olga.get_by_role("heading", name="Not found")).to_be_visible()  # outside the group: still hidden

    olga.goto(f"{live_server}/g/garden")
    card.get_by_role("link", name="Delete post by Bob Baker").click()
    olga.get_by_role("button", name="Delete post").click()
    expect(olga.get_by_text("The post is deleted.")).to_be_visible()
    expect(olga.get_by_text("terrible tomatoes")).to_have_count(0)

    olga.get_by_role("link", name="Members").click()
    expect(olga.locator(".member", has_text="Bob Baker")).to_contain_text("has blocked you")
    olga.get_by_role("link", name=re.compile(r"Remove.*Bob Baker")).click()
    olga.get_by_role("button", name=re.compile("Remove")).click()
    expect(olga.locator(".member", has_text="Bob Baker")).to_have_count(0)


def test_the_reporter_of_a_case_cannot_decide_its_appeal(live_server, new_page, garden):
    people, group, post = garden
    olga = new_page()
    log_in(olga, live_server, "olga")
    olga.goto(f"{live_server}/g/garden")
    olga.locator(f"#post-{post.id}").get_by_role("link", name="Report").click()
    olga.get_by_label("Harassment or bullying").check()
    olga.get_by_role("button", name="Send report").click()
    expect(olga.get_by_text("Your report was sent to the moderators")).to_be_visible()
    olga.goto(f"{live_server}/moderation/g/garden")
    expect(olga.get_by_text("Nothing here.")).to_be_visible()  # her own report never reaches her queue

    mona = new_page()
    log_in(mona, live_server, "mona")
    mona.goto(f"{live_server}/moderation/g/garden")
    expect(mona.get_by_text("Priority: High")).to_be_visible()
    shot(mona, "queue")
    mona.get_by_role("link", name=re.compile("Post by Bob Baker")).click()
    expect(mona.get_by_role("heading", name="Post by Bob Baker")).to_be_visible()
    expect(mona.locator(".reporting-snapshot strong", has_text="terrible")).to_be_visible()  # rendered, not **
    shot(mona, "case-page")
    mona.get_by_label("Keep (no violation)").check()
    mona.get_by_label("Hide the item").check()
    mona.get_by_label(re.compile("^Explanation")).fill("Insults are not okay here.")
    mona.get_by_role("button", name="Save decision").click()
    expect(mona.locator("#actions-error")).to_contain_text("cannot be combined with “Hide the item”")
    shot(mona, "contradictory-decision")
    mona.get_by_label("Keep (no violation)").uncheck()
    mona.get_by_role("button", name="Save decision").click()
    expect(mona.get_by_text("Decision saved")).to_be_visible()

    bob = new_page()
    log_in(bob, live_server, "bob")
    bob.goto(f"{live_server}/decisions")
    bob.goto(f"{live_server}/notifications/")
    bob.get_by_role("link", name=re.compile("A moderator reviewed your post")).click()
    bob.get_by_label("Your appeal").fill("It was a joke between friends.")
    bob.get_by_role("button", name="Send appeal").click()
    expect(bob.get_by_text("Your appeal was sent")).to_be_visible()

    olga.goto(f"{live_server}/moderation/g/garden/appeals")
    expect(olga.get_by_text("No appeals are waiting.")).to_be_visible()
    max_ = new_page()
    log_in(max_, live_server, "max")
    max_.goto(f"{live_server}/moderation/g/garden/appeals")
    max_.get_by_role("link", name=re.compile("Appeal against a decision")).click()
    appeal_url = max_.url
    olga.goto(appeal_url)
    expect(olga.get_by_role("button", name="Decide appeal")).to_have_count(0)
    expect(olga.get_by_role("heading", name="Not found")).to_be_visible()
    shot(olga, "reporter-and-the-appeal")
    max_.get_by_label("Decision upheld").check()
    max_.get_by_role("button", name="Decide appeal").click()
    expect(max_.get_by_text("Appeal decided")).to_be_visible()
