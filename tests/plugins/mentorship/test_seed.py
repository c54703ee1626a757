"""``make run``'s demo: a running programme in the demo group, seeded once."""

from __future__ import annotations

from core.plugin_api import Group, User, db
from plugins.mentorship.models import Pair, PairPost, Programme, Signup
from plugins.mentorship.seed import seed_demo_programme


def _seed(app):
    result = app.test_cli_runner().invoke(args=["seed"])
    assert result.exit_code == 0, result.output


def _count(model) -> int:
    return db.session.scalar(db.select(db.func.count(model.id)))


def test_flask_seed_creates_a_running_programme_with_sign_ups_and_a_pair_in_progress(app, enable_plugin):
    enable_plugin("mentorship")
    _seed(app)
    programme = db.session.scalar(db.select(Programme))
    group = db.session.get(Group, programme.group_id)
    assert (group.slug, programme.state, programme.template_key) == ("neighbours", "running", "skill_development")
    assert programme.partner_name
    assert _count(Signup) == 5
    pair = db.session.scalar(db.select(Pair))
    sam = db.session.scalar(db.select(User).where(User.username == "sam"))
    assert (pair.mentee_id, pair.status, pair.steps_done) == (sam.id, "active", 1)
    assert _count(PairPost) == 3


def test_seeding_again_changes_nothing(app, enable_plugin):
    enable_plugin("mentorship")
    _seed(app)
    assert seed_demo_programme() is None
    db.session.commit()
    _seed(app)
    assert (_count(Programme), _count(Signup), _count(Pair)) == (1, 5, 1)


def test_switching_mentorship_on_for_the_demo_group_later_seeds_it_once(app, enable_plugin):
    from core.plugins import state

    _seed(app)  # mentorship still off: nothing of it yet
    assert _count(Programme) == 0
    group = db.session.scalar(db.select(Group).where(Group.slug == "neighbours"))
    enable_plugin("mentorship", group)
    assert _count(Programme) == 1
    state.set_group_enabled("mentorship", group, False)
    state.set_group_enabled("mentorship", group, True)
    assert _count(Programme) == 1


def test_a_group_called_neighbours_on_a_real_site_is_left_alone(app, make_user, make_group, enable_plugin):
    make_user("sam")
    group = make_group(slug="neighbours", owner=make_user("founder"))
    enable_plugin("mentorship", group)
    assert _count(Programme) == 0


def test_the_demo_member_opens_the_pair_and_the_admin_sees_suggestions(app, enable_plugin, login):
    enable_plugin("mentorship")
    _seed(app)
    group = db.session.scalar(db.select(Group).where(Group.slug == "neighbours"))
    enable_plugin("mentorship", group)
    pair, programme = db.session.scalar(db.select(Pair)), db.session.scalar(db.select(Programme))
    sam = db.session.scalar(db.select(User).where(User.username == "sam"))
    admin = db.session.scalar(db.select(User).where(User.username == "admin"))
    page = login(app.test_client(), sam).get(f"/g/neighbours/mentorship/pairs/{pair.id}").get_data(as_text=True)
    assert "Lena Seifensiederin" in page and "Marktstand" in page
    page = login(app.test_client(), admin).get(f"/g/neighbours/mentorship/{programme.id}/matching?suggest=1")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Yuki Writer" in text and "Noah Baker" in text
