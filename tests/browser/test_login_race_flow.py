"""A browser's requests overlap with its log-in, in headless Chromium (JavaScript off, CSRF on).

Chromium asks for ``/favicon.ico`` after the log-in page, with the cookie from before log-in. On a
busy machine its 404 page can be answered after the log-in's 302, and the browser keeps whichever
session cookie it is sent last. That late answer once set the visitor's session again, so Ada was
logged out on her next page (tests/browser/test_media_flow.py failed so in CI: "POST /login 302",
"GET /favicon.ico 404", "GET / 200", "GET /settings/profile 302"). Here the favicon's answer is
held until the log-in has been answered, every time.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from tests.browser.header import expect_logged_in

PASSWORD = "correct horse battery"


@pytest.fixture
def slow_favicon_server(app) -> Iterator[tuple[str, list, dict, threading.Event]]:
    """``app`` served as ``live_server`` does, but ``/favicon.ico`` waits until ``POST /login`` has
    been answered; yields the base URL, the (method, path, status) of each answer, the cookies each
    request was first sent with and an event set once the favicon's answer is sent."""
    answered = threading.Event()
    favicon_sent = threading.Event()
    answers: list[tuple[str, str, str]] = []
    cookies: dict[tuple[str, str], str] = {}  # the Cookie header each (method, path) was first sent with

    def served(environ, start_response):
        method, path = environ["REQUEST_METHOD"], environ["PATH_INFO"]
        cookies.setdefault((method, path), environ.get("HTTP_COOKIE", ""))
        if path == "/favicon.ico":
            answered.wait(10)

        def start(status, headers, exc_info=None):
            answers.append((method, path, status.split()[0]))
            if method == "POST" and path == "/login":
                threading.Timer(0.1, answered.set).start()  # the 302 reaches the browser first
            return start_response(status, headers, exc_info)

        body = app(environ, start)
        return body if path != "/favicon.ico" else sent_then_noted(body)

    def sent_then_noted(body):
        try:
            yield from body
        finally:
            getattr(body, "close", lambda: None)()
            favicon_sent.set()

    server = make_server("127.0.0.1", 0, served, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", answers, cookies, favicon_sent
    finally:
        answered.set()
        server.shutdown()
        thread.join(timeout=5)


def test_a_favicon_answered_after_the_log_in_does_not_log_the_member_out(slow_favicon_server, new_page, make_user):
    base, answers, cookies, favicon_sent = slow_favicon_server
    make_user("ada", password=PASSWORD, display_name="Ada Lovelace")
    page = new_page(java_script_enabled=False)
    page.goto(base + "/login")
    page.get_by_label("Email or username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect_logged_in(page)
    assert favicon_sent.wait(10), f"Chromium asked for no favicon: {answers}"
    page.wait_for_timeout(300)  # the browser has read that answer (and its cookie, if it set one)
    page.goto(base + "/settings/profile")
    expect(page.get_by_role("heading", name="Log in")).to_have_count(0)
    assert page.url == base + "/settings/profile"
    log_in, favicon = answers.index(("POST", "/login", "302")), answers.index(("GET", "/favicon.ico", "404"))
    assert favicon > log_in, f"the race was not set up: {answers}"
    assert cookies["GET", "/favicon.ico"] == cookies["POST", "/login"], "sent with the cookie from before log-in"
