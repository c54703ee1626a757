"""A mentorship programme as new users meet it, in headless Chromium with CSRF on.

Ada (a group admin) starts a programme from a template and opens it; Mia signs up as a
mentor and Ben as a mentee; Ada asks for suggestions and accepts the one shown; Ben and Mia
see the first step, Ben posts and marks it done; Oli (another member) and Ada cannot open
the pair's page; Ben blocks Mia from the pair space and the pairing ends.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_reporting_flow import log_in

pytestmark = pytest.mark.plugins("plugins.mentorship", "plugins.reporting")
SHOTS = Path("/tmp/commonground-browser/mentorship")


@pytest.fixture
def parents(app, enable_plugin, make_user, make_group):
    people = {name: make_user(name, display_name=display) for name, display in (
        ("olga", "Olga Owner"), ("ada", "Ada Admin"), ("mia", "Mia Mentor"), ("ben", "Ben Mentee"),
        ("oli", "Oli Other"))}
    group = make_group(owner=people["olga"], slug="parents", name="Parents of trans kids",
                       members=((people["ada"], "admin"), people["mia"], people["ben"], people["oli"]))
    enable_plugin("reporting")
    enable_plugin("mentorship", group)
    return people, group


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def sign_up(page: Page, base: str, role: str, goals: str) -> None:
    page.goto(f"{base}/g/parents/mentorship")
    page.get_by_role("link", name="Encouragement and support").click()
    page.get_by_role("link", name=f"Sign up as a {role}").click()
    page.get_by_label("What you can offer" if role == "mentor" else "What you hope to get out of it").fill(goals)
    page.get_by_label("Parenting").check()
    page.get_by_label("Monday, Evening (17–21)").check()
    page.get_by_label("Wednesday, Evening (17–21)").check()
    if role == "mentee":
        shot(page, "2-signup")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_text("You signed up.")).to_be_visible()


def test_programme_sign_up_match_pair_space_privacy_and_block(live_server, new_page, parents):
    ada = new_page()
    log_in(ada, live_server, "ada")
    ada.goto(f"{live_server}/g/parents/mentorship")
    ada.get_by_role("link", name="New programme").click()
    ada.get_by_label("Encouragement and support").check()
    ada.get_by_role("button", name="Create programme").click()
    ada.get_by_label("Name", exact=True).first.fill("Encouragement and support")
    ada.get_by_role("button", name="Save programme").click()
    ada.get_by_role("button", name="Open for sign-up").click()
    expect(ada.get_by_text("The programme is now: Open for sign-up.")).to_be_visible()
    shot(ada, "1-programme")

    mia, ben = new_page(), new_page()
    log_in(mia, live_server, "mia")
    sign_up(mia, live_server, "mentor", "My daughter came out six years ago; I remember how lonely it felt.")
    log_in(ben, live_server, "ben")
    sign_up(ben, live_server, "mentee", "Our son just came out and I want to get this right.")

    ada.get_by_role("link", name="Pair people").click()
    ada.get_by_role("button", name="Suggest matches").click()
    expect(ada.get_by_text("Shared topics: Parenting")).to_be_visible()
    shot(ada, "3-suggestions")
    ada.get_by_role("button", name="Accept Mia Mentor and Ben Mentee").click()
    expect(ada.get_by_text("Paired. Both have been introduced to each other.")).to_be_visible()

    ben.goto(f"{live_server}/mentorship/mine")
    ben.get_by_role("link", name="Encouragement and support").click()
    expect(ben.get_by_role("heading", name="Saying hello")).to_be_visible()
    pair_url = ben.url
    ben.get_by_label("Write to Mia Mentor").fill("Hi Mia! Could we talk **Monday evening**?")
    ben.get_by_role("button", name="Post", exact=True).click()
    ben.get_by_role("button", name="Mark this step as done").click()
    expect(ben.get_by_role("heading", name="What is hardest right now")).to_be_visible()
    shot(ben, "4-pair-space")

    mia.goto(pair_url)
    expect(mia.get_by_text("Monday evening")).to_be_visible()
    expect(mia.get_by_role("heading", name="Your private notes")).to_be_visible()

    oli = new_page()
    log_in(oli, live_server, "oli")
    for outsider in (oli, ada):
        response = outsider.goto(pair_url)
        assert response.status == 404

    ben.goto(pair_url)
    ben.get_by_role("button", name="Block Mia Mentor and end the pairing").click()
    expect(ben.get_by_role("heading", name="Your pairing with Mia Mentor has ended")).to_be_visible()
    ben.get_by_role("button", name="Block Mia Mentor").click()
    ben.goto(pair_url)
    expect(ben.get_by_text("This pairing has ended.")).to_be_visible()
    expect(ben.get_by_role("button", name="Mark this step as done")).to_have_count(0)
    shot(ben, "5-ended")


def test_a_block_from_a_profile_ends_the_pair_at_once(live_server, new_page, parents):
    """Mia blocks Ben from his profile, away from the pair space: the pair ends in that request,
    and Ben sees only that it ended (and that he will be matched again first)."""
    from core.plugin_api import db
    from plugins.mentorship.pairing import make_pair
    from plugins.mentorship.programmes import create_from_template
    from plugins.mentorship.schemas import ProgrammeSignupSchema
    from plugins.mentorship.signups import sign_up as do_sign_up
    from plugins.mentorship.template_files import shipped_templates

    people, group = parents
    programme = create_from_template(group, people["ada"], shipped_templates()[("skill_development", "en")])
    programme.state = "open"
    values = {"goals": "Soap", "topics": ["Crafts"], "languages": ["en"], "time_zone": "Europe/Berlin",
              "availability": ["0-evening"], "capacity": "1"}
    for person, role in ((people["mia"], "mentor"), (people["ben"], "mentee")):
        do_sign_up(person, programme, group, role, ProgrammeSignupSchema(topics=programme.topics).load(values))
    from flask import current_app

    with current_app.test_request_context():
        pair = make_pair(programme, group, people["mia"].id, people["ben"].id)
    db.session.commit()

    mia = new_page()
    log_in(mia, live_server, "mia")
    mia.goto(f"{live_server}/u/ben")
    mia.get_by_role("link", name="Block", exact=True).click()
    mia.get_by_role("button", name="Block Ben Mentee").click()
    expect(mia.get_by_text("You blocked Ben Mentee")).to_be_visible()
    mia.goto(f"{live_server}/g/parents/mentorship/pairs/{pair.id}")
    expect(mia.get_by_text("This pairing has ended.")).to_be_visible()

    ben = new_page()
    log_in(ben, live_server, "ben")
    ben.goto(f"{live_server}/g/parents/mentorship/pairs/{pair.id}")
    expect(ben.get_by_text("This pairing has ended.")).to_be_visible()
    expect(ben.get_by_role("button", name="Mark this step as done")).to_have_count(0)
    ben.goto(f"{live_server}/notifications/")
    expect(ben.get_by_role("link", name="Your mentorship pairing has ended. Thank you for the time you gave it. "
                                        "You will be among the first to be matched again.")).to_be_visible()
    shot(ben, "6-ended-by-a-block-elsewhere")
