"""Security headers, a CSP our templates can live with, and cookie settings."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask_login import login_user

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIRS = [ROOT / "core" / "templates", *sorted((ROOT / "plugins").glob("*/templates"))]


def html_templates() -> list[Path]:
    return sorted(p for d in TEMPLATE_DIRS for p in d.rglob("*.html") if "email" not in p.relative_to(d).parts)


def page_urls(app) -> list[str]:
    """Every GET page without URL arguments (the API and static files aside)."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.arguments or rule.endpoint == "static":
            continue
        if rule.rule.startswith("/api/") or rule.endpoint.endswith(".static"):
            continue
        urls.append(rule.rule)
    return sorted(urls)


def assert_strict_csp(response) -> None:
    csp = response.headers.get("Content-Security-Policy", "")
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert directives.get("script-src") == "'self'", csp
    assert directives.get("style-src") == "'self'", csp
    assert directives.get("object-src") == "'none'"
    assert directives.get("frame-ancestors") == "'none'"
    assert directives.get("img-src") == "'self' data:", csp  # no remote image reports its readers
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_every_page_carries_the_strict_csp_for_visitors_and_members(app, client, member_client):
    urls = page_urls(app)
    assert "/" in urls and "/notifications/" in urls
    for who in (client, member_client):
        for url in urls:
            response = who.get(url)
            assert response.status_code < 500, url
            assert_strict_csp(response)


def test_error_pages_and_the_api_carry_it_too(client):
    assert_strict_csp(client.get("/no-such-page"))
    assert_strict_csp(client.get("/api/v1/openapi.json"))
    assert_strict_csp(client.get("/api/v1/docs"))
    assert_strict_csp(client.post("/notifications/read-all"))


def test_pages_have_no_inline_script_or_style():
    """CSP blocks inline code, so a template with it would silently break in browsers."""
    offenders = []
    for path in html_templates():
        text = path.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text, flags=re.IGNORECASE):
            if "src=" not in tag:
                offenders.append(f"{path}: inline {tag}")
        if re.search(r"<style\b", text, flags=re.IGNORECASE):
            offenders.append(f"{path}: <style> element")
        if re.search(r"\sstyle\s*=", text, flags=re.IGNORECASE):
            offenders.append(f"{path}: style= attribute")
        if re.search(r"\son[a-z]+\s*=\s*[\"']", text, flags=re.IGNORECASE):
            offenders.append(f"{path}: inline event handler")
        if "javascript:" in text.lower():
            offenders.append(f"{path}: javascript: URL")
    assert offenders == []


def test_the_template_scan_finds_real_templates():
    names = {p.relative_to(ROOT).as_posix() for p in html_templates()}
    assert "core/templates/base.html" in names and "core/templates/notifications/index.html" in names


def test_session_cookie_is_httponly_and_samesite_lax_but_not_secure_by_default(client):
    response = client.post("/language", data={"locale": "de", "next": "/"})
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("session=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie
    assert "Strict-Transport-Security" not in response.headers


class TestBehindHttps:
    @pytest.fixture
    def app_config(self):
        return {"SESSION_COOKIE_SECURE": True}

    def test_session_cookie_is_secure_and_hsts_is_sent(self, client):
        response = client.post("/language", data={"locale": "de", "next": "/"})
        assert "Secure" in response.headers["Set-Cookie"]
        assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")

    @pytest.mark.fresh_app  # adds a route
    def test_remember_me_cookie_follows_the_session_cookie(self, app, make_user):
        user = make_user("remembered")

        def remember():
            login_user(user, remember=True)
            return "ok"

        app.add_url_rule("/_test/remember", "remember", remember)
        cookies = app.test_client().get("/_test/remember").headers.getlist("Set-Cookie")
        [remember_cookie] = [c for c in cookies if c.startswith("remember_token=")]
        assert "Secure" in remember_cookie and "HttpOnly" in remember_cookie and "SameSite=Lax" in remember_cookie


def test_remember_me_cookie_can_be_configured_on_its_own():
    from core import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x",
                      "SESSION_COOKIE_SECURE": False, "REMEMBER_COOKIE_SECURE": True}, plugins=[])
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_HTTPONLY"] is True and app.config["REMEMBER_COOKIE_SAMESITE"] == "Lax"
