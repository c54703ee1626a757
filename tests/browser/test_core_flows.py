"""The core journey in headless Chromium, as new people meet it, through the real pages only.

Ada signs up, confirms her address from the email, logs in, and opens a private group that asks
a question of everyone who wants in. Ben (his own browser) finds the group, answers the question,
and Ada approves him from her notifications. Ben posts, Ada comments, and Ben switches the
interface to German. CSRF protection is on, as in production, and JavaScript is off in every
browser of the journey: no flow may need it.

The other tests check what a phone and a keyboard need: pages fit a small screen without
sideways scrolling, and a visitor logs in without touching the mouse.
"""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.header import main_nav

PASSWORD = "lantern river pebble 42"
GROUP = "Quiet Corner"
QUESTION = "What brings you to the Quiet Corner?"
NO_JS = {"java_script_enabled": False}
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}


def confirmation_path(outbox, email: str) -> str:
    """The path of the confirmation link in the newest email to ``email``."""
    messages = [m for m in outbox() if email in m.to_addr]
    assert messages, f"no email to {email} in the outbox"
    match = re.search(r"https?://\S+?(/confirm/[^\s\"'<>]+)", messages[-1].body_text)
    assert match, messages[-1].body_text
    return match.group(1)


def sign_up_and_confirm(page: Page, base: str, outbox, username: str, name: str) -> None:
    email = f"{username}@example.org"
    page.goto(base + "/")
    main_nav(page).get_by_role("link", name="Sign up").click()
    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Display name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Preferred language").select_option(label="English")
    page.get_by_label("I am 18 or older").check()
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_text(f"We sent a link to {email}")).to_be_visible()

    page.goto(base + confirmation_path(outbox, email))
    page.get_by_role("button", name="Confirm my email address").click()
    expect(page.get_by_text("your email address is confirmed")).to_be_visible()


def log_in(page: Page, username: str) -> None:
    main_nav(page).get_by_role("link", name="Log in").click()
    page.get_by_label("Email or username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def log_out_and_in(page: Page, username: str, name: str) -> None:
    main_nav(page).get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You are logged out.")).to_be_visible()
    log_in(page, username)
    expect(main_nav(page).get_by_role("link", name=name)).to_be_visible()


def test_new_people_sign_up_meet_in_a_private_group_talk_and_switch_to_german(live_server, new_page, outbox):
    ada = new_page(**NO_JS)
    sign_up_and_confirm(ada, live_server, outbox, "ada", "Ada Lovelace")
    log_out_and_in(ada, "ada", "Ada Lovelace")

    main_nav(ada).get_by_role("link", name="Groups").click()
    ada.get_by_role("link", name="Create a group").click()
    ada.get_by_label("Web address").fill("quiet-corner")
    ada.get_by_label(re.compile(r"^Name")).fill(GROUP)
    ada.get_by_label("Description").fill("A calm place to talk about hard weeks.")
    ada.get_by_label("Rules").fill("Be kind.\nWhat is said here stays here.")
    ada.get_by_label("Who can read the conversations?").select_option(label="Members only (private group)")
    ada.get_by_label("How do people join?").select_option(label="People ask; moderators approve")
    ada.get_by_label("Question for people asking to join").fill(QUESTION)
    ada.get_by_role("button", name="Create group").click()
    expect(ada.get_by_text("Your group is ready")).to_be_visible()
    expect(ada.get_by_role("heading", name=GROUP)).to_be_visible()
    expect(ada.get_by_text("Private group")).to_be_visible()

    ben = new_page(**NO_JS)
    sign_up_and_confirm(ben, live_server, outbox, "ben", "Ben Okafor")
    main_nav(ben).get_by_role("link", name="Groups").click()
    ben.get_by_role("searchbox", name="Search groups").fill("quiet")
    ben.get_by_role("main").get_by_role("button", name="Search").click()
    ben.get_by_role("link", name=GROUP).click()
    expect(ben.get_by_text("This group is private")).to_be_visible()
    ben.get_by_role("link", name="Ask to join").click()
    ben.get_by_label(QUESTION).fill("My sister told me about it; I could use some calm.")
    ben.get_by_role("button", name="Send request").click()
    expect(ben.get_by_text("Your request is sent")).to_be_visible()
    expect(ben.get_by_text("Your request to join is waiting for a moderator.")).to_be_visible()

    ada.reload()
    main_nav(ada).get_by_role("link", name="Notifications").click()
    ada.get_by_role("link", name=f"Ben Okafor asked to join {GROUP}.").click()
    expect(ada.get_by_text("My sister told me about it; I could use some calm.")).to_be_visible()
    ada.get_by_role("button", name="Approve Ben Okafor").click()
    expect(ada.get_by_text("No requests are waiting.")).to_be_visible()

    ben.reload()
    expect(ben.get_by_text("You are a member here")).to_be_visible()
    ben.get_by_label("Your post").fill("Hello everyone, **glad** to be here.")
    ben.get_by_role("button", name="Publish").click()
    post = ben.locator("article.post").filter(has_text="glad to be here")
    expect(post.locator("strong")).to_have_text("glad")

    ada.get_by_role("link", name="Feed").click()
    ada.locator("article.post").filter(has_text="glad to be here").get_by_role("link", name="0 comments").click()
    ada.get_by_label("Your comment").fill("Welcome, Ben!")
    ada.get_by_role("button", name="Comment").click()
    expect(ada.locator("article.comment").filter(has_text="Welcome, Ben!")).to_be_visible()
    post_url = ada.url.split("#")[0]

    ben.goto(post_url)
    expect(ben.locator("article.comment").filter(has_text="Welcome, Ben!")).to_be_visible()
    ben.get_by_label("Language").select_option(label="Deutsch")
    ben.get_by_role("button", name="Change language").click()
    expect(ben.locator("html")).to_have_attribute("lang", "de")
    expect(main_nav(ben, "Hauptmenü").get_by_role("link", name="Gruppen")).to_be_visible()
    expect(ben.get_by_role("button", name="Abmelden")).to_be_visible()
    expect(ben.locator("article.comment").filter(has_text="Welcome, Ben!")).to_be_visible()
    ben.goto(live_server + "/")
    expect(ben.locator("html")).to_have_attribute("lang", "de")

    # The choice is Ben's setting now: on another device with an English browser, logging in brings it back.
    ben_phone = new_page(**NO_JS)
    ben_phone.goto(live_server + "/")
    log_in(ben_phone, "ben")
    expect(ben_phone.locator("html")).to_have_attribute("lang", "de")
    expect(main_nav(ben_phone, "Hauptmenü").get_by_role("link", name="Benachrichtigungen")).to_be_visible()

    visitor = new_page(**NO_JS)
    response = visitor.goto(post_url)
    assert response is not None and response.status == 404
    expect(visitor.get_by_text("Welcome, Ben!")).to_have_count(0)
    visitor.goto(f"{live_server}/g/quiet-corner")
    expect(visitor.get_by_text("This group is private")).to_be_visible()
    expect(visitor.get_by_text("glad to be here")).to_have_count(0)


def test_visitor_whose_browser_prefers_german_gets_german_pages(live_server, new_page):
    page = new_page(locale="de-DE")
    page.goto(live_server + "/")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    main_nav(page, "Hauptmenü").get_by_role("link", name="Registrieren").click()
    expect(page.get_by_label("E-Mail-Adresse")).to_be_visible()
    page.get_by_label("Sprache", exact=True).select_option(label="English")
    page.get_by_role("button", name="Sprache wechseln").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()


def test_pages_fit_a_phone_screen_without_sideways_scrolling(live_server, new_page, make_user, make_group,
                                                            make_post, make_comment):
    ada = make_user("ada", password=PASSWORD, display_name="Ada Lovelace")
    group = make_group(owner=ada, slug="pocket-friends", name="Pocket friends", rules=["Be kind", "Keep it short"],
                       description="People who read on small screens " * 5)
    long_words = "https://example.org/" + "a-very-long-path-segment-" * 12 + " and " + "unbreakable" * 12
    post = make_post(group, ada, long_words)
    make_comment(post, ada, long_words)
    page = new_page(**PHONE)
    page.goto(live_server + "/login")
    log_in(page, "ada")
    expect(main_nav(page).get_by_role("link", name="Ada Lovelace")).to_be_visible()
    for path in ("/", "/g/", "/g/pocket-friends", f"/g/pocket-friends/p/{post.id}", "/g/pocket-friends/members",
                 "/g/new", "/g/pocket-friends/settings", "/settings/profile", "/settings/email", "/u/ada",
                 "/notifications/", "/support"):
        page.goto(live_server + path)
        width, layout, scroll = page.evaluate(
            "[window.innerWidth, document.documentElement.clientWidth, document.documentElement.scrollWidth]")
        assert (width, layout) == (360, 360), f"{path}: laid out for a desktop, not the phone"
        assert scroll <= layout, f"{path}: {scroll - layout}px wider than the screen"


def tab_to(page: Page, target, presses: int = 25) -> None:
    """Press Tab until ``target`` has the focus, as a keyboard user would."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{target} is not reachable with the Tab key")


def test_a_visitor_logs_in_with_the_keyboard_alone(live_server, new_page, make_user):
    make_user("ada", password=PASSWORD, display_name="Ada Lovelace")
    page = new_page()
    page.goto(live_server + "/login")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    tab_to(page, page.get_by_label("Email or username"))
    page.keyboard.type("ada")
    tab_to(page, page.get_by_label("Password"))
    page.keyboard.type(PASSWORD)
    tab_to(page, page.get_by_label("Keep me logged in on this device"))
    page.keyboard.press("Space")
    expect(page.get_by_label("Keep me logged in on this device")).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Log in"))
    page.keyboard.press("Enter")
    expect(main_nav(page).get_by_role("link", name="Ada Lovelace")).to_be_visible()
