"""Ending a pair: by either person, after the fit check, by a block, by erasure; completed vs ended."""

from __future__ import annotations

from datetime import timedelta

from core.plugin_api import Notification, db
from plugins.mentorship.models import Pair, PairNote, PairPost, Signup


def _kinds(user_id):
    return [
        n.data
        for n in db.session.scalars(
            db.select(Notification).where(Notification.user_id == user_id, Notification.kind == "mentorship_pair_ended")
        )
    ]


def test_either_person_can_end_and_the_other_is_told_kindly(circle, pair, client_for):
    client_for(circle.mentee).post(f"/g/parents/mentorship/pairs/{pair.id}/end", data={"feedback": "Thanks Mia"})
    db.session.refresh(pair)
    assert (pair.status, pair.end_reason, pair.feedback_mentee) == ("ended", "ended_by_member", "Thanks Mia")
    assert _kinds(circle.mentor.id) == [{"reason": "ended", "rematch": False}]
    page = client_for(circle.mentor).get(f"/g/parents/mentorship/pairs/{pair.id}").get_data(as_text=True)
    assert "This pairing has ended." in page and "Send feedback" in page


def test_an_ended_pair_takes_no_more_posts_and_stays_in_both_histories(circle, pair, client_for):
    client_for(circle.mentor).post(f"/g/parents/mentorship/pairs/{pair.id}/end")
    client_for(circle.mentee).post(f"/g/parents/mentorship/pairs/{pair.id}/posts", data={"body": "still there?"})
    assert db.session.scalar(db.select(PairPost)) is None
    for user in (circle.mentor, circle.mentee):
        page = client_for(user).get("/mentorship/mine").get_data(as_text=True)
        assert "Skill development" in page and "ended" in page


def test_a_finished_programme_completes_its_active_pairs(circle, programme, pair, client_for):
    programme.state = "running"
    db.session.commit()
    client_for(circle.admin).post(f"/g/parents/mentorship/{programme.id}/state", data={"state": "finished"})
    db.session.refresh(pair)
    assert pair.status == "completed"
    assert "completed" in client_for(circle.mentee).get("/mentorship/mine").get_data(as_text=True)


def test_not_a_good_fit_ends_kindly_and_offers_a_rematch_with_priority(circle, pair, client_for):
    pair.started_at = pair.started_at - timedelta(weeks=3)
    db.session.commit()
    client_for(circle.mentor).post(f"/g/parents/mentorship/pairs/{pair.id}/fit", data={"answer": "not_a_good_fit"})
    db.session.refresh(pair)
    assert (pair.status, pair.end_reason, pair.fit_mentor) == ("ended", "not_a_good_fit", "not_a_good_fit")
    assert db.session.scalar(
        db.select(Signup.priority).where(Signup.user_id == circle.mentee.id, Signup.role == "mentee")
    )
    assert _kinds(circle.mentee.id) == [{"reason": "fit", "rematch": True}]


def test_blocking_from_the_pair_ends_it_at_once_and_offers_the_block(circle, pair, client_for):
    client = client_for(circle.mentee)
    response = client.post(f"/g/parents/mentorship/pairs/{pair.id}/block")
    page = response.get_data(as_text=True)
    db.session.refresh(pair)
    assert (pair.status, pair.end_reason) == ("ended", "blocked")
    assert 'action="/blocks"' in page and f'value="{circle.mentor.id}"' in page
    # the blocked person gets the neutral notice an erased account also gives: never why, nor who
    assert _kinds(circle.mentor.id) == [{"reason": "ended", "rematch": True}]
    assert db.session.scalar(
        db.select(Signup.priority).where(Signup.user_id == circle.mentee.id, Signup.role == "mentee")
    )


def test_a_block_made_elsewhere_closes_the_pair_space(circle, pair, client_for):
    from plugins.reporting.blocks import block

    block(circle.mentor, circle.mentee)
    db.session.commit()
    client = client_for(circle.mentee)
    page = client.get(f"/g/parents/mentorship/pairs/{pair.id}").get_data(as_text=True)
    assert "This pairing has ended." in page and "Mark this step as done" not in page
    client.post(f"/g/parents/mentorship/pairs/{pair.id}/posts", data={"body": "hello?"})
    assert db.session.scalar(db.select(PairPost)) is None


def test_report_link_on_the_other_persons_post(circle, pair, client_for):
    client_for(circle.mentor).post(f"/g/parents/mentorship/pairs/{pair.id}/posts", data={"body": "hello"})
    post = db.session.scalar(db.select(PairPost))
    page = client_for(circle.mentee).get(f"/g/parents/mentorship/pairs/{pair.id}").get_data(as_text=True)
    assert f'href="/report/mentorship_pair_post/{post.id}"' in page
    assert client_for(circle.mentee).get(f"/report/mentorship_pair_post/{post.id}").status_code == 200
    assert client_for(circle.admin).get(f"/report/mentorship_pair_post/{post.id}").status_code == 404


def test_worried_link_only_in_encouragement_and_support_programmes(circle, programme, pair, client_for):
    client = client_for(circle.mentee)
    assert "I&#39;m worried about my mentor" not in client.get(f"/g/parents/mentorship/pairs/{pair.id}").get_data(
        as_text=True
    )
    assert client.get(f"/g/parents/mentorship/pairs/{pair.id}/worried").status_code == 404
    programme.kind = "encouragement_support"
    db.session.commit()
    page = client.get(f"/g/parents/mentorship/pairs/{pair.id}").get_data(as_text=True)
    assert "worried about my mentor" in page
    help_page = client.get(f"/g/parents/mentorship/pairs/{pair.id}/worried")
    assert help_page.status_code == 200 and "emergency" in help_page.get_data(as_text=True).lower()


def test_export_holds_my_sign_ups_pairings_posts_and_notes(circle, pair, client_for, export_data):
    client_for(circle.mentor).post(f"/g/parents/mentorship/pairs/{pair.id}/posts", data={"body": "my post"})
    client_for(circle.mentor).post(f"/g/parents/mentorship/pairs/{pair.id}/notes", data={"body": "my note"})
    data = export_data(circle.mentor)["plugins"]["mentorship"]
    assert [s["role"] for s in data["signups"]] == ["mentor"]
    assert data["pairings"][0]["role"] == "mentor" and data["posts"][0]["body"] == "my post"
    assert data["notes"][0]["body"] == "my note"
    assert export_data(circle.mentee)["plugins"]["mentorship"]["notes"] == []


def test_erasing_an_account_ends_its_pairs_and_the_other_is_offered_a_rematch(circle, pair, client_for, erase_account):
    client_for(circle.mentor).post(f"/g/parents/mentorship/pairs/{pair.id}/notes", data={"body": "note"})
    erase_account(circle.mentor)
    assert db.session.scalar(db.select(Pair)) is None and db.session.scalar(db.select(PairNote)) is None
    assert db.session.scalar(db.select(Signup.priority).where(Signup.user_id == circle.mentee.id))
    assert _kinds(circle.mentee.id) == [{"reason": "ended", "rematch": True}]


def _notices(user_id):
    return list(
        db.session.scalars(
            db.select(Notification).where(Notification.user_id == user_id, Notification.kind == "mentorship_pair_ended")
        )
    )


def _assert_ended_by_block(pair, circle, blocker, blocked):
    db.session.refresh(pair)
    assert (pair.status, pair.end_reason) == ("ended", "blocked")
    [notice] = _notices(blocked.id)
    assert notice.data == {"reason": "ended", "rematch": True} and notice.actor_id is None
    assert _notices(blocker.id) == []
    assert db.session.scalar(
        db.select(Signup.priority).where(Signup.user_id == circle.mentee.id, Signup.role == "mentee")
    )


def test_a_block_from_a_profile_ends_the_pair_in_the_same_request(circle, pair, client_for):
    response = client_for(circle.mentor).post("/blocks", data={"user_id": circle.mentee.id})
    assert response.status_code == 302
    _assert_ended_by_block(pair, circle, blocker=circle.mentor, blocked=circle.mentee)


def test_a_block_through_the_api_ends_the_pair_in_the_same_request(circle, pair, client_for):
    response = client_for(circle.mentee).post("/api/v1/blocks", json={"username": circle.mentor.username})
    assert response.status_code == 201
    _assert_ended_by_block(pair, circle, blocker=circle.mentee, blocked=circle.mentor)


def test_the_blocked_person_sees_only_that_the_pairing_ended(circle, pair, client_for):
    client_for(circle.mentee).post("/blocks", data={"user_id": circle.mentor.id})
    mentor = client_for(circle.mentor)
    page = mentor.get(f"/g/parents/mentorship/pairs/{pair.id}").get_data(as_text=True)
    assert "This pairing has ended." in page and "blocked" not in page.lower()
    notes = mentor.get("/notifications/").get_data(as_text=True)
    assert "Your mentorship pairing has ended. Thank you for the time you gave it." in notes


def test_a_block_between_others_leaves_the_pair_alone(circle, pair, client_for):
    client_for(circle.mentor).post("/blocks", data={"user_id": circle.other.id})
    db.session.refresh(pair)
    assert pair.status == "active" and _notices(circle.mentee.id) == []


def test_blocking_again_changes_nothing(circle, pair, client_for):
    client = client_for(circle.mentor)
    client.post("/blocks", data={"user_id": circle.mentee.id})
    client.post("/blocks", data={"user_id": circle.mentee.id})
    assert len(_notices(circle.mentee.id)) == 1


def test_a_failing_pair_ending_never_undoes_the_block_and_the_hourly_job_finishes_it(
        circle, pair, client_for, monkeypatch):
    from plugins.mentorship import pairing
    from plugins.mentorship.jobs import end_blocked_pairs
    from plugins.reporting.blocks import has_blocked

    def broken(*args, **kwargs):
        raise RuntimeError("mentorship failed")

    monkeypatch.setattr(pairing, "end_for_block", broken)
    assert client_for(circle.mentor).post("/blocks", data={"user_id": circle.mentee.id}).status_code == 302
    assert has_blocked(circle.mentor.id, circle.mentee.id)
    db.session.refresh(pair)
    assert pair.status == "active"
    assert end_blocked_pairs() == 1
    db.session.refresh(pair)
    assert (pair.status, pair.end_reason) == ("ended", "blocked")
