"""Matching pages: explained suggestions, hand pairing, and every refusal with its reason."""

from __future__ import annotations

import pytest

from core.plugin_api import db
from plugins.mentorship.errors import MentorshipError
from plugins.mentorship.models import Pair, Signup
from plugins.mentorship.pairing import load_pool, make_pair, suggestions


@pytest.fixture
def in_request(app):
    with app.test_request_context():
        yield


def test_suggestions_show_why_with_points_adding_up(circle, programme, sign_up, client_for):
    sign_up(circle.mentor, "mentor")
    sign_up(circle.mentee, "mentee")
    page = (
        client_for(circle.admin).get(f"/g/parents/mentorship/{programme.id}/matching?suggest=1").get_data(as_text=True)
    )
    assert "Mia Mentor" in page and "Ben Mentee" in page
    assert "Shared topics: Crafts" in page and "Shared languages: English" in page
    assert "2 hours a week when both are free" not in page  # evenings are four hours, Monday and Wednesday
    assert "8 hours a week when both are free" in page
    result = suggestions(programme, load_pool(programme))
    suggestion = result.suggestions[0]
    assert f"{suggestion.score} points" in page
    assert sum(f.points for f in suggestion.explanation.factors) == suggestion.score


def test_unmatched_mentee_is_listed_with_a_translated_reason(circle, programme, sign_up, client_for):
    sign_up(circle.mentor, "mentor")
    sign_up(circle.mentee, "mentee", languages=["tr"])
    page = (
        client_for(circle.admin).get(f"/g/parents/mentorship/{programme.id}/matching?suggest=1").get_data(as_text=True)
    )
    assert "Ben Mentee</strong>: No mentor speaks Turkish." in page
    circle.admin.locale = "de"
    db.session.commit()
    page = (
        client_for(circle.admin).get(f"/g/parents/mentorship/{programme.id}/matching?suggest=1").get_data(as_text=True)
    )
    assert "Keine Mentorin und kein Mentor spricht Türkisch." in page


def test_a_blocked_pair_is_never_suggested_and_cannot_be_paired(circle, programme, sign_up, in_request):
    from plugins.reporting.blocks import block

    sign_up(circle.mentor, "mentor")
    sign_up(circle.mentee, "mentee")
    block(circle.mentee, circle.mentor)
    db.session.commit()
    result = suggestions(programme, load_pool(programme))
    assert result.suggestions == ()
    with pytest.raises(MentorshipError, match="cannot be paired"):
        make_pair(programme, circle.group, circle.mentor.id, circle.mentee.id)


def test_accepting_a_suggestion_pairs_and_introduces_both(circle, programme, sign_up, client_for, outbox):
    from core.plugin_api import Notification

    sign_up(circle.mentor, "mentor")
    sign_up(circle.mentee, "mentee")
    response = client_for(circle.admin).post(
        f"/g/parents/mentorship/{programme.id}/pairs",
        data={"mentor_id": circle.mentor.id, "mentee_id": circle.mentee.id},
    )
    assert response.status_code == 302
    pair = db.session.scalar(db.select(Pair))
    assert (pair.mentor_id, pair.mentee_id, pair.status) == (circle.mentor.id, circle.mentee.id, "active")
    notes = {
        n.user_id: n
        for n in db.session.scalars(db.select(Notification).where(Notification.kind == "mentorship_introduction"))
    }
    assert set(notes) == {circle.mentor.id, circle.mentee.id}
    assert notes[circle.mentee.id].data["other"] == "Mia Mentor"
    assert notes[circle.mentee.id].data["first_step"] == "Where we start"
    mails = {row.to_addr: row for row in outbox()}
    assert set(mails) >= {circle.mentor.email, circle.mentee.email}
    assert "Meet your mentor Mia Mentor" in mails[circle.mentee.email].body_text
    assert "Where we start" in mails[circle.mentee.email].body_text


def test_rejected_suggestion_is_not_suggested_again(circle, programme, sign_up, client_for):
    sign_up(circle.mentor, "mentor")
    sign_up(circle.mentee, "mentee")
    client_for(circle.admin).post(
        f"/g/parents/mentorship/{programme.id}/suggestions/reject",
        data={"mentor_id": circle.mentor.id, "mentee_id": circle.mentee.id},
    )
    assert suggestions(programme, load_pool(programme)).suggestions == ()


def test_self_pairing_is_refused(circle, programme, sign_up, in_request):
    sign_up(circle.mentor, "mentor")
    sign_up(circle.mentor, "mentee")
    with pytest.raises(MentorshipError, match="Nobody can be paired with themselves."):
        make_pair(programme, circle.group, circle.mentor.id, circle.mentor.id)


def test_pairing_over_capacity_is_refused(circle, programme, sign_up, in_request):
    sign_up(circle.mentor, "mentor", capacity="1")
    sign_up(circle.mentee, "mentee")
    sign_up(circle.other, "mentee")
    make_pair(programme, circle.group, circle.mentor.id, circle.mentee.id)
    with pytest.raises(MentorshipError, match=r"no free place \(capacity 1\)"):
        make_pair(programme, circle.group, circle.mentor.id, circle.other.id)


def test_pairing_someone_who_left_the_group_is_refused(circle, programme, sign_up, in_request):
    from core.plugin_api import Membership

    sign_up(circle.mentor, "mentor")
    sign_up(circle.mentee, "mentee")
    db.session.execute(db.delete(Membership).where(Membership.user_id == circle.mentee.id))
    db.session.commit()
    from flask import g

    g.pop("_memberships", None)
    with pytest.raises(MentorshipError, match="no longer a member"):
        make_pair(programme, circle.group, circle.mentor.id, circle.mentee.id)


def test_hand_pairing_refusal_is_shown_to_the_admin(circle, programme, sign_up, client_for):
    sign_up(circle.mentor, "mentor")
    client = client_for(circle.admin)
    client.post(
        f"/g/parents/mentorship/{programme.id}/pairs",
        data={"mentor_id": circle.mentor.id, "mentee_id": circle.other.id},
    )
    page = client.get(f"/g/parents/mentorship/{programme.id}/matching").get_data(as_text=True)
    assert "This person has not signed up as a mentee in this programme." in page
    assert db.session.scalar(db.select(Pair)) is None


def test_hand_pairing_lists_filter_by_topic(circle, programme, sign_up, client_for):
    sign_up(circle.mentor, "mentor", topics=["Cooking"])
    sign_up(circle.other, "mentor", topics=["Crafts"])
    page = (
        client_for(circle.admin)
        .get(f"/g/parents/mentorship/{programme.id}/matching?topic=Crafts")
        .get_data(as_text=True)
    )
    assert f'id="mentor-{circle.other.id}"' in page and f'id="mentor-{circle.mentor.id}"' not in page


def test_matching_page_is_for_group_admins_only(circle, programme, client_for):
    for user in (circle.mentor, circle.moderator, circle.site_admin):
        assert client_for(user).get(f"/g/parents/mentorship/{programme.id}/matching").status_code == 404
    assert client_for(circle.owner).get(f"/g/parents/mentorship/{programme.id}/matching").status_code == 200


def test_a_not_a_good_fit_pair_is_never_suggested_again_and_the_mentee_comes_first(circle, programme, pair, in_request):
    from plugins.mentorship.pairing import end_pair

    end_pair(pair, circle.group, by=circle.mentee, reason="not_a_good_fit")
    db.session.commit()
    pool = load_pool(programme)
    assert (circle.mentor.id, circle.mentee.id) in pool.ruled_out
    assert db.session.scalar(db.select(Signup.priority).where(Signup.user_id == circle.mentee.id))
    assert suggestions(programme, pool).suggestions == ()
