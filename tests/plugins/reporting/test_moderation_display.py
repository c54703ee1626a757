"""Moderation pages show evidence as readers saw it, priorities in words, sensible titles,
and refuse contradictory decisions at the field."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.extensions import db
from core.models import User
from core.models.base import utcnow
from plugins.reporting.models import Case, Decision


def report(client, content_type, content_id, category="harassment"):
    assert client.post(f"/report/{content_type}/{content_id}", data={"category": category}).status_code == 302
    db.session.expire_all()
    return db.session.scalar(select(Case).where(Case.content_type == content_type, Case.content_id == content_id))


@pytest.fixture
def marked_up(community, client_for, make_post):
    """A post with Markdown, two paragraphs and an attempt at script, reported for harassment."""
    post = make_post(community.group, community.bob, "**Loud** words\n\nsecond paragraph <script>alert(1)</script>")
    return report(client_for(community.alice), "post", post.id)


def test_the_case_page_shows_the_snapshot_rendered_and_sanitized(community, client_for, marked_up):
    page = client_for(community.moderator).get(f"/moderation/cases/{marked_up.id}").text
    assert "<strong>Loud</strong> words" in page and "<p>second paragraph" in page
    assert "**Loud**" not in page and "<script>alert" not in page


def test_the_queue_shows_the_rendered_snapshot_too(community, client_for, marked_up):
    page = client_for(community.moderator).get("/moderation/g/garden").text
    assert "<strong>Loud</strong> words" in page and "**Loud**" not in page


def test_a_profile_snapshot_keeps_its_line_breaks(community, client_for, site_admin):
    carol = db.session.get(User, community.carol.id)
    carol.bio = "first line\nsecond line"
    db.session.commit()
    case = report(client_for(community.alice), "profile", community.carol.id, category="spam")
    page = client_for(site_admin).get(f"/moderation/cases/{case.id}").text
    assert "<p>first line</p><p>second line</p>" in page


def test_the_affected_person_and_the_reporter_see_the_rendered_snapshot(community, client_for, marked_up):
    client_for(community.moderator).post(f"/moderation/cases/{marked_up.id}/decide",
                                         data={"actions": ["hide"], "explanation": "Too loud"})
    decision = db.session.scalar(select(Decision))
    assert "<strong>Loud</strong>" in client_for(community.bob).get(f"/decisions/{decision.id}").text
    my_report = client_for(community.alice).get("/reports").text
    report_url = re.search(r'href="(/reports/\d+)"', my_report).group(1)
    assert "<strong>Loud</strong>" in client_for(community.alice).get(report_url).text


def test_the_api_gives_the_snapshot_as_text_and_as_sanitized_html(community, client_for, marked_up):
    case = client_for(community.moderator).get(f"/api/v1/moderation/cases/{marked_up.id}").json
    assert case["snapshot"].startswith("**Loud** words")
    assert "<strong>Loud</strong>" in case["snapshot_html"] and "<script>" not in case["snapshot_html"]
    assert "<strong>Loud</strong>" in case["reports"][0]["snapshot_html"]


@pytest.mark.parametrize("category, level, word", [
    ("self_harm", "urgent", "Urgent"), ("harassment", "high", "High"), ("spam", "normal", "Normal")])
def test_priority_is_shown_in_words(community, client_for, category, level, word):
    case = report(client_for(community.alice), "post", community.post.id, category=category)
    moderator = client_for(community.moderator)
    queue = moderator.get("/moderation/g/garden").text
    assert f"Priority: {word}" in queue and f"priority {case.priority}" not in queue
    page = moderator.get(f"/moderation/cases/{case.id}").text
    assert f'reporting-priority-{level}">{word}</span>' in page
    assert moderator.get("/api/v1/moderation/queue?group=garden").json["items"][0]["priority_level"] == level


def test_priority_words_are_translated(community, client_for):
    moderator = db.session.get(User, community.moderator.id)
    moderator.locale = "de"
    db.session.commit()
    report(client_for(community.alice), "post", community.post.id, category="harassment")
    assert "Priorität: Hoch" in client_for(community.moderator).get("/moderation/g/garden").text


def test_a_profile_case_is_titled_profile_of_its_person(community, client_for, site_admin):
    case = report(client_for(community.alice), "profile", community.carol.id, category="spam")
    admin = client_for(site_admin)
    assert "Profile of Carol Member" in admin.get("/moderation/site").text
    page = admin.get(f"/moderation/cases/{case.id}").text
    assert "<h1>Profile of Carol Member</h1>" in page and "Profile by" not in page
    assert admin.get(f"/api/v1/moderation/cases/{case.id}").json["title"] == "Profile of Carol Member"


def test_a_post_case_is_titled_by_its_author(community, client_for):
    case = report(client_for(community.alice), "post", community.post.id)
    assert "<h1>Post by Bob Author</h1>" in client_for(community.moderator).get(f"/moderation/cases/{case.id}").text


# --- contradictory decisions --------------------------------------------------------------------


@pytest.fixture
def reported(community, client_for):
    return report(client_for(community.alice), "post", community.post.id)


def field_errors(html: str, field: str) -> str:
    found = re.search(rf'<ul class="field-errors" id="{field}-error">(.*?)</ul>', html, re.S)
    return found.group(1) if found else ""


@pytest.mark.parametrize("other", ["hide", "ban"])
def test_keep_with_a_sanction_is_refused_at_the_actions_field(community, client_for, reported, other):
    response = client_for(community.moderator).post(f"/moderation/cases/{reported.id}/decide",
                                                    data={"actions": ["keep", other], "explanation": "x"})
    assert response.status_code == 422
    message = field_errors(response.text, "actions")
    assert "Keep (no violation)" in message and ("Hide the item" in message or "Ban the author" in message)
    assert 'id="action-keep" name="actions" value="keep" checked' in response.text  # the choice is kept
    db.session.expire_all()
    assert db.session.get(Case, reported.id).is_open and db.session.scalar(select(Decision)) is None


def test_keep_with_a_sanction_is_refused_by_the_api_naming_the_field(community, client_for, reported):
    response = client_for(community.moderator).post(f"/api/v1/moderation/cases/{reported.id}/decisions",
                                                    json={"actions": ["keep", "ban"], "explanation": "x"})
    assert response.status_code == 422
    assert "Keep (no violation)" in response.json["errors"]["json"]["actions"][0]


def test_an_end_date_for_an_action_not_chosen_is_refused_at_that_date(community, client_for, reported):
    later = (utcnow() + timedelta(days=3)).date().isoformat()
    moderator = client_for(community.moderator)
    page = moderator.post(f"/moderation/cases/{reported.id}/decide",
                          data={"actions": ["warn"], "explanation": "x", "ban_until": later})
    assert page.status_code == 422 and "only for" in field_errors(page.text, "ban_until")
    api = moderator.post(f"/api/v1/moderation/cases/{reported.id}/decisions",
                         json={"actions": ["warn"], "explanation": "x", "suspend_until": later})
    assert api.status_code == 422 and "suspend_until" in api.json["errors"]["json"]
    assert db.session.scalar(select(Decision)) is None


def test_keep_with_a_caring_message_is_allowed(community, client_for, reported):
    response = client_for(community.moderator).post(f"/moderation/cases/{reported.id}/decide",
                                                    data={"actions": ["keep", "support"]})
    assert response.status_code == 302
