"""No core page or form answers 500, whoever asks and whatever they send.

Every core web route is visited by a visitor, a plain member and the site admin who owns the
groups: each GET route plainly, with nonsense query arguments and with numbers no column can
hold; each POST route with an empty form, with every field far too long and with every field
a huge number. Routes come from the URL map (see ``site_tour``), so a new page is covered the
day it is added.
"""
from __future__ import annotations

from html.parser import HTMLParser

import pytest

from tests.core.site_tour import build_world, core_rules

OVERLONG = "x" * 20_000
HUGE = "99999999999999999999"
#: Field names sent to POST-only routes (there is no page to read the form from).
COMMON_FIELDS = ("body", "name", "slug", "description", "rules", "visibility", "join_mode", "join_question",
                 "answer", "username", "role", "reason", "until", "email", "login", "password", "current_password",
                 "new_password", "new_password_confirm", "display_name", "bio", "locale", "country", "next", "q",
                 "enabled", "remember")
QUERIES = (
    {},
    {"q": OVERLONG, "after": "not-a-cursor", "before": "-1", "page": "x", "limit": "x", "unread": "maybe",
     "next": "//evil.example/", "reason": OVERLONG, "country": "??"},
    {"after": HUGE, "before": HUGE, "page": HUGE, "limit": HUGE, "q": HUGE},
)


class FieldNames(HTMLParser):
    """Names of the fields of the forms on a page."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list) -> None:
        name = dict(attrs).get("name")
        if tag in ("input", "textarea", "select") and name and name != "csrf_token":
            self.names.add(name)


def form_fields(html: str) -> set[str]:
    parser = FieldNames()
    parser.feed(html)
    return parser.names


@pytest.fixture
def app_config():
    return {"RATELIMIT_ENABLED": False, "PROPAGATE_EXCEPTIONS": False}


@pytest.fixture
def world(make_user, make_group, make_post, make_comment):
    return build_world(make_user, make_group, make_post, make_comment)


def tour(app, client, world) -> list[str]:
    """Visit every core route with ``client``; returns the requests that answered 5xx."""
    failures = []
    for rule in core_rules(app):
        url = world.url_for(rule)
        fields: set[str] = set()
        if "GET" in rule.methods:
            for args in QUERIES:
                response = client.get(url, query_string=args)
                if response.status_code >= 500:
                    failures.append(f"GET {url} {sorted(args)} -> {response.status_code}")
                if response.mimetype == "text/html":
                    fields |= form_fields(response.get_data(as_text=True))
        if "POST" in rule.methods:
            names = (fields - {"locale"}) or set(COMMON_FIELDS)
            for data in ({}, dict.fromkeys(names, OVERLONG), dict.fromkeys(names, HUGE)):
                response = client.post(url, data=data)
                if response.status_code >= 500:
                    failures.append(f"POST {url} {sorted(data)[:5]} -> {response.status_code}")
    return failures


@pytest.mark.parametrize("who", ["visitor", "member", "owner"])
def test_no_core_page_or_form_answers_500(app, client, login, world, who):
    if who != "visitor":
        login(client, world.member if who == "member" else world.owner)
    assert tour(app, client, world) == []


def test_the_tour_reaches_every_core_blueprint_and_real_objects(app, client, login, world):
    """Guard for the test itself: the pages it visits exist and answer with content."""
    rules = core_rules(app)
    assert {rule.endpoint.split(".")[0] for rule in rules} >= {"web", "auth", "groups", "notifications", "admin"}
    assert len(rules) >= 50
    assert {rule.endpoint for rule in rules[-2:]} == {"auth.logout", "auth.end_all_sessions"}
    by_endpoint = {rule.endpoint: rule for rule in rules}
    login(client, world.owner)
    for endpoint in ("groups.group", "groups.post", "groups.edit_post", "groups.requests", "admin.user",
                     "notifications.index", "auth.settings_tokens", "auth.settings_sessions", "auth.reset_password",
                     "auth.confirm_email"):
        url = world.url_for(by_endpoint[endpoint])
        assert client.get(url).status_code == 200, url


def test_a_view_that_crashes_is_reported_by_the_tour(app, client, world, monkeypatch):
    """Guard for the test itself: a 500 on any route makes the tour fail."""

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setitem(app.view_functions, "web.index", boom)
    failures = tour(app, client, world)
    assert len(failures) == 3 and all(f.startswith("GET / ") for f in failures)
