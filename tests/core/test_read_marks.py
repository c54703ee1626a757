""""New since your last visit" on a group's feed: markers, and the explicit POST that moves the mark.

Reading never writes: a GET of any page leaves the database as it was (counted statements);
only the beacon/button POST moves the mark, forward only, to the time of a post in that group.
"""
from __future__ import annotations

from datetime import timedelta

import pytest

from core.extensions import db
from core.models import GroupRead, Membership, Post
from core.models.base import utcnow


@pytest.fixture
def ada(make_user):
    return make_user("ada")


@pytest.fixture
def bob(make_user):
    return make_user("bob")


@pytest.fixture
def club(make_group, ada, bob):
    """Ada joined an hour ago; the posts below are from the last half hour."""
    group = make_group(owner=bob, slug="club", members=(ada,))
    db.session.execute(db.update(Membership).values(created_at=utcnow() - timedelta(hours=1)))
    db.session.commit()
    return group


def _post(group, author, body: str, seconds: int) -> Post:
    post = Post(group_id=group.id, author_id=author.id, body_source=body, body_html=f"<p>{body}</p>",
                created_at=utcnow() - timedelta(minutes=30) + timedelta(seconds=seconds))
    db.session.add(post)
    db.session.commit()
    return post


def _mark(user, group):
    db.session.expire_all()
    row = db.session.get(GroupRead, (user.id, group.id))
    return row.read_until if row else None


def test_group_feed_marks_new_posts_and_offers_mark_as_read(app, login, ada, bob, club):
    _post(club, bob, "fresh", 5)
    html = login(app.test_client(), ada).get("/g/club").text
    assert 'class="post-new"' in html and "New since your last visit" in html
    assert 'action="/g/club/read"' in html and "Mark as read" in html and "read-mark.js" in html


def test_own_posts_are_never_new(app, login, ada, club):
    _post(club, ada, "mine", 5)
    html = login(app.test_client(), ada).get("/g/club").text
    assert "New since your last visit" not in html and "Mark as read" not in html


def test_visitors_and_non_members_see_no_markers(app, client, login, make_user, bob, club):
    _post(club, bob, "fresh", 5)
    assert "New since your last visit" not in client.get("/g/club").text
    assert "New since your last visit" not in login(app.test_client(), make_user("carol")).get("/g/club").text


def test_viewing_pages_never_writes_the_read_mark(app, login, ada, bob, club, count_queries):
    post = _post(club, bob, "fresh", 5)
    client = login(app.test_client(), ada)
    client.get("/g/club")
    with count_queries() as statements:
        for url in ("/", "/g/club", f"/g/club/p/{post.id}", "/u/bob"):
            assert client.get(url).status_code == 200
    assert [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))] == []
    assert _mark(ada, club) is None


def test_beacon_moves_the_mark_to_the_post_shown_and_answers_204(app, login, ada, bob, club):
    first = _post(club, bob, "first", 5)
    _post(club, bob, "second", 10)
    client = login(app.test_client(), ada)
    response = client.post("/g/club/read", data={"upto": first.id, "beacon": "1"})
    assert response.status_code == 204
    assert _mark(ada, club) == first.created_at
    html = client.get("/g/club").text
    assert html.count("New since your last visit") == 1  # only "second" is still new


def test_mark_as_read_button_marks_everything_and_redirects_with_a_message(app, login, ada, bob, club):
    newest = _post(club, bob, "fresh", 5)
    client = login(app.test_client(), ada)
    response = client.post("/g/club/read", data={"upto": newest.id}, follow_redirects=True)
    assert "Everything in Club is marked as read." in response.text
    assert "New since your last visit" not in response.text
    assert "badge unread" not in client.get("/").text


def test_the_mark_never_moves_backwards(app, login, ada, bob, club):
    old, new = _post(club, bob, "old", 5), _post(club, bob, "new", 10)
    client = login(app.test_client(), ada)
    client.post("/g/club/read", data={"upto": new.id, "beacon": "1"})
    client.post("/g/club/read", data={"upto": old.id, "beacon": "1"})
    assert _mark(ada, club) == new.created_at


def test_a_post_of_another_group_cannot_move_the_mark(app, login, ada, bob, club, make_group):
    elsewhere = make_group(owner=bob, slug="elsewhere", members=(ada,))
    foreign = _post(elsewhere, bob, "foreign", 5)
    client = login(app.test_client(), ada)
    assert client.post("/g/club/read", data={"upto": foreign.id, "beacon": "1"}).status_code == 404
    assert client.post("/g/club/read", data={"upto": "x1", "beacon": "1"}).status_code == 404
    assert _mark(ada, club) is None


def test_only_members_have_a_read_mark(app, client, login, make_user, bob, club):
    post = _post(club, bob, "fresh", 5)
    assert login(app.test_client(), make_user("carol")).post("/g/club/read", data={"upto": post.id}).status_code == 404
    assert client.post("/g/club/read", data={"upto": post.id}).status_code in (302, 401)
    assert db.session.scalar(db.select(db.func.count()).select_from(GroupRead)) == 0


def test_the_read_mark_needs_the_csrf_token(csrf_client, ada, bob, club):
    older, newer = _post(club, bob, "older", 5), _post(club, bob, "newer", 10)
    client = csrf_client(ada)
    assert client.post("/g/club/read", data={"upto": older.id, "beacon": "1"}).status_code == 204
    forged = client.post("/g/club/read", data={"upto": newer.id, "beacon": "1"}, headers={"X-CSRFToken": "forged"})
    assert forged.status_code == 400 and _mark(ada, club) == older.created_at


def test_deleting_a_group_removes_its_read_marks(app, login, ada, bob, club):
    post = _post(club, bob, "fresh", 5)
    login(app.test_client(), ada).post("/g/club/read", data={"upto": post.id, "beacon": "1"})
    db.session.delete(db.session.get(type(club), club.id))
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count()).select_from(GroupRead)) == 0


# --- the API: the same marks ------------------------------------------------------------------


def test_api_lists_my_groups_with_unread_counts_and_pending_requests(app, login, ada, bob, club, make_group):
    from core.models import JoinRequest

    _post(club, bob, "fresh", 5)
    asked = make_group(owner=bob, slug="asked", join_mode="request")
    db.session.add(JoinRequest(group_id=asked.id, user_id=ada.id))
    db.session.commit()
    data = login(app.test_client(), ada).get("/api/v1/me/groups").json
    assert [(g["slug"], g["role"], g["unread"], g["waiting_requests"]) for g in data["items"]] == [
        ("club", "member", 1, 0)]
    assert data["requested"] == ["asked"]


def test_api_moves_the_mark_like_the_beacon(app, login, ada, bob, club):
    post = _post(club, bob, "fresh", 5)
    client = login(app.test_client(), ada)
    assert client.post("/api/v1/groups/club/read", json={"upto": post.id}).status_code == 204
    assert _mark(ada, club) == post.created_at
    assert client.get("/api/v1/me/groups").json["items"][0]["unread"] == 0


def test_api_without_a_post_marks_everything_up_to_now(app, login, ada, bob, club):
    _post(club, bob, "fresh", 5)
    client = login(app.test_client(), ada)
    assert client.post("/api/v1/groups/club/read", json={}).status_code == 204
    assert _mark(ada, club) is not None and client.get("/api/v1/me/groups").json["items"][0]["unread"] == 0


def test_api_refuses_a_foreign_post_a_non_member_and_a_visitor(app, client, login, ada, bob, club, make_user,
                                                              make_group):
    foreign = _post(make_group(owner=bob, slug="other"), bob, "foreign", 5)
    member = login(app.test_client(), ada)
    assert member.post("/api/v1/groups/club/read", json={"upto": foreign.id}).status_code == 404
    bad = member.post("/api/v1/groups/club/read", json={"upto": "x"})
    assert bad.status_code == 422 and "upto" in bad.json["errors"]["json"]
    assert login(app.test_client(), make_user("carol")).post("/api/v1/groups/club/read", json={}).status_code == 404
    assert client.post("/api/v1/groups/club/read", json={}).status_code == 401
    assert client.get("/api/v1/me/groups").status_code == 401
    assert _mark(ada, club) is None
