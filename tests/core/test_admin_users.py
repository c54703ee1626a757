"""Site administration: dashboard, user search with keyset pages, suspend and unsuspend."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from core.extensions import db
from core.models import User


def reload(user) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


@pytest.mark.parametrize("path", ["/admin/", "/admin/users", "/admin/users/1"])
def test_admin_pages_are_404_for_members_and_visitors(client, member_client, path):
    assert client.get(path).status_code == 404
    assert member_client.get(path).status_code == 404


def test_admin_actions_are_404_for_members(member_client, make_user):
    target = make_user("target")
    assert member_client.post(f"/admin/users/{target.id}/suspend", data={"reason": "x"}).status_code == 404
    assert reload(target).suspended_at is None


def test_dashboard_shows_counts_and_links(admin_client, make_group):
    make_group(slug="one")
    html = admin_client.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/users"' in html and 'href="/admin/plugins"' in html
    assert re.search(r"<dt>People</dt><dd>2</dd>", html)  # the admin and the group's owner
    assert re.search(r"<dt>Groups</dt><dd>1</dd>", html)


def test_user_list_searches_username_email_and_display_name(admin_client, make_user):
    make_user("alice", email="alice@wonder.example", display_name="Alice Liddell")
    make_user("bob", email="bob@builder.example", display_name="Bob the Builder")
    assert "alice@wonder.example" in admin_client.get("/admin/users?q=ALI").get_data(as_text=True)
    by_email = admin_client.get("/admin/users?q=builder.example").get_data(as_text=True)
    assert "bob@builder.example" in by_email and "alice@" not in by_email
    by_name = admin_client.get("/admin/users?q=liddell").get_data(as_text=True)
    assert "alice@wonder.example" in by_name and "bob@" not in by_name


def test_search_treats_wildcards_literally(admin_client, make_user):
    make_user("under_score")
    make_user("underxscore")
    html = admin_client.get("/admin/users?q=under_").get_data(as_text=True)
    assert "@under_score" in html and "@underxscore" not in html


def test_search_finds_a_name_that_starts_with_a_capital_umlaut(admin_client, make_user):
    """Written as shown: SQLite lower-cases ASCII only, so both sides are lowered in SQL, the same way."""
    make_user("oezlem", display_name="Özlem Yıldız")
    assert "@oezlem" in admin_client.get("/admin/users?q=Özlem").get_data(as_text=True)


def test_search_matches_percent_and_backslash_literally(admin_client, make_user):
    make_user("pct", display_name="100% Sure")
    make_user("slash", display_name="Back\\slash")
    make_user("plain", display_name="100 Sure")
    percent = admin_client.get("/admin/users?q=100%25").get_data(as_text=True)
    assert "@pct" in percent and "@plain" not in percent
    slash = admin_client.get("/admin/users?q=k%5Cs").get_data(as_text=True)
    assert "@slash" in slash and "@plain" not in slash


def test_user_list_pages_with_a_keyset_cursor(app, admin_client, make_user):
    app.config["PAGE_SIZE"] = 3
    for i in range(7):
        make_user(f"person{i}")
    seen = []
    url = "/admin/users"
    for _ in range(5):
        html = admin_client.get(url).get_data(as_text=True)
        seen += re.findall(r'<span class="muted">@([a-z0-9_]+)</span>', html)
        nxt = re.search(r'href="(/admin/users\?after=\d+)" rel="next"', html)
        if not nxt:
            break
        url = nxt.group(1)
    assert seen == [f"person{i}" for i in range(6, -1, -1)] + ["siteadmin"]


def test_user_list_query_count_does_not_grow(app, admin_client, make_user, count_queries):
    for i in range(25):
        make_user(f"p{i}")
    with count_queries() as queries:
        assert admin_client.get("/admin/users").status_code == 200
    assert len(queries) <= 6


def test_suspend_with_reason_and_date_then_unsuspend(admin_client, make_user, login, app):
    target = make_user("target")
    target_client = login(app.test_client(), target)
    until = (datetime.now(UTC) + timedelta(days=7)).date()
    response = admin_client.post(f"/admin/users/{target.id}/suspend",
                                 data={"reason": "Repeated spam", "until": until.isoformat()})
    assert response.status_code == 302
    user = reload(target)
    assert user.is_suspended and user.suspension_reason == "Repeated spam"
    assert user.suspended_until.date() == until
    assert target_client.get("/settings/profile").status_code == 302  # logged out
    page = admin_client.get(f"/admin/users/{target.id}").get_data(as_text=True)
    assert "Repeated spam" in page and "Lift the suspension" in page
    assert admin_client.post(f"/admin/users/{target.id}/unsuspend").status_code == 302
    assert not reload(target).is_suspended


def test_suspend_without_date_lasts_until_lifted(admin_client, make_user):
    target = make_user("target")
    admin_client.post(f"/admin/users/{target.id}/suspend", data={"reason": "Abuse", "until": ""})
    user = reload(target)
    assert user.is_suspended and user.suspended_until is None


@pytest.mark.parametrize("data, field, fragment", [
    ({"reason": ""}, "reason", "required"),
    ({"reason": "x" * 501}, "reason", "at most 500"),
    ({"reason": "ok", "until": "2000-01-01"}, "until", "future"),
    ({"reason": "ok", "until": "not a date"}, "until", "like 2030-01-31"),
])
def test_suspend_form_reports_bad_input(admin_client, make_user, data, field, fragment):
    target = make_user("target")
    response = admin_client.post(f"/admin/users/{target.id}/suspend", data=data)
    assert response.status_code == 422
    assert re.search(rf'id="{field}-error".*{fragment}', response.get_data(as_text=True), re.S)
    assert reload(target).suspended_at is None


def test_admin_cannot_suspend_themselves(admin_client, site_admin):
    response = admin_client.post(f"/admin/users/{site_admin.id}/suspend", data={"reason": "oops"})
    assert response.status_code == 302
    assert reload(site_admin).suspended_at is None


def test_unknown_user_is_404(admin_client):
    assert admin_client.get("/admin/users/999999").status_code == 404
    assert admin_client.post("/admin/users/999999/suspend", data={"reason": "x"}).status_code == 404


def test_admin_link_in_header_only_for_site_admins(admin_client, member_client):
    assert 'href="/admin/"' in admin_client.get("/").get_data(as_text=True)
    assert 'href="/admin/"' not in member_client.get("/").get_data(as_text=True)
