"""Member requests: mentees browse mentors by topic and ask; mentors accept or decline; capacity holds."""

from __future__ import annotations

import pytest

from core.plugin_api import Notification, db
from plugins.mentorship.models import MatchRequest, Pair


@pytest.fixture
def requests_on(programme):
    programme.member_requests = True
    db.session.commit()
    return programme


def test_mentee_browses_mentors_by_topic(circle, requests_on, sign_up, client_for):
    sign_up(circle.mentor, "mentor", topics=["Crafts"])
    sign_up(circle.other, "mentor", topics=["Cooking"])
    sign_up(circle.mentee, "mentee")
    page = (
        client_for(circle.mentee)
        .get(f"/g/parents/mentorship/{requests_on.id}/mentors?topic=Crafts")
        .get_data(as_text=True)
    )
    assert "Mia Mentor" in page and "Oli Other" not in page


def test_directory_is_only_for_mentees_of_programmes_with_requests(circle, programme, sign_up, client_for):
    sign_up(circle.mentee, "mentee")
    assert client_for(circle.mentee).get(f"/g/parents/mentorship/{programme.id}/mentors").status_code == 404
    programme.member_requests = True
    db.session.commit()
    assert client_for(circle.other).get(f"/g/parents/mentorship/{programme.id}/mentors").status_code == 404


def test_ask_then_accept_pairs_the_two(circle, requests_on, sign_up, client_for):
    sign_up(circle.mentor, "mentor")
    sign_up(circle.mentee, "mentee")
    client_for(circle.mentee).post(
        f"/g/parents/mentorship/{requests_on.id}/requests",
        data={"mentor_id": circle.mentor.id, "message": "I make soap too"},
    )
    request = db.session.scalar(db.select(MatchRequest))
    assert request.status == "pending"
    assert (
        db.session.scalar(db.select(Notification.kind).where(Notification.user_id == circle.mentor.id))
        == "mentorship_request"
    )
    page = client_for(circle.mentor).get(f"/g/parents/mentorship/{requests_on.id}").get_data(as_text=True)
    assert "I make soap too" in page
    client_for(circle.mentor).post(f"/g/parents/mentorship/requests/{request.id}/accept")
    db.session.refresh(request)
    assert request.status == "accepted"
    assert db.session.scalar(db.select(Pair.mentee_id)) == circle.mentee.id


def test_decline_tells_the_mentee(circle, requests_on, sign_up, client_for):
    sign_up(circle.mentor, "mentor")
    sign_up(circle.mentee, "mentee")
    client_for(circle.mentee).post(
        f"/g/parents/mentorship/{requests_on.id}/requests", data={"mentor_id": circle.mentor.id}
    )
    request = db.session.scalar(db.select(MatchRequest))
    client_for(circle.mentor).post(f"/g/parents/mentorship/requests/{request.id}/decline")
    db.session.refresh(request)
    assert request.status == "declined" and db.session.scalar(db.select(Pair)) is None
    assert (
        db.session.scalar(db.select(Notification.kind).where(Notification.user_id == circle.mentee.id))
        == "mentorship_request_declined"
    )


def test_asking_a_full_mentor_is_refused_with_the_reason(circle, requests_on, sign_up, client_for, app):
    from plugins.mentorship.pairing import make_pair

    sign_up(circle.mentor, "mentor", capacity="1")
    sign_up(circle.mentee, "mentee")
    sign_up(circle.other, "mentee")
    with app.test_request_context():
        make_pair(requests_on, circle.group, circle.mentor.id, circle.mentee.id)
    db.session.commit()
    client = client_for(circle.other)
    client.post(f"/g/parents/mentorship/{requests_on.id}/requests", data={"mentor_id": circle.mentor.id})
    assert db.session.scalar(db.select(MatchRequest)) is None
    page = client.get(f"/g/parents/mentorship/{requests_on.id}/mentors").get_data(as_text=True)
    assert "This mentor has no free place (capacity 1)." in page
    assert "Ask Mia Mentor" not in page


def test_capacity_is_respected_when_accepting(circle, requests_on, sign_up, client_for, make_user, add_member):
    sign_up(circle.mentor, "mentor", capacity="1")
    sign_up(circle.mentee, "mentee")
    sign_up(circle.other, "mentee")
    for user in (circle.mentee, circle.other):
        client_for(user).post(f"/g/parents/mentorship/{requests_on.id}/requests", data={"mentor_id": circle.mentor.id})
    first, second = db.session.scalars(db.select(MatchRequest).order_by(MatchRequest.id)).all()
    client = client_for(circle.mentor)
    client.post(f"/g/parents/mentorship/requests/{first.id}/accept")
    client.post(f"/g/parents/mentorship/requests/{second.id}/accept")
    assert db.session.scalar(db.select(db.func.count(Pair.id))) == 1
    page = client.get(f"/g/parents/mentorship/{requests_on.id}").get_data(as_text=True)
    assert "no free place (capacity 1)" in page


def test_only_the_asked_mentor_can_answer(circle, requests_on, sign_up, client_for):
    sign_up(circle.mentor, "mentor")
    sign_up(circle.mentee, "mentee")
    client_for(circle.mentee).post(
        f"/g/parents/mentorship/{requests_on.id}/requests", data={"mentor_id": circle.mentor.id}
    )
    request = db.session.scalar(db.select(MatchRequest))
    for user in (circle.admin, circle.mentee, circle.site_admin):
        assert client_for(user).post(f"/g/parents/mentorship/requests/{request.id}/accept").status_code == 404
    assert db.session.scalar(db.select(Pair)) is None
