"""The header a member finds their way with, ``/settings``, and one wording for the same thing."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_member_header_has_search_notifications_settings_and_log_out(member_client):
    html = member_client.get("/g/").text
    header = html[html.index('<header class="site-header"'):html.index("</header>")]
    assert 'role="search"' in header and 'href="/notifications/"' in header
    assert re.search(r'<a href="/settings"[^>]*>Settings</a>', header) and "Log out" in header


def test_visitor_header_offers_log_in_and_sign_up_but_no_settings(client):
    header = client.get("/").text.split("</header>")[0]
    assert ">Log in<" in header and ">Sign up<" in header and 'href="/settings"' not in header


def test_settings_leads_to_the_first_settings_page(member_client):
    response = member_client.get("/settings")
    assert response.status_code == 302 and response.headers["Location"].endswith("/settings/profile")
    assert 'href="/settings" aria-current="page"' in member_client.get("/settings/profile").text


def test_settings_asks_a_visitor_to_log_in(client):
    response = client.get("/settings")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_member_reads_you_are_a_member_here(member_client, member, make_group):
    make_group(slug="club", members=(member,))
    assert "You are a member here" in member_client.get("/g/club").text
    assert "You are a member here" in member_client.get("/g/").text


def _texts() -> list[Path]:
    patterns = ("core/templates/**/*.html", "core/templates/**/*.txt", "plugins/*/templates/**/*.html",
                "plugins/*/templates/**/*.txt", "examples/*/*/templates/**/*.html", "core/**/*.py", "plugins/**/*.py")
    return [path for pattern in patterns for path in ROOT.glob(pattern)]


def test_every_page_says_log_in_never_sign_in_or_login_as_a_verb():
    found = []
    for path in _texts():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if re.search(r"\b[Ss]ign in\b|>\s*Login\s*<|\"Login\"", line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []


def test_no_template_says_you_are_role_here_with_a_bare_role():
    for path in _texts():
        assert "You are %(role)s here" not in path.read_text(encoding="utf-8"), path
