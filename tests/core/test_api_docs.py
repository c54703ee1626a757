"""Interactive API docs at /api/v1/docs: local assets only, no inline script, works under the CSP."""
from __future__ import annotations

import re

import pytest


def test_docs_page_uses_only_local_scripts_and_no_inline_code(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts
    for attributes, inline in scripts:
        assert inline.strip() == ""
        src = re.search(r'src="([^"]+)"', attributes).group(1)
        assert src.startswith("/") and not src.startswith("//")
    assert "http://" not in html and "https://" not in html
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


def test_docs_assets_are_served_from_the_package(client):
    html = client.get("/api/v1/docs").get_data(as_text=True)
    for src in re.findall(r'(?:src|href)="(/[^"]+)"', html):
        response = client.get(src)
        assert response.status_code == 200, src
        assert len(response.data) > 100, src


def test_unknown_docs_asset_is_404(client):
    assert client.get("/api/v1/static/swagger-ui/index.html").status_code == 404
    assert client.get("/api/v1/static/swagger-ui/../../secret").status_code == 404


@pytest.mark.browser
def test_swagger_ui_renders_the_api_in_a_browser_under_the_csp(live_server, page):
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.goto(f"{live_server}/api/v1/docs")
    page.wait_for_selector(".opblock", timeout=15_000)
    assert page.get_by_text("/api/v1/auth/signup", exact=True).count() == 1
    assert page.locator(".opblock").count() > 10
    assert violations == []


def test_spec_says_which_operations_need_authentication(client):
    spec = client.get("/api/v1/openapi.json").json
    assert {"bearerAuth": []} in spec["security"] and {"cookieAuth": []} in spec["security"]
    assert spec["paths"]["/api/v1/auth/signup"]["post"]["security"] == []
    assert spec["paths"]["/api/v1/users/{username}"]["get"]["security"] == []
    assert "security" not in spec["paths"]["/api/v1/me"]["get"]  # the default: token or session
