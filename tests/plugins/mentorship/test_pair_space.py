"""The pair space: the two of them only (404 for everyone else), steps, posts, comments, notes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.plugin_api import db
from plugins.mentorship.models import PairNote, PairPost

PAGES = ["", "/worried"]
ACTIONS = ["/posts", "/step-done", "/notes", "/fit", "/end", "/feedback", "/block"]


def _outsiders(circle):
    return {
        "other participant": circle.other,
        "group moderator": circle.moderator,
        "group admin": circle.admin,
        "group owner": circle.owner,
        "site admin": circle.site_admin,
        "non-member": circle.outsider,
    }


@pytest.mark.parametrize(
    "who", ["other participant", "group moderator", "group admin", "group owner", "site admin", "non-member", "visitor"]
)
def test_nobody_but_the_pair_reaches_any_pair_page_or_action(circle, programme, pair, sign_up, client_for, app, who):
    programme.kind = "encouragement_support"  # so the "worried" page exists for the pair
    db.session.commit()
    if who == "other participant":
        sign_up(circle.other, "mentee")
    client = app.test_client() if who == "visitor" else client_for(_outsiders(circle)[who])
    base = f"/g/parents/mentorship/pairs/{pair.id}"
    for page in PAGES:
        assert client.get(base + page).status_code == 404, page
    for action in ACTIONS:
        response = client.post(base + action, data={"body": "hi", "answer": "good_fit"})
        assert response.status_code in (404, 302) and (response.status_code == 404 or "/login" in response.location), (
            action
        )
    assert db.session.scalar(db.select(PairPost)) is None and db.session.scalar(db.select(PairNote)) is None
    db.session.refresh(pair)
    assert pair.status == "active" and pair.steps_done == 0


def test_both_of_the_pair_see_the_first_step(circle, pair, client_for):
    for user in (circle.mentor, circle.mentee):
        page = client_for(user).get(f"/g/parents/mentorship/pairs/{pair.id}").get_data(as_text=True)
        assert "Where we start" in page and "Week 1 of 4" in page
        assert "Only the two of you can see this page." in page


def test_a_pair_in_another_group_url_is_not_found(circle, pair, client_for, make_group):
    make_group(owner=circle.mentor, slug="elsewhere", members=(circle.mentee,))
    assert client_for(circle.mentor).get(f"/g/elsewhere/mentorship/pairs/{pair.id}").status_code == 404


def test_posts_and_comments_are_rendered_as_markdown_and_shared_by_the_two(circle, pair, client_for):
    client_for(circle.mentee).post(f"/g/parents/mentorship/pairs/{pair.id}/posts", data={"body": "Hello **Mia**"})
    post = db.session.scalar(db.select(PairPost))
    assert post.body_html.strip() == "<p>Hello <strong>Mia</strong></p>"
    client_for(circle.mentor).post(
        f"/g/parents/mentorship/pairs/{pair.id}/posts", data={"body": "Hi Ben", "parent_id": post.id}
    )
    page = client_for(circle.mentor).get(f"/g/parents/mentorship/pairs/{pair.id}").get_data(as_text=True)
    assert "Hello <strong>Mia</strong>" in page and "Hi Ben" in page
    assert db.session.scalar(db.select(PairPost).where(PairPost.parent_id == post.id)).author_id == circle.mentor.id


def test_an_empty_post_is_refused_with_a_reason(circle, pair, client_for):
    client = client_for(circle.mentee)
    client.post(f"/g/parents/mentorship/pairs/{pair.id}/posts", data={"body": "   "})
    page = client.get(f"/g/parents/mentorship/pairs/{pair.id}").get_data(as_text=True)
    assert "Write something first" in page
    assert db.session.scalar(db.select(PairPost)) is None


def test_marking_a_step_done_moves_on_to_the_next_week(circle, pair, client_for):
    client = client_for(circle.mentee)
    client.post(f"/g/parents/mentorship/pairs/{pair.id}/step-done")
    page = client.get(f"/g/parents/mentorship/pairs/{pair.id}").get_data(as_text=True)
    assert "Week 2 of 4" in page and "The first practice" in page
    db.session.refresh(pair)
    assert pair.steps_done == 1


def test_mentor_notes_are_for_the_mentor_alone(circle, pair, client_for):
    client_for(circle.mentor).post(f"/g/parents/mentorship/pairs/{pair.id}/notes", data={"body": "Ben is shy"})
    assert db.session.scalar(db.select(PairNote.body)) == "Ben is shy"
    assert "Ben is shy" in client_for(circle.mentor).get(f"/g/parents/mentorship/pairs/{pair.id}").get_data(
        as_text=True
    )
    mentee_page = client_for(circle.mentee).get(f"/g/parents/mentorship/pairs/{pair.id}").get_data(as_text=True)
    assert "Ben is shy" not in mentee_page and "Your private notes" not in mentee_page
    client_for(circle.mentee).post(f"/g/parents/mentorship/pairs/{pair.id}/notes", data={"body": "sneaky"})
    assert db.session.scalar(db.select(db.func.count(PairNote.id))) == 1


def test_the_pair_page_has_a_fixed_number_of_queries(circle, pair, client_for, count_queries):
    client = client_for(circle.mentee)
    url = f"/g/parents/mentorship/pairs/{pair.id}"
    client.post(f"{url}/posts", data={"body": "one"})
    with count_queries() as few:
        client.get(url)
    for n in range(5):
        client.post(f"/g/parents/mentorship/pairs/{pair.id}/posts", data={"body": f"more {n}"})
    with count_queries() as many:
        client.get(url)
    assert len(many) == len(few)
    assert len(few) <= 6


def test_fit_check_appears_after_two_weeks(circle, pair, client_for):
    client = client_for(circle.mentee)
    assert "Two weeks in" not in client.get(f"/g/parents/mentorship/pairs/{pair.id}").get_data(as_text=True)
    pair.started_at = pair.started_at - timedelta(weeks=2, hours=1)
    db.session.commit()
    assert "Two weeks in" in client.get(f"/g/parents/mentorship/pairs/{pair.id}").get_data(as_text=True)
    client.post(f"/g/parents/mentorship/pairs/{pair.id}/fit", data={"answer": "good_fit"})
    db.session.refresh(pair)
    assert pair.fit_mentee == "good_fit" and pair.status == "active"
