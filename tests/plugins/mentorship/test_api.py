"""The JSON API: the same rules as the pages, pairs 404 to anyone but the two, refusals name the field."""

from __future__ import annotations

import pytest

from core.plugin_api import db
from plugins.mentorship.models import PairPost, Programme, Signup

BASE = "/api/v1/groups/parents/mentorship"
SIGNUP = {
    "goals": "Learn",
    "topics": ["Crafts"],
    "languages": ["en"],
    "time_zone": "Europe/Berlin",
    "availability": ["0-evening"],
    "capacity": 2,
}


def test_admin_creates_opens_and_pairs_through_the_api(circle, client_for):
    admin = client_for(circle.admin)
    templates = admin.get(f"{BASE}/templates").get_json()
    assert {t["key"] for t in templates} == {"career_advancement", "skill_development", "encouragement_support"}
    created = admin.post(f"{BASE}/programmes", json={"template": "skill_development"})
    assert created.status_code == 201
    programme_id = created.get_json()["id"]
    assert admin.post(f"{BASE}/programmes/{programme_id}/state", json={"state": "open"}).get_json()["state"] == "open"
    assert (
        client_for(circle.mentor).put(f"{BASE}/programmes/{programme_id}/signups/mentor", json=SIGNUP).status_code
        == 200
    )
    assert (
        client_for(circle.mentee).put(f"{BASE}/programmes/{programme_id}/signups/mentee", json=SIGNUP).status_code
        == 200
    )
    suggestions = admin.get(f"{BASE}/programmes/{programme_id}/suggestions").get_json()
    [suggestion] = suggestions["suggestions"]
    assert sum(f["points"] for f in suggestion["factors"]) == suggestion["score"]
    assert any(f["text"] == "Shared topics: Crafts" for f in suggestion["factors"])
    pair = admin.post(
        f"{BASE}/programmes/{programme_id}/pairs",
        json={"mentor_id": suggestion["mentor_id"], "mentee_id": suggestion["mentee_id"]},
    )
    assert pair.status_code == 201 and pair.get_json()["current_step"]["title"] == "Where we start"


def test_refusals_name_the_field(circle, programme, sign_up, client_for):
    sign_up(circle.mentor, "mentor")
    admin = client_for(circle.admin)
    response = admin.post(
        f"{BASE}/programmes/{programme.id}/pairs", json={"mentor_id": circle.mentor.id, "mentee_id": circle.mentor.id}
    )
    assert response.status_code == 422
    assert response.get_json()["errors"]["json"]["mentee_id"] == ["Nobody can be paired with themselves."]
    again = client_for(circle.mentor).put(
        f"{BASE}/programmes/{programme.id}/signups/mentor", json={**SIGNUP, "topics": ["Astrology"]}
    )
    assert again.status_code == 422 and "topics" in again.get_json()["errors"]["json"]


def test_non_member_sign_up_is_refused(circle, programme, client_for):
    response = client_for(circle.outsider).put(f"{BASE}/programmes/{programme.id}/signups/mentee", json=SIGNUP)
    assert response.status_code == 403
    assert "Only members of this group can sign up." in response.get_json()["message"]
    assert db.session.scalar(db.select(Signup)) is None


@pytest.mark.parametrize(
    "who", ["other participant", "group moderator", "group admin", "site admin", "non-member", "visitor"]
)
def test_pair_routes_answer_404_to_everyone_but_the_pair(circle, pair, client_for, app, who):
    users = {
        "other participant": circle.other,
        "group moderator": circle.moderator,
        "group admin": circle.admin,
        "site admin": circle.site_admin,
        "non-member": circle.outsider,
    }
    client = app.test_client() if who == "visitor" else client_for(users[who])
    expected = 401 if who == "visitor" else 404
    url = f"{BASE}/pairs/{pair.id}"
    for path in ("", "/posts", "/notes"):
        assert client.get(url + path).status_code == expected, path
    for path, body in (("/posts", {"body": "hi"}), ("/steps/done", None), ("/notes", {"body": "n"}), ("/end", None),
                       ("/fit", {"answer": "not_a_good_fit"}), ("/feedback", {"feedback": "hi"})):
        assert client.post(url + path, json=body).status_code in (expected, 422), path
    assert db.session.scalar(db.select(PairPost)) is None
    db.session.refresh(pair)
    assert (pair.status, pair.steps_done) == ("active", 0)


def test_the_pair_posts_marks_done_and_only_the_mentor_reads_notes(circle, pair, client_for):
    mentee, mentor = client_for(circle.mentee), client_for(circle.mentor)
    post = mentee.post(f"{BASE}/pairs/{pair.id}/posts", json={"body": "Hi *Mia*"})
    assert post.status_code == 201 and "<em>Mia</em>" in post.get_json()["body_html"]
    assert (
        mentor.post(
            f"{BASE}/pairs/{pair.id}/posts", json={"body": "Hi Ben", "parent_id": post.get_json()["id"]}
        ).status_code
        == 201
    )
    assert len(mentor.get(f"{BASE}/pairs/{pair.id}/posts").get_json()) == 2
    assert mentee.post(f"{BASE}/pairs/{pair.id}/steps/done").get_json()["steps_done"] == 1
    assert mentor.post(f"{BASE}/pairs/{pair.id}/notes", json={"body": "private"}).status_code == 201
    assert mentee.get(f"{BASE}/pairs/{pair.id}/notes").status_code == 404
    assert [n["body"] for n in mentor.get(f"{BASE}/pairs/{pair.id}/notes").get_json()] == ["private"]
    assert mentee.post(f"{BASE}/pairs/{pair.id}/end").get_json()["status"] == "ended"
    assert mentee.post(f"{BASE}/pairs/{pair.id}/posts", json={"body": "late"}).status_code == 409


def test_drafts_are_not_found_for_members(circle, client_for):
    client_for(circle.admin).post(f"{BASE}/programmes", json={"template": "skill_development"})
    programme_id = db.session.scalar(db.select(Programme.id))
    assert client_for(circle.mentee).get(f"{BASE}/programmes/{programme_id}").status_code == 404
    assert client_for(circle.mentee).get(f"{BASE}/programmes/{programme_id}/suggestions").status_code == 404


def test_every_route_is_in_the_openapi_document(circle, client):
    spec = client.get("/api/v1/openapi.json").get_json()
    paths = {path for path in spec["paths"] if "/mentorship" in path}
    assert "/api/v1/groups/{slug}/mentorship/pairs/{pair_id}/posts" in paths
    assert "/api/v1/groups/{slug}/mentorship/programmes/{programme_id}/suggestions" in paths
    assert len(paths) >= 12
