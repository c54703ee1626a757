"""The admin view: counts only, never words; figures from fewer than 5 pairs are withheld."""

from __future__ import annotations

from core.plugin_api import db
from plugins.mentorship.models import Pair


def _pairs(programme, users, n, **columns):
    for _ in range(n):
        db.session.add(Pair(programme_id=programme.id, mentor_id=users[0].id, mentee_id=users[1].id, **columns))
    db.session.commit()


def test_fewer_than_five_pairs_show_only_totals(circle, programme, pair, client_for):
    client_for(circle.mentee).post(f"/g/parents/mentorship/pairs/{pair.id}/posts", data={"body": "secret words"})
    page = client_for(circle.admin).get(f"/g/parents/mentorship/{programme.id}/overview").get_data(as_text=True)
    assert "More figures appear from 5 pairs on" in page
    assert "Fit check" not in page and "Steps completed" not in page
    assert "secret words" not in page


def test_from_five_pairs_on_the_figures_are_shown(circle, programme, pair, client_for):
    _pairs(programme, (circle.mentor, circle.other), 3, steps_done=2, fit_mentee="good_fit")
    _pairs(programme, (circle.mentor, circle.other), 1, status="ended", end_reason="ended_by_member")
    page = client_for(circle.admin).get(f"/g/parents/mentorship/{programme.id}/overview").get_data(as_text=True)
    assert "More figures appear" not in page
    assert "<dt>Steps completed</dt><dd>6</dd>" in page
    assert "<dt>Fit check: good fit</dt><dd>3</dd>" in page
    assert "<dt>Ended early</dt><dd>1</dd>" in page


def test_overview_is_for_group_admins_only(circle, programme, client_for):
    for user in (circle.mentor, circle.moderator, circle.site_admin, circle.outsider):
        assert client_for(user).get(f"/g/parents/mentorship/{programme.id}/overview").status_code == 404


def test_programme_pages_have_a_fixed_number_of_queries(
    circle, programme, sign_up, client_for, count_queries, make_user, add_member
):
    sign_up(circle.mentor, "mentor")
    member, admin = client_for(circle.mentee), client_for(circle.admin)
    urls = {
        "programme": (member, f"/g/parents/mentorship/{programme.id}"),
        "list": (member, "/g/parents/mentorship"),
        "matching": (admin, f"/g/parents/mentorship/{programme.id}/matching"),
    }
    for client, url in urls.values():  # once-per-worker loads (plugin state, site profile) are not a page's cost
        client.get(url)
    few = {}
    for name, (client, url) in urls.items():
        with count_queries() as queries:
            assert client.get(url).status_code == 200
        few[name] = len(queries)
    for n in range(6):
        user = make_user(f"extra{n}")
        add_member(circle.group, user, "member")
        sign_up(user, "mentee" if n % 2 else "mentor")
    for name, (client, url) in urls.items():
        with count_queries() as queries:
            client.get(url)
        assert len(queries) == few[name], name
    assert few["programme"] <= 6 and few["list"] <= 6
