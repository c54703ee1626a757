"""Suggested matches: one block query for the whole pool, and remembered until their input changes."""

from __future__ import annotations

import pytest

from core.plugin_api import Membership, User, db, utcnow
from plugins.mentorship import pairing, suggestion_cache
from plugins.mentorship.models import Pair, Signup


@pytest.fixture
def engine_runs(monkeypatch):
    """How often the matching engine really ran (not answered from the store)."""
    runs = []
    real = pairing.suggest_matches

    def counted(*args, **kwargs):
        runs.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(pairing, "suggest_matches", counted)
    return runs


@pytest.fixture
def crowd(circle, programme):
    """``crowd(n, role)``: n more adult members signed up in ``role`` (one password hash, no hashing each)."""
    made = {"n": 0}

    def make(n: int, role: str, **signup):
        people = []
        for _ in range(n):
            made["n"] += 1
            name = f"{role}{made['n']}"
            people.append(User(username=name, email=f"{name}@example.org", display_name=name.title(), locale="en",
                               adult_attested_at=utcnow(), email_confirmed_at=utcnow(),
                               password_hash=circle.other.password_hash))
        db.session.add_all(people)
        db.session.flush()
        db.session.add_all(Membership(group_id=circle.group.id, user_id=p.id, role="member") for p in people)
        values = {"topics": ["Crafts"], "languages": ["en"], "time_zone": "Europe/Berlin",
                  "availability": [[0, 19], [2, 20]], "capacity": 1, **signup}
        db.session.add_all(Signup(programme_id=programme.id, user_id=p.id, role=role, **values) for p in people)
        db.session.commit()
        return people

    return make


def _suggested(programme) -> set[tuple[int, int]]:
    return {(s.mentor, s.mentee) for s in pairing.suggestions(programme, pairing.load_pool(programme)).suggestions}


def _page(client, programme):
    response = client.get(f"/g/parents/mentorship/{programme.id}/matching?suggest=1")
    assert response.status_code == 200
    return response


# --- query counts -------------------------------------------------------------------------------


@pytest.mark.parametrize("cached", [False, True], ids=["computed", "remembered"])
def test_the_suggestions_page_costs_the_same_queries_for_5_or_50_of_each(
        circle, programme, crowd, client_for, count_queries, cached):
    from plugins.reporting.blocks import block

    client = client_for(circle.admin)
    _page(client, programme)  # per-worker, once-only loads (site profile, plugin state) are not the page's cost
    counts = []
    for size in (5, 45):  # 5 of each, then 50 of each
        mentors, mentees = crowd(size, "mentor"), crowd(size, "mentee")
        block(mentors[0], mentees[-1])  # blocks are part of the pool's input
        db.session.commit()
        suggestion_cache.forget()
        if cached:
            _page(client, programme)
        with count_queries() as queries:
            page = _page(client, programme).get_data(as_text=True)
        counts.append(len(queries))
        assert mentees[-1].display_name in page
    assert counts[0] == counts[1], counts


def test_blocks_in_the_pool_cost_one_query_not_one_per_mentor(circle, programme, crowd, count_queries):
    from plugins.reporting.models import Block

    crowd(30, "mentor")
    crowd(30, "mentee")
    pool = pairing.load_pool(programme)
    with count_queries() as queries:
        pairing.suggestions(programme, pool)
    assert sum("reporting_blocks" in q for q in queries) == 1
    assert Block.__tablename__ == "reporting_blocks"


# --- remembered, and never stale ----------------------------------------------------------------


def test_an_unchanged_pool_is_not_matched_again(circle, programme, sign_up, engine_runs, client_for):
    sign_up(circle.mentor, "mentor")
    sign_up(circle.mentee, "mentee")
    client = client_for(circle.admin)
    first = _page(client, programme).get_data(as_text=True)
    second = _page(client, programme).get_data(as_text=True)
    assert len(engine_runs) == 1
    assert "Mia Mentor" in second and first.count("points") == second.count("points")


def test_a_new_sign_up_is_suggested_at_once(circle, programme, sign_up, engine_runs):
    sign_up(circle.mentor, "mentor")
    sign_up(circle.mentee, "mentee")
    assert _suggested(programme) == {(circle.mentor.id, circle.mentee.id)}
    sign_up(circle.other, "mentee")
    assert _suggested(programme) == {(circle.mentor.id, circle.mentee.id), (circle.mentor.id, circle.other.id)}
    assert len(engine_runs) == 2


def test_a_withdrawn_sign_up_is_no_longer_suggested(circle, programme, sign_up, engine_runs):
    from plugins.mentorship.signups import withdraw

    sign_up(circle.mentor, "mentor")
    sign_up(circle.mentee, "mentee")
    assert _suggested(programme)
    withdraw(circle.mentee, programme, "mentee")
    db.session.commit()
    assert _suggested(programme) == set()


def test_a_lower_capacity_is_respected_at_once(circle, programme, sign_up, engine_runs):
    mentor = sign_up(circle.mentor, "mentor", capacity="2")
    sign_up(circle.mentee, "mentee")
    sign_up(circle.other, "mentee")
    assert len(_suggested(programme)) == 2
    mentor.capacity = 1
    db.session.commit()
    assert len(_suggested(programme)) == 1


def test_a_new_pair_takes_its_mentee_and_a_place_out_of_the_suggestions(circle, programme, sign_up, engine_runs):
    sign_up(circle.mentor, "mentor", capacity="1")
    sign_up(circle.mentee, "mentee")
    sign_up(circle.other, "mentee")
    assert len(_suggested(programme)) == 1
    db.session.add(Pair(programme_id=programme.id, mentor_id=circle.mentor.id, mentee_id=circle.other.id))
    db.session.commit()
    assert _suggested(programme) == set()


def test_a_block_removes_the_suggestion_at_once(circle, programme, sign_up, engine_runs, client_for):
    sign_up(circle.mentor, "mentor")
    sign_up(circle.mentee, "mentee")
    assert _suggested(programme) == {(circle.mentor.id, circle.mentee.id)}
    client_for(circle.mentee).post("/blocks", data={"user_id": circle.mentor.id})
    assert _suggested(programme) == set()
    client_for(circle.mentee).post(f"/blocks/{circle.mentor.id}/delete")
    assert _suggested(programme) == {(circle.mentor.id, circle.mentee.id)}


def test_not_a_good_fit_is_never_suggested_again(circle, programme, pair, engine_runs):
    assert _suggested(programme) == set()  # Ben is paired
    pair.status, pair.end_reason = "ended", "not_a_good_fit"
    db.session.commit()
    assert _suggested(programme) == set()
    pair.end_reason = "ended_by_member"  # the same two, ended for another reason, may meet again
    db.session.commit()
    assert _suggested(programme) == {(circle.mentor.id, circle.mentee.id)}


def test_a_rejected_suggestion_is_replaced_at_once(circle, programme, sign_up, engine_runs):
    sign_up(circle.mentor, "mentor")
    sign_up(circle.other, "mentor")
    sign_up(circle.mentee, "mentee")
    [first] = _suggested(programme)
    pairing.reject_suggestion(programme, *first)
    db.session.commit()
    [second] = _suggested(programme)
    assert second != first and second[1] == circle.mentee.id


def test_the_store_keeps_a_bounded_number_of_programmes():
    suggestion_cache.forget()
    for programme_id in range(suggestion_cache.MAX_PROGRAMMES + 5):
        suggestion_cache.remembered(programme_id, "key", lambda pid=programme_id: pid)
    assert len(suggestion_cache._store) == suggestion_cache.MAX_PROGRAMMES
    assert 0 not in suggestion_cache._store and suggestion_cache.MAX_PROGRAMMES + 4 in suggestion_cache._store
