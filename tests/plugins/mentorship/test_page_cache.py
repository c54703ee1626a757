"""Mentorship on cached pages: a pair's writes retire its two people's pages, never the site's."""
from __future__ import annotations

from typing import Any

from core.page_cache.versions import SITE, user_key


def versions(app: Any, *keys: str) -> tuple:
    return app.extensions["commonground.page_cache"].versions.read(keys)


def test_a_post_in_the_pair_space_retires_no_other_members_page(app, circle, pair, client_for):
    before = versions(app, SITE, user_key(circle.other.id))
    response = client_for(circle.mentee).post(f"/g/parents/mentorship/pairs/{pair.id}/posts",
                                              data={"body": "Hello Mia"})
    assert response.status_code == 302
    assert versions(app, SITE, user_key(circle.other.id)) == before


def test_a_step_done_shows_on_the_partners_cached_home_page(app, circle, pair, programme, client_for):
    pages = app.extensions["commonground.page_cache"]
    mentee = client_for(circle.mentee)
    mentee.get("/")
    hits = pages.hits
    assert "Step 1 of" in mentee.get("/").text
    assert pages.hits == hits + 1, "the home page was not served from the cache"
    assert client_for(circle.mentor).post(f"/g/parents/mentorship/pairs/{pair.id}/step-done").status_code == 302
    assert f"Step 2 of {len(programme.steps)}" in mentee.get("/").text


def test_signing_up_retires_no_cached_page(app, circle, programme, sign_up):
    before = versions(app, SITE, user_key(circle.other.id))
    sign_up(circle.other, "mentee")
    assert versions(app, SITE, user_key(circle.other.id)) == before
