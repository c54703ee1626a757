"""The help center in headless Chromium, as people meet it, with CSRF on as in production.

A visitor with a German browser worries about a friend and finds the numbers and a message to
send; a signed-in member asks for support and the email reaches a real SMTP server; with the
plugin switched off the link and the page are gone while core still shows the emergency number.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from core.plugins import state as plugin_state

PASSWORD = "correct horse battery"


@pytest.fixture
def app_plugins() -> list[str]:
    return ["plugins.helpcenter"]


@pytest.fixture
def app_config(smtp_config):
    return {**smtp_config, "WTF_CSRF_ENABLED": True}


@pytest.fixture
def app(app, enable_plugin):
    enable_plugin("helpcenter")
    return app


def footer(page: Page):
    return page.get_by_role("contentinfo")


def test_visitor_in_german_worried_about_someone_sees_the_numbers_and_a_message(live_server, new_page):
    page = new_page(locale="de-DE")
    page.goto(live_server + "/")
    footer(page).get_by_role("link", name="Hilfe finden").click()

    expect(page.get_by_role("heading", name="Hilfe finden", level=1)).to_be_visible()
    expect(page.get_by_label("Wo bist du?")).to_have_value("DE")
    expect(page.get_by_label("In welcher Sprache möchtest du sprechen?")).to_have_value("de")
    page.get_by_label("Ich mache mir Sorgen um jemanden").check()
    page.get_by_role("button", name="Zeig mir, wo ich Hilfe finde").click()

    expect(page.get_by_role("heading", name="Wenn jemand in akuter Gefahr ist")).to_be_visible()
    expect(page.get_by_role("link", name="112", exact=True)).to_have_attribute("href", "tel:112")
    expect(page.get_by_role("link", name="0800 111 0 111")).to_have_attribute("href", "tel:+498001110111")
    expect(page.get_by_role("link", name="0800 111 0 222")).to_have_attribute("href", "tel:+498001110222")
    expect(page.get_by_text("Die Leitungen können besetzt sein")).to_be_visible()
    message = page.get_by_label("Eine Nachricht, die du schicken könntest")
    expect(message).to_have_value(re.compile("ich habe an dich gedacht"))
    expect(message).to_have_attribute("readonly", "")
    expect(page.get_by_role("link", name="Melde dich an")).to_be_visible()


def test_signed_in_member_asks_for_support_and_the_email_arrives(live_server, new_page, make_user, smtp_server,
                                                                job_queue):
    make_user("greta", password=PASSWORD, locale="de", country="DE", email="greta@example.org")
    page = new_page(locale="de-DE")
    page.goto(live_server + "/login")
    page.locator("#field-login").fill("greta")
    page.locator("#field-password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("navigation", name=re.compile("Main|Haupt"))).to_contain_text("Greta")

    footer(page).get_by_role("link", name="Hilfe finden").click()
    page.get_by_label("Ich brauche Unterstützung").check()
    page.get_by_role("button", name="Zeig mir, wo ich Hilfe finde").click()
    expect(page.get_by_text("Wir haben dir diese Angaben auch an deine E-Mail-Adresse geschickt")).to_be_visible()
    expect(page.get_by_role("link", name="0800 111 0 111")).to_be_visible()

    assert job_queue.run() == ["helpcenter.send_copy"]  # what the worker does
    [mail] = smtp_server.messages
    assert mail["To"] == "greta@example.org"
    assert mail["Subject"] == "Die Informationen, um die du gebeten hast"
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert "0800 111 0 111" in text and "0800 111 0 222" in text and "112" in text


def test_switched_off_the_link_and_page_are_gone_and_core_still_shows_the_emergency_number(live_server,
                                                                                          new_page):
    plugin_state.set_enabled("helpcenter", False)
    page = new_page(locale="de-DE")
    page.goto(live_server + "/")
    footer(page).get_by_role("link", name="Hilfe finden").click()  # still one place: core's own page
    expect(page).to_have_url(re.compile(r"/support$"))
    expect(page.locator('a[href="tel:112"]')).to_be_visible()
    assert page.goto(live_server + "/help").status == 404
    page.goto(live_server + "/support?country=DE")
    expect(page.locator('a[href="tel:112"]')).to_be_visible()
    expect(page.get_by_text("TelefonSeelsorge")).to_have_count(0)
