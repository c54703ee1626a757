"""The JSON API's template upload, fit check, feedback and suggestion rejection: happy and unhappy paths."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest

from core.plugin_api import Notification, db
from plugins.mentorship.models import Exclusion, Pair, Programme, Signup
from tests.plugins.mentorship.test_template_files import GOOD

BASE = "/api/v1/groups/parents/mentorship"


def _upload(client, source: str | bytes, name: str = "soap.yaml"):
    data = source.encode() if isinstance(source, str) else source
    return client.post(f"{BASE}/programmes/upload", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


# --- template upload ----------------------------------------------------------------------------


def test_a_group_admin_uploads_a_partner_template_as_a_draft_programme(circle, client_for):
    response = _upload(client_for(circle.admin), GOOD)
    assert response.status_code == 201
    body = response.get_json()
    assert (body["name"], body["state"], body["duration_weeks"]) == ("From hobby to business", "draft", 2)
    assert [step["title"] for step in body["steps"]] == ["Start", "Sell"]
    assert body["topics"] == ["Crafts", "Selling"] and body["questions"] == ["What do you make?"]


@pytest.mark.parametrize(("source", "line", "field"), [
    (GOOD.replace("name: From hobby to business\n", ""), 1, "name"),
    (GOOD.replace("  - title: Sell\n", "  - titel: Sell\n"), 13, "steps[2].title"),
    (GOOD.replace("duration_weeks: 2", "duration_weeks: two"), 5, "duration_weeks"),
])
def test_a_malformed_upload_names_the_file_line_and_field(circle, client_for, source, line, field):
    response = _upload(client_for(circle.admin), source, "partner.yaml")
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert errors["template"]["file"] == ["partner.yaml"]
    assert (errors["template"]["line"], errors["template"]["field"]) == ([str(line)], [field])
    [message] = errors["files"]["file"]
    assert message.startswith(f"partner.yaml, line {line}, field “{field}”:")
    assert db.session.scalar(db.select(Programme)) is None


def test_an_upload_that_is_not_text_is_refused_at_the_file(circle, client_for):
    response = _upload(client_for(circle.admin), b"\xff\xfe\x00binary", "logo.png")
    assert response.status_code == 422
    assert response.get_json()["errors"]["template"] == {
        "file": ["logo.png"], "line": ["1"], "field": ["-"], "problem": ["the file is not UTF-8 text"]}


def test_an_upload_without_a_file_names_the_file_field(circle, client_for):
    response = client_for(circle.admin).post(f"{BASE}/programmes/upload", data={}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "file" in response.get_json()["errors"]["files"]


@pytest.mark.parametrize("who", ["mentor", "moderator", "outsider", "site_admin"])
def test_only_group_admins_may_upload_a_template(circle, client_for, who):
    assert _upload(client_for(getattr(circle, who)), GOOD).status_code == 404
    assert db.session.scalar(db.select(Programme)) is None


# --- fit check ----------------------------------------------------------------------------------


def _two_weeks_in(pair):
    pair.started_at = pair.started_at - timedelta(weeks=2, hours=1)
    db.session.commit()


def test_the_fit_check_is_refused_before_the_second_week(circle, pair, client_for):
    response = client_for(circle.mentee).post(f"{BASE}/pairs/{pair.id}/fit", json={"answer": "good_fit"})
    assert response.status_code == 409
    assert response.get_json()["errors"]["json"]["answer"] == ["The fit check opens after your second week together."]
    assert client_for(circle.mentee).get(f"{BASE}/pairs/{pair.id}").get_json()["fit_check_open"] is False


def test_a_fit_answer_is_recorded_and_shown_only_to_whoever_gave_it(circle, pair, client_for):
    _two_weeks_in(pair)
    mentee = client_for(circle.mentee)
    assert mentee.get(f"{BASE}/pairs/{pair.id}").get_json()["fit_check_open"] is True
    body = mentee.post(f"{BASE}/pairs/{pair.id}/fit", json={"answer": "still_deciding"}).get_json()
    assert (body["my_fit"], body["status"]) == ("still_deciding", "active")
    assert client_for(circle.mentor).get(f"{BASE}/pairs/{pair.id}").get_json()["my_fit"] is None
    assert mentee.post(f"{BASE}/pairs/{pair.id}/fit", json={"answer": "good_fit"}).get_json()["my_fit"] == "good_fit"


def test_not_a_good_fit_through_the_api_ends_kindly_with_a_rematch(circle, pair, client_for):
    _two_weeks_in(pair)
    body = client_for(circle.mentor).post(f"{BASE}/pairs/{pair.id}/fit", json={"answer": "not_a_good_fit"}).get_json()
    assert (body["status"], body["end_reason"]) == ("ended", "not_a_good_fit")
    assert db.session.scalar(db.select(Signup.priority).where(Signup.user_id == circle.mentee.id))
    notice = db.session.scalar(db.select(Notification).where(Notification.user_id == circle.mentee.id,
                                                              Notification.kind == "mentorship_pair_ended"))
    assert notice.data == {"reason": "fit", "rematch": True}


@pytest.mark.parametrize("answer", [None, "", "maybe", 3])
def test_a_fit_answer_outside_the_three_is_refused_at_the_field(circle, pair, client_for, answer):
    _two_weeks_in(pair)
    response = client_for(circle.mentee).post(f"{BASE}/pairs/{pair.id}/fit", json={"answer": answer})
    assert response.status_code == 422 and "answer" in response.get_json()["errors"]["json"]
    db.session.refresh(pair)
    assert pair.fit_mentee is None


# --- feedback -----------------------------------------------------------------------------------


def test_feedback_waits_until_the_pair_has_ended(circle, pair, client_for):
    response = client_for(circle.mentee).post(f"{BASE}/pairs/{pair.id}/feedback", json={"feedback": "Thanks"})
    assert response.status_code == 409
    db.session.refresh(pair)
    assert pair.feedback_mentee == ""


def test_both_leave_feedback_and_each_reads_the_others(circle, pair, client_for):
    mentee, mentor = client_for(circle.mentee), client_for(circle.mentor)
    mentor.post(f"{BASE}/pairs/{pair.id}/end")
    body = mentee.post(f"{BASE}/pairs/{pair.id}/feedback", json={"feedback": " Thanks Mia ", "keep_posts": True})
    assert body.status_code == 200
    assert (body.get_json()["my_feedback"], body.get_json()["their_feedback"]) == ("Thanks Mia", "")
    mentor.post(f"{BASE}/pairs/{pair.id}/feedback", json={"feedback": "Good luck Ben"})
    assert mentee.get(f"{BASE}/pairs/{pair.id}").get_json()["their_feedback"] == "Good luck Ben"
    db.session.refresh(pair)
    assert (pair.keep_mentee, pair.keep_mentor) == (True, False)


def test_feedback_longer_than_2000_characters_is_refused_at_the_field(circle, pair, client_for):
    client_for(circle.mentor).post(f"{BASE}/pairs/{pair.id}/end")
    response = client_for(circle.mentee).post(f"{BASE}/pairs/{pair.id}/feedback", json={"feedback": "x" * 2001})
    assert response.status_code == 422 and "feedback" in response.get_json()["errors"]["json"]


def test_no_feedback_crosses_a_block(circle, pair, client_for):
    client_for(circle.mentee).post("/blocks", data={"user_id": circle.mentor.id})
    response = client_for(circle.mentor).post(f"{BASE}/pairs/{pair.id}/feedback", json={"feedback": "Why?"})
    assert response.status_code == 409
    db.session.refresh(pair)
    assert pair.feedback_mentor == ""


# --- rejecting a suggestion ---------------------------------------------------------------------


def test_an_admin_rejects_a_suggestion_and_it_is_not_suggested_again(circle, programme, sign_up, client_for):
    sign_up(circle.mentor, "mentor")
    sign_up(circle.mentee, "mentee")
    admin = client_for(circle.admin)
    url = f"{BASE}/programmes/{programme.id}/suggestions"
    assert len(admin.get(url).get_json()["suggestions"]) == 1
    pair = {"mentor_id": circle.mentor.id, "mentee_id": circle.mentee.id}
    assert admin.post(f"{url}/reject", json=pair).status_code == 204
    assert admin.get(url).get_json()["suggestions"] == []
    assert db.session.scalar(db.select(db.func.count(Exclusion.id))) == 1
    assert db.session.scalar(db.select(Pair)) is None


def test_only_group_admins_may_reject_a_suggestion(circle, programme, client_for):
    pair = {"mentor_id": circle.mentor.id, "mentee_id": circle.mentee.id}
    url = f"{BASE}/programmes/{programme.id}/suggestions/reject"
    assert client_for(circle.mentor).post(url, json=pair).status_code == 404
    assert client_for(circle.admin).post(url, json={"mentor_id": "x"}).status_code == 422
    assert db.session.scalar(db.select(Exclusion)) is None


# --- lists: mentors to ask, my requests, my pairs -----------------------------------------------


def test_a_mentee_lists_mentors_with_a_free_place_by_topic_and_asks_one(circle, programme, sign_up, client_for):
    programme.member_requests = True
    db.session.commit()
    sign_up(circle.mentor, "mentor", capacity="1")
    sign_up(circle.other, "mentor", topics=["Cooking"])
    sign_up(circle.mentee, "mentee")
    mentee = client_for(circle.mentee)
    url = f"{BASE}/programmes/{programme.id}/mentors"
    assert {m["user_id"] for m in mentee.get(url).get_json()} == {circle.mentor.id, circle.other.id}
    [crafts] = mentee.get(url, query_string={"topic": "Crafts"}).get_json()
    assert (crafts["display_name"], crafts["free_places"]) == ("Mia Mentor", 1)
    asked = mentee.post(f"{BASE}/programmes/{programme.id}/requests", json={"mentor_id": circle.mentor.id})
    assert asked.status_code == 201
    [mine] = mentee.get(f"{BASE}/programmes/{programme.id}/requests").get_json()
    [waiting] = client_for(circle.mentor).get(f"{BASE}/programmes/{programme.id}/requests").get_json()
    assert mine["id"] == waiting["id"] and waiting["status"] == "pending"
    assert client_for(circle.other).get(f"{BASE}/programmes/{programme.id}/requests").get_json() == []


def test_the_mentor_list_is_only_for_signed_up_mentees_where_members_ask(circle, programme, sign_up, client_for):
    sign_up(circle.mentee, "mentee")
    url = f"{BASE}/programmes/{programme.id}/mentors"
    assert client_for(circle.mentee).get(url).status_code == 404  # admin matching only
    programme.member_requests = True
    db.session.commit()
    assert client_for(circle.other).get(url).status_code == 404  # not signed up as a mentee
    assert client_for(circle.mentee).get(url).status_code == 200


def test_a_blocked_mentor_is_not_listed(circle, programme, sign_up, client_for):
    programme.member_requests = True
    db.session.commit()
    sign_up(circle.mentor, "mentor")
    sign_up(circle.mentee, "mentee")
    client_for(circle.mentor).post("/blocks", data={"user_id": circle.mentee.id})
    assert client_for(circle.mentee).get(f"{BASE}/programmes/{programme.id}/mentors").get_json() == []


def test_my_pairs_lists_only_my_own(circle, pair, client_for):
    [mine] = client_for(circle.mentee).get(f"{BASE}/pairs").get_json()
    assert (mine["id"], mine["status"]) == (pair.id, "active")
    for user in (circle.other, circle.admin, circle.site_admin):
        assert client_for(user).get(f"{BASE}/pairs").get_json() == []


# --- editing a programme's copy -----------------------------------------------------------------

COPY = {
    "name": "Soap to market",
    "description": "Four weeks from hobby to stall.",
    "steps": [{"title": "Start", "prompt": "What do you make?", "activity": "Show a bar."}, {"title": "Sell"}],
    "topics": ["Crafts", "Selling"],
    "questions": ["What do you make?"],
    "partner_name": "Makers' Guild",
    "partner_url": "https://example.org/guild",
    "partner_description": "Wrote the steps.",
    "admin_matching": True,
    "member_requests": True,
}


def test_an_admin_edits_the_copy_and_participants_see_the_partner(circle, programme, client_for):
    response = client_for(circle.admin).put(f"{BASE}/programmes/{programme.id}", json=COPY)
    assert response.status_code == 200
    body = response.get_json()
    assert (body["name"], body["duration_weeks"], body["member_requests"]) == ("Soap to market", 2, True)
    assert body["steps"][1] == {"title": "Sell", "prompt": "", "activity": "", "check_in": ""}
    assert programme.template_key == "skill_development"  # the template is untouched
    page = client_for(circle.mentee).get(f"/g/parents/mentorship/{programme.id}").get_data(as_text=True)
    assert "In partnership with Makers&#39; Guild" in page and 'href="https://example.org/guild"' in page


@pytest.mark.parametrize(("change", "field"), [
    ({"steps": [{"title": " ", "prompt": "p"}]}, "steps"),
    ({"steps": []}, "steps"),
    ({"name": ""}, "name"),
    ({"partner_url": "javascript:alert(1)"}, "partner_url"),
    ({"admin_matching": False, "member_requests": False}, "admin_matching"),
])
def test_a_bad_edit_is_refused_naming_the_field(circle, programme, client_for, change, field):
    response = client_for(circle.admin).put(f"{BASE}/programmes/{programme.id}", json={**COPY, **change})
    assert response.status_code == 422
    assert field in response.get_json()["errors"]["json"]
    db.session.refresh(programme)
    assert programme.name == "Skill development"


def test_a_step_without_a_title_is_named_by_its_position(circle, programme, client_for):
    steps = [{"title": "One"}, {"prompt": "no title"}]
    response = client_for(circle.admin).put(f"{BASE}/programmes/{programme.id}", json={**COPY, "steps": steps})
    assert response.get_json()["errors"]["json"]["steps"] == {"1": {"title": ["This field is required."]}}


@pytest.mark.parametrize("who", ["mentor", "moderator", "outsider", "site_admin"])
def test_only_group_admins_edit_a_programme(circle, programme, client_for, who):
    assert client_for(getattr(circle, who)).put(f"{BASE}/programmes/{programme.id}", json=COPY).status_code == 404


# --- the pool, for pairing by hand --------------------------------------------------------------


def test_admins_list_the_pool_by_role_topic_and_language(circle, programme, pair, sign_up, client_for):
    sign_up(circle.other, "mentee", topics=["Cooking"], languages=["de"])
    admin = client_for(circle.admin)
    url = f"{BASE}/programmes/{programme.id}/signups"
    everyone = admin.get(url).get_json()
    assert {(s["display_name"], s["role"], s["free_places"]) for s in everyone} == {
        ("Mia Mentor", "mentor", 1), ("Ben Mentee", "mentee", 0), ("Oli Other", "mentee", 1)}
    assert [s["display_name"] for s in admin.get(url, query_string={"role": "mentee", "language": "de"}).get_json()] \
        == ["Oli Other"]
    assert admin.get(url, query_string={"topic": "Cooking", "role": "mentor"}).get_json() == []
    assert admin.get(url, query_string={"role": "both"}).status_code == 422


def test_members_list_only_their_own_sign_ups(circle, programme, pair, client_for):
    [mine] = client_for(circle.mentee).get(f"{BASE}/programmes/{programme.id}/signups").get_json()
    assert (mine["user_id"], mine["role"]) == (circle.mentee.id, "mentee")
    assert client_for(circle.other).get(f"{BASE}/programmes/{programme.id}/signups").get_json() == []
