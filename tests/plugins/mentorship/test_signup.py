"""Sign-up as mentor or mentee: adults who are members, once per role, editable, withdrawable."""
from __future__ import annotations

from core.plugin_api import User, db
from plugins.mentorship.models import Signup
from plugins.mentorship.signups import refusal

FORM = {"goals": "Learn to sell soap", "topics": ["Crafts"], "languages": ["en", "de"], "time_zone": "Europe/Berlin",
        "availability": ["0-evening", "5-morning"], "capacity": "3"}


def test_member_signs_up_as_mentor_with_capacity_and_availability(circle, programme, client_for):
    response = client_for(circle.mentor).post(f"/g/parents/mentorship/{programme.id}/signup/mentor", data=FORM)
    assert response.status_code == 302
    signup = db.session.scalar(db.select(Signup))
    assert (signup.role, signup.capacity, signup.languages) == ("mentor", 3, ["de", "en"])
    assert [0, 17] in signup.availability and [5, 8] in signup.availability and len(signup.availability) == 8


def test_mentee_capacity_is_always_one(circle, programme, client_for):
    client_for(circle.mentee).post(f"/g/parents/mentorship/{programme.id}/signup/mentee", data=FORM)
    assert db.session.scalar(db.select(Signup.capacity)) == 1


def test_second_sign_up_in_the_same_role_is_refused(circle, programme, sign_up):
    sign_up(circle.mentor, "mentor")
    assert refusal(circle.mentor, programme, circle.group, "mentor") == \
        "You have already signed up as a mentor in this programme."
    assert refusal(circle.mentor, programme, circle.group, "mentee") is None


def test_second_sign_up_posted_again_is_refused_with_a_conflict(circle, programme, sign_up, client_for):
    sign_up(circle.mentee, "mentee")
    from plugins.mentorship.errors import MentorshipError
    from plugins.mentorship.schemas import ProgrammeSignupSchema
    from plugins.mentorship.signups import sign_up as do

    data = ProgrammeSignupSchema(topics=programme.topics).load(FORM)
    try:
        do(circle.mentee, programme, circle.group, "mentee", data)
        raise AssertionError("a second sign-up was accepted")
    except MentorshipError as err:
        assert err.status == 409 and "already signed up as a mentee" in err.message
    assert db.session.scalar(db.select(db.func.count(Signup.id))) == 1


def test_posting_the_form_again_edits_the_existing_sign_up(circle, programme, sign_up, client_for):
    sign_up(circle.mentee, "mentee")
    client_for(circle.mentee).post(f"/g/parents/mentorship/{programme.id}/signup/mentee",
                                   data={**FORM, "goals": "New goals"})
    assert db.session.scalar(db.select(Signup.goals)) == "New goals"
    assert db.session.scalar(db.select(db.func.count(Signup.id))) == 1


def test_non_member_sees_why_and_cannot_sign_up(circle, programme, client_for):
    client = client_for(circle.outsider)
    page = client.get(f"/g/parents/mentorship/{programme.id}").get_data(as_text=True)
    assert "Only members of this group can sign up." in page
    response = client.post(f"/g/parents/mentorship/{programme.id}/signup/mentee", data=FORM)
    assert response.status_code == 403
    assert db.session.scalar(db.select(Signup)) is None


def test_a_minor_is_refused_with_the_reason(circle, programme):
    minor = User(username="kid", email="kid@example.org", display_name="Kid", password_hash="x",
                 adult_attested_at=None)
    minor.id = circle.mentee.id  # a member, but without the 18+ attestation
    assert refusal(minor, programme, circle.group, "mentee") == \
        "Mentorship programmes are for adults only: your account has no 18+ confirmation."


def test_sign_up_closed_unless_the_programme_is_open(circle, programme, client_for):
    programme.state = "running"
    db.session.commit()
    response = client_for(circle.mentee).post(f"/g/parents/mentorship/{programme.id}/signup/mentee", data=FORM)
    assert response.status_code == 403
    assert "not open for sign-up" in response.get_data(as_text=True)


def test_bad_input_is_shown_next_to_each_field(circle, programme, client_for):
    response = client_for(circle.mentee).post(
        f"/g/parents/mentorship/{programme.id}/signup/mentee",
        data={"goals": "", "topics": ["Astrology"], "languages": [], "time_zone": "Mars/Olympus"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    for field in ("goals", "topics", "languages", "time_zone"):
        assert f'id="{field}-error"' in page
    assert "Choose topics from the programme&#39;s list." in page or "Choose topics from the programme's list." in page


def test_withdraw_before_pairing_deletes_the_sign_up(circle, programme, sign_up, client_for):
    sign_up(circle.mentee, "mentee")
    client_for(circle.mentee).post(f"/g/parents/mentorship/{programme.id}/signup/mentee/withdraw")
    assert db.session.scalar(db.select(Signup)) is None


def test_withdraw_after_pairing_is_refused(circle, programme, pair, client_for):
    client = client_for(circle.mentee)
    client.post(f"/g/parents/mentorship/{programme.id}/signup/mentee/withdraw")
    assert db.session.scalar(db.select(db.func.count(Signup.id))) == 2


def test_a_stated_language_preference_is_scored_and_explained(circle, programme, sign_up, client_for):
    sign_up(circle.mentor, "mentor", languages=["en"])
    sign_up(circle.other, "mentor", languages=["en", "de"])
    sign_up(circle.mentee, "mentee", languages=["en", "de"], preferred_languages=["de"])
    page = client_for(circle.admin).get(f"/g/parents/mentorship/{programme.id}/matching?suggest=1")
    text = page.get_data(as_text=True)
    assert "<strong>Oli Other</strong> mentors <strong>Ben Mentee</strong>" in text
    assert "The mentee&#39;s wishes met: German" in text


def test_preferring_a_language_one_does_not_speak_is_refused_at_the_field(circle, programme, client_for):
    from tests.plugins.mentorship.conftest import SIGNUP

    response = client_for(circle.mentee).post(
        f"/g/parents/mentorship/{programme.id}/signup/mentee", data={**SIGNUP, "preferred_languages": ["tr"]}
    )
    assert response.status_code == 422
    assert "Choose preferred languages among the languages you can talk in." in response.get_data(as_text=True)
    api = client_for(circle.mentee).put(
        f"/api/v1/groups/parents/mentorship/programmes/{programme.id}/signups/mentee",
        json={**SIGNUP, "capacity": 1, "availability": ["0-evening"], "preferred_languages": ["tr"]},
    )
    assert api.status_code == 422 and "preferred_languages" in api.get_json()["errors"]["json"]
