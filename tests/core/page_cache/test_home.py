"""The member's home page from the cache: each thing it shows changes on the next page of another
instance, and a write in a group the member is not in leaves it cached.

Instance B serves the home page from its cache; instance A writes (through its pages, or the
ORM as a job or command would). Every test runs with the versions in the database and in Redis
(``conftest.py``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from core.extensions import db
from core.models import GroupRead, Invitation, JoinRequest, Membership
from core.models.base import utcnow

HOME = "/"


@dataclass
class Home:
    viewer: Any
    owner: Any
    club: Any
    elsewhere: Any


@pytest.fixture
def home(make_user, make_group, make_post) -> Home:
    """The viewer is in "The Club" (with one post); "Elsewhere" is a group they are not in."""
    owner, viewer = make_user("owner", display_name="Olga Owner"), make_user("viewer", display_name="Vic Viewer")
    club = make_group(owner=owner, slug="club", name="The Club", members=[viewer])
    elsewhere = make_group(owner=owner, slug="elsewhere", name="Elsewhere", join_mode="request")
    make_post(club, owner, "First words")
    db.session.add(GroupRead(user_id=viewer.id, group_id=club.id, read_until=utcnow()))
    db.session.commit()
    return Home(viewer, owner, club, elsewhere)


@pytest.fixture
def reader(second_app, login, home, page_cache):
    """The viewer's browser on instance B: ``cached()`` views the home page until B serves it from
    its cache (and checks it did), ``hit()`` checks the next view is a hit, ``next()`` views it."""

    class Reader:
        client = login(second_app.test_client(), home.viewer)

        def cached(self, url: str = HOME) -> str:
            for _ in range(3):
                self.client.get(url)
            return self.hit(url)

        def hit(self, url: str = HOME) -> str:
            hits, front = page_cache(second_app).hits, page_cache(second_app).front_hits
            response = self.client.get(url)
            assert response.status_code == 200
            assert page_cache(second_app).front_hits == front + 1, "the page was not served by B's front door"
            assert page_cache(second_app).hits == hits + 1, "the home page was not served from B's cache"
            return response.text

        def next(self, url: str = HOME) -> str:
            response = self.client.get(url)
            assert response.status_code == 200
            return response.text

    return Reader()


@pytest.fixture
def writer(app, login):
    return lambda user: login(app.test_client(), user)


def test_a_new_post_in_a_members_group_shows_in_the_feed(reader, writer, home):
    assert "Fresh news" not in reader.cached()
    assert writer(home.owner).post("/g/club/posts", data={"body": "Fresh news"}).status_code == 302
    assert "Fresh news" in reader.next()


def test_a_post_in_a_group_the_member_is_not_in_leaves_the_home_page_cached(reader, writer, home):
    reader.cached()
    assert writer(home.owner).post("/g/elsewhere/posts", data={"body": "Not for you"}).status_code == 302
    reader.hit()


def test_a_new_post_shows_in_the_groups_unread_count_and_a_read_mark_clears_it(reader, writer, home):
    assert "badge unread" not in reader.cached()
    assert writer(home.owner).post("/g/club/posts", data={"body": "Unread news"}).status_code == 302
    assert "badge unread" in reader.cached()
    assert writer(home.viewer).post("/g/club/read").status_code == 302
    assert "badge unread" not in reader.next()


def test_a_comment_changes_the_count_in_the_feed(reader, writer, home):
    from core.models import Post

    post_id = db.session.scalar(db.select(Post.id))
    assert "0 comments" in reader.cached()
    assert writer(home.owner).post(f"/g/club/p/{post_id}/comments", data={"body": "Nice"}).status_code == 302
    assert "1 comment" in reader.next()


def test_a_groups_new_name_shows_in_the_members_groups(reader, home):
    assert "The Club" in reader.cached()
    home.club.name = "The Renamed Club"
    db.session.commit()
    assert "The Renamed Club" in reader.next()


def test_joining_a_group_brings_its_posts_and_leaving_takes_them_away(reader, home, make_post):
    make_post(home.elsewhere, home.owner, "Elsewhere news")
    assert "Elsewhere news" not in reader.cached()
    db.session.add(Membership(group_id=home.elsewhere.id, user_id=home.viewer.id, role="member"))
    db.session.commit()
    assert "Elsewhere news" in reader.cached()
    db.session.delete(db.session.scalars(db.select(Membership).where(
        Membership.group_id == home.elsewhere.id, Membership.user_id == home.viewer.id)).one())
    db.session.commit()
    assert "Elsewhere news" not in reader.next()


def test_an_invitation_shows_and_its_groups_new_name_too(reader, home):
    assert "You are invited" not in reader.cached()
    db.session.add(Invitation(group_id=home.elsewhere.id, user_id=home.viewer.id, invited_by_id=home.owner.id))
    db.session.commit()
    assert "You are invited to Elsewhere" in reader.cached()
    home.elsewhere.name = "Somewhere Else"  # a group the member is only invited to
    db.session.commit()
    assert "You are invited to Somewhere Else" in reader.next()


def test_the_members_own_join_request_shows_and_its_approval_too(reader, writer, home, make_post):
    make_post(home.elsewhere, home.owner, "Inside news")
    assert "Your request to join" not in reader.cached()
    assert writer(home.viewer).post("/g/elsewhere/join").status_code == 302
    assert "Your request to join Elsewhere" in reader.cached()
    request_id = db.session.scalar(db.select(JoinRequest.id))
    response = writer(home.owner).post(f"/g/elsewhere/requests/{request_id}/approve")
    assert response.status_code == 302
    html = reader.next()
    assert "Your request to join" not in html and "Inside news" in html


def test_a_join_request_waiting_for_a_moderator_shows(reader, home, make_user):
    db.session.get(Membership, db.session.scalar(db.select(Membership.id).where(
        Membership.user_id == home.viewer.id))).role = "moderator"
    db.session.commit()
    assert "waiting for a decision" not in reader.cached()
    db.session.add(JoinRequest(group_id=home.club.id, user_id=make_user("asker").id))
    db.session.commit()
    assert "1 request to join The Club is waiting for a decision" in reader.next()


def test_a_block_hides_the_authors_posts_from_the_feed(reader, writer, home):
    from core.plugins import state

    state.set_enabled("reporting", True)
    assert "First words" in reader.cached()
    assert writer(home.viewer).post("/blocks", data={"user_id": home.owner.id}).status_code == 302
    assert "First words" not in reader.next()


def test_an_authors_new_name_shows(reader, home):
    assert "Olga Owner" in reader.cached()
    home.owner.display_name = "Olga Newname"
    db.session.commit()
    assert "Olga Newname" in reader.next()


def test_a_notification_shows_in_the_header(reader, writer, home, make_post):
    own = make_post(home.club, home.viewer, "My own post")
    assert 'class="badge"' not in reader.cached()
    assert writer(home.owner).post(f"/g/club/p/{own.id}/comments", data={"body": "Hi"}).status_code == 302
    assert 'class="badge"' in reader.next()


@pytest.mark.plugins("tests.core.home_probe", "plugins.reporting")
def test_a_plugins_home_part_shows_when_it_is_switched_on(reader, home):
    from core.plugins import state

    assert "home-probe" not in reader.cached()
    state.set_enabled("home_probe", True)
    assert "home-probe" in reader.next()


def test_a_visitor_gets_the_public_home_page(second_app, home):
    client = second_app.test_client()
    client.get(HOME)
    assert "Log in" in client.get(HOME).text
    assert second_app.extensions["commonground.page_cache"].hits == 0
