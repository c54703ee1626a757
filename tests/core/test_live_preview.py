"""The composer's live preview: the text rendered while typing by the publishing renderer, through a
POST that answers an HTML fragment — CSRF-protected, rate-limited, never writing; without
JavaScript the page is the same as before (a hidden section, the Preview button)."""
from __future__ import annotations

import re

import pytest


@pytest.fixture
def club(make_group, member, make_user):
    return make_group(slug="club", members=[member, make_user("ada", display_name="Ada")], visibility="public")


def preview(client, body, slug="club"):
    return client.post(f"/g/{slug}/preview", data={"body": body})


def test_the_text_comes_back_rendered_as_publishing_would(member_client, club):
    response = preview(member_client, "**Hello** @ada <script>x</script>")
    assert response.status_code == 200
    assert response.content_type.startswith("text/html") and response.headers["Cache-Control"] == "no-store"
    assert response.text.startswith("<p><strong>Hello</strong> <a href=\"/u/ada\"")
    assert "<script" not in response.text


def test_a_preview_never_writes(member_client, club, count_queries):
    preview(member_client, "warm up")
    with count_queries() as statements:
        assert preview(member_client, "Hello @ada").status_code == 200
    assert not [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


def test_an_empty_text_previews_as_nothing(member_client, club):
    response = preview(member_client, "   ")
    assert response.status_code == 200 and response.text == ""


def test_a_text_over_the_limit_is_refused(member_client, club):
    response = preview(member_client, "x" * 10_001)
    assert response.status_code == 422 and "Use at most 10000 characters." == response.text


def test_only_members_who_may_write_get_a_preview(app, club, make_user, login, make_group, member_client):
    assert preview(app.test_client(), "Hi").status_code in (302, 401)
    outsider = login(app.test_client(), make_user("outsider"))
    assert preview(outsider, "Hi").status_code == 403
    make_group(slug="secret", visibility="private")
    assert preview(outsider, "Hi", slug="secret").status_code == 404


class TestCSRF:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_a_preview_needs_the_forms_csrf_token(self, member_client, club):
        html = member_client.get("/g/club").text
        form = html[html.index('id="post-form"'):]
        token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        assert member_client.post("/g/club/preview", data={"body": "Hi"}).status_code == 400
        assert member_client.post("/g/club/preview", data={"body": "Hi", "csrf_token": "forged"}).status_code == 400
        response = member_client.post("/g/club/preview", data={"body": "Hi", "csrf_token": token})
        assert response.status_code == 200 and response.text == "<p>Hi</p>\n"


class TestRateLimit:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_PREVIEW": "2 per minute"}

    def test_previews_are_rate_limited_per_account(self, member_client, club):
        assert [preview(member_client, f"Text {n}").status_code for n in range(3)] == [200, 200, 429]


def test_the_composers_carry_the_enhancement_and_a_polite_live_region(member_client, club, make_post, member):
    for url in ("/g/club", f"/g/club/p/{make_post(club, member, 'A post').id}"):
        html = member_client.get(url).text
        assert re.search(r'data-preview="/g/club/preview"', html)
        assert re.search(r'<section class="preview" aria-labelledby="[^"]+" hidden>', html)
        assert '<div class="post-body" aria-live="polite"></div>' in html
        assert '<script src="/static/preview.js" defer></script>' in html


def test_the_script_is_our_own_file_and_the_policy_allows_no_inline_script(client):
    response = client.get("/static/preview.js")
    assert response.status_code == 200 and "fetch(url" in response.text
    policy = response.headers.get("Content-Security-Policy") or client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
