"""CSRF: every form needs the token; the API needs it with a session cookie but not with a Bearer token."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from core.extensions import db
from core.models import ApiToken, User
from tests.core.site_tour import build_world, core_rules, page_is_html

PASSWORD = "correct horse battery"


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def csrf_from(client, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


@pytest.mark.parametrize("path, data", [
    ("/login", {"login": "member", "password": PASSWORD}),
    ("/signup", {"email": "x@example.org"}),
    ("/password/forgot", {"email": "x@example.org"}),
    ("/logout", {}),
])
def test_form_post_without_token_is_400_and_changes_nothing(client, member, path, data):
    response = client.post(path, data=data)
    assert response.status_code == 400
    assert "text/html" in response.content_type
    assert "Bad request" in response.get_data(as_text=True)


def test_settings_post_without_token_is_400_and_keeps_data(member_client, member):
    response = member_client.post("/settings/profile", data={"display_name": "Changed", "locale": "en"})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(User, member.id).display_name == "Member"


def test_form_post_with_token_works(client, member):
    token = csrf_from(client, "/login")
    response = client.post("/login", data={"login": "member", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302


def test_wrong_token_is_400(client, member):
    csrf_from(client, "/login")
    response = client.post("/login", data={"login": "member", "password": PASSWORD, "csrf_token": "forged"})
    assert response.status_code == 400


def test_api_with_bearer_token_needs_no_csrf_token(app, member):
    _token, secret = ApiToken.issue(member, "t")
    db.session.commit()
    response = app.test_client().patch("/api/v1/me", json={"bio": "via token"},
                                       headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200


def test_api_with_session_cookie_needs_csrf_header(member_client):
    refused = member_client.patch("/api/v1/me", json={"bio": "no token"})
    assert refused.status_code == 400 and refused.is_json
    assert "csrf_token" in refused.json["errors"]
    token = member_client.get("/api/v1/auth/csrf").json["csrf_token"]
    accepted = member_client.patch("/api/v1/me", json={"bio": "with token"}, headers={"X-CSRFToken": token})
    assert accepted.status_code == 200 and accepted.json["bio"] == "with token"


def test_api_login_needs_csrf_header_too(client, member):
    assert client.post("/api/v1/auth/login", json={"login": "member", "password": PASSWORD}).status_code == 400
    token = client.get("/api/v1/auth/csrf").json["csrf_token"]
    response = client.post("/api/v1/auth/login", json={"login": "member", "password": PASSWORD},
                           headers={"X-CSRFToken": token})
    assert response.status_code == 200


class PostForms(HTMLParser):
    """The POST forms of a page and whether each carries a ``csrf_token`` field."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag: str, attrs_list: list) -> None:
        attrs = dict(attrs_list)
        if tag == "form" and (attrs.get("method") or "get").lower() == "post":
            self.forms.append({"action": attrs.get("action"), "token": False})
        elif tag == "input" and attrs.get("name") == "csrf_token" and attrs.get("value") and self.forms:
            self.forms[-1]["token"] = True


@pytest.fixture
def world(make_user, make_group, make_post, make_comment):
    return build_world(make_user, make_group, make_post, make_comment)


def test_every_core_post_route_refuses_a_request_without_the_token(app, client, login, world, outbox):
    """Not just the forms someone remembered to list: every POST route of every core page."""
    from core.models import Comment, Membership, Post

    login(client, world.owner)
    posts = [rule for rule in core_rules(app) if "POST" in rule.methods]
    assert len(posts) >= 35

    def state():
        db.session.expire_all()
        return [db.session.scalar(db.select(db.func.count()).select_from(model))
                for model in (User, Membership, Post, Comment, ApiToken)] + [len(outbox())]

    before = state()
    for rule in posts:
        response = client.post(world.url_for(rule), data={"body": "x", "name": "x", "password": PASSWORD})
        assert response.status_code == 400, rule.rule
    assert state() == before
    assert client.get("/settings/profile").status_code == 200  # still logged in: logout was refused too


def test_every_post_form_on_every_core_page_carries_the_token(app, client, login, world):
    forms = 0
    for who in (None, world.member, world.owner):
        visitor = login(app.test_client(), who) if who else client
        for rule in core_rules(app):
            if "GET" not in rule.methods or rule.endpoint == "static":
                continue
            response = visitor.get(world.url_for(rule))
            if not page_is_html(response):
                continue
            parser = PostForms()
            parser.feed(response.get_data(as_text=True))
            missing = [form["action"] for form in parser.forms if not form["token"]]
            assert missing == [], rule.rule
            forms += len(parser.forms)
    assert forms >= 60
