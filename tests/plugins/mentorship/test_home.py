"""Mentorship on the member's home page (core's ``home`` slot): the step each active pairing is on."""
from __future__ import annotations

from core.plugin_api import db
from plugins.reporting.models import Block


def test_both_partners_see_the_step_due_with_a_link_to_their_space(circle, pair, programme, client_for):
    first = programme.steps[0]["title"]
    total = len(programme.steps)
    for person, other in ((circle.mentor, "Ben Mentee"), (circle.mentee, "Mia Mentor")):
        html = client_for(person).get("/").text
        assert "Your mentoring" in html
        assert f"Step 1 of {total} is due: {first}" in html and f"with {other}" in html
        assert f'href="/g/parents/mentorship/pairs/{pair.id}"' in html


def test_the_next_step_shows_once_one_is_done(circle, pair, programme, client_for):
    pair.steps_done = 1
    db.session.commit()
    assert f"Step 2 of {len(programme.steps)} is due: {programme.steps[1]['title']}" in \
        client_for(circle.mentee).get("/").text


def test_others_and_ended_pairs_show_nothing(circle, pair, client_for):
    assert "Your mentoring" not in client_for(circle.other).get("/").text
    pair.status = "ended"
    db.session.commit()
    assert "Your mentoring" not in client_for(circle.mentor).get("/").text


def test_nothing_shows_where_mentorship_is_switched_off_in_the_group(circle, pair, client_for):
    from core.plugins import state as plugin_state

    plugin_state.set_group_enabled("mentorship", circle.group, False)
    assert "Your mentoring" not in client_for(circle.mentor).get("/").text


def test_a_block_hides_the_pairing_from_home(circle, pair, client_for):
    db.session.add(Block(blocker_id=circle.mentee.id, blocked_id=circle.mentor.id))
    db.session.commit()
    assert "Your mentoring" not in client_for(circle.mentor).get("/").text
