"""A forgotten password, end to end: the reset token never appears in a request the server sees.

The link in the email is ``/password/reset#token=…``. Chromium keeps the fragment to itself;
the page's script puts it into the form and removes it from the address bar. Every request
line the server receives is recorded (what an access log would write) and checked. Without
JavaScript the person pastes the code the email also carries.
"""
from __future__ import annotations

import re

import pytest
from flask import request, request_started
from playwright.sync_api import expect

from core.extensions import db
from core.models import User

OLD = "correct horse battery"
NEW = "velvet compass morning"


@pytest.fixture
def request_lines(app):
    """Every path and query string the app receives, as an access log would write them."""
    seen: list[str] = []

    def record(sender, **extra):
        seen.append(request.full_path)

    request_started.connect(record, app)
    yield seen
    request_started.disconnect(record, app)


def ask_for_reset(page, base: str, outbox, email: str) -> tuple[str, str]:
    page.goto(base + "/password/forgot")
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name=re.compile("Send")).click()
    message = outbox()[-1]
    link = re.search(r"https?://\S+?(/password/reset#token=([^\s\"<]+))", message.body_text)
    return link.group(1), link.group(2)


def password_of(user) -> bool:
    db.session.expire_all()
    return db.session.get(User, user.id).check_password(NEW)


def test_the_emailed_link_fills_the_form_and_the_token_never_reaches_a_request_line(
        live_server, page, outbox, make_user, request_lines):
    grace = make_user("grace", email="grace@example.org", password=OLD)
    path, token = ask_for_reset(page, live_server, outbox, "grace@example.org")
    page.goto(live_server + path)
    expect(page.get_by_label("Code from the email")).to_be_hidden()
    assert page.evaluate("window.location.hash") == ""  # gone from the address bar and history
    expect(page.locator("#field-password")).to_be_focused()
    page.locator("#field-password").fill(NEW)
    page.get_by_label("Repeat the new password").fill(NEW)
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_text("Your password is changed")).to_be_visible()
    assert password_of(grace)
    assert "/password/reset?" in request_lines  # the page was requested, the token stayed in the browser
    assert not [line for line in request_lines if token in line]


def test_without_javascript_the_code_from_the_email_is_pasted(live_server, new_page, outbox, make_user):
    grace = make_user("grace", email="grace@example.org", password=OLD)
    page = new_page(java_script_enabled=False)
    path, token = ask_for_reset(page, live_server, outbox, "grace@example.org")
    page.goto(live_server + path)
    code = page.get_by_label("Code from the email")
    expect(code).to_be_visible()
    expect(code).to_have_value("")
    code.fill(token)
    page.locator("#field-password").fill(NEW)
    page.get_by_label("Repeat the new password").fill(NEW)
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_text("Your password is changed")).to_be_visible()
    assert password_of(grace)
