"""A write on one instance shows on the other instance's next page, though that page was cached.

Instance B (``second_app``) serves the feed from its cache; instance A (``app``) writes — through its
pages, or through the ORM as a job or a command would; B's next request must show the change.
See ``conftest.py``: every test runs with the versions in the database and in Redis.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from core.extensions import db

FEED = "/g/club"


@dataclass
class Club:
    group: Any
    owner: Any
    viewer: Any
    author: Any
    post: Any


@pytest.fixture
def club(make_user, make_group, make_post) -> Club:
    owner, viewer, author = make_user("owner"), make_user("viewer"), make_user("author", display_name="Ann Author")
    group = make_group(owner=owner, slug="club", name="The Club", members=[viewer, author])
    post = make_post(group, author, "First words")
    return Club(group, owner, viewer, author, post)


@pytest.fixture
def reader(second_app, login, club, page_cache):
    """The viewer's browser on instance B; ``reader.cached()`` views the feed until B serves it from
    its cache (and checks it did), ``reader.next()`` is the next page after a write."""

    class Reader:
        client = login(second_app.test_client(), club.viewer)

        def cached(self, url: str = FEED) -> str:
            for _ in range(3):
                self.client.get(url)
            hits, front = page_cache(second_app).hits, page_cache(second_app).front_hits
            html = self.client.get(url).text
            assert page_cache(second_app).hits == hits + 1, "the page was not served from B's cache"
            assert page_cache(second_app).front_hits == front + 1, "the page was not served by B's front door"
            return html

        def next(self, url: str = FEED) -> str:
            response = self.client.get(url)
            assert response.status_code == 200
            return response.text

    return Reader()


@pytest.fixture
def writer(app, login):
    """``writer(user)``: a browser of ``user`` on instance A."""
    return lambda user: login(app.test_client(), user)


def test_a_new_post_shows(reader, writer, club):
    assert "Fresh news" not in reader.cached()
    assert writer(club.author).post("/g/club/posts", data={"body": "Fresh news"}).status_code == 302
    assert "Fresh news" in reader.next()


def test_an_edit_shows(reader, writer, club):
    assert "First words" in reader.cached()
    response = writer(club.author).post(f"/g/club/p/{club.post.id}/edit", data={"body": "Second thoughts"})
    assert response.status_code == 302
    html = reader.next()
    assert "Second thoughts" in html and "First words" not in html


def test_a_deletion_shows(reader, writer, club):
    assert "First words" in reader.cached()
    assert writer(club.author).post(f"/g/club/p/{club.post.id}/delete").status_code == 302
    assert "First words" not in reader.next()


def test_a_comment_changes_the_count(reader, writer, club):
    assert "0 comments" in reader.cached()
    assert writer(club.owner).post(f"/g/club/p/{club.post.id}/comments", data={"body": "Nice"}).status_code == 302
    assert "1 comment" in reader.next()


def test_a_pin_shows(reader, writer, club):
    assert "pill pinned" not in reader.cached()
    assert writer(club.owner).post(f"/g/club/p/{club.post.id}/pin", data={"pinned": "1"}).status_code == 302
    assert "pill pinned" in reader.next()


def test_a_reaction_shows(reader, writer, club):
    before = reader.cached()
    assert writer(club.owner).post(f"/g/club/p/{club.post.id}/reactions", data={"add": "heart"}).status_code == 302
    assert reader.next() != before


def test_a_role_change_shows_and_hides_admin_actions(reader, writer, club):
    assert "Pin to top" not in reader.cached()
    owner = writer(club.owner)
    assert owner.post("/g/club/members/viewer/role", data={"role": "admin"}).status_code == 302
    assert "Pin to top" in reader.cached()
    assert owner.post("/g/club/members/viewer/role", data={"role": "member"}).status_code == 302
    assert "Pin to top" not in reader.next()


def test_removal_from_a_private_group_shows(reader, club):
    club.group.visibility = "private"
    db.session.commit()
    assert "First words" in reader.cached()
    from core.models import Membership

    db.session.delete(db.session.scalars(db.select(Membership).where(Membership.user_id == club.viewer.id)).one())
    db.session.commit()
    html = reader.next()
    assert "This group is private" in html and "First words" not in html


def test_group_settings_show(reader, club):
    assert "The Club" in reader.cached()
    club.group.name = "The Renamed Club"
    db.session.commit()
    assert "The Renamed Club" in reader.next()


def test_an_authors_new_name_shows(reader, club):
    assert "Ann Author" in reader.cached()
    club.author.display_name = "Ann Newname"
    db.session.commit()
    assert "Ann Newname" in reader.next()


def test_the_site_profile_shows(reader, club):
    from core.site_profile import save_profile

    reader.cached()
    save_profile(name="Our Street")
    db.session.commit()
    assert "Our Street" in reader.next()


def test_a_notification_for_the_viewer_shows_in_the_header(reader, writer, club, make_group, make_post):
    elsewhere = make_group(owner=club.owner, slug="elsewhere", members=[club.viewer])
    own = make_post(elsewhere, club.viewer, "My post elsewhere")
    assert 'class="badge"' not in reader.cached()
    assert writer(club.owner).post(f"/g/elsewhere/p/{own.id}/comments", data={"body": "Hi"}).status_code == 302
    assert 'class="badge"' in reader.next()


def test_a_read_mark_clears_the_new_marker(reader, writer, club, make_post):
    make_post(club.group, club.author, "Newer words")
    assert "New since your last visit" in reader.cached()
    assert writer(club.viewer).post("/g/club/read").status_code == 302
    assert "New since your last visit" not in reader.next()


def test_the_viewers_language_switch_shows(reader, writer, club):
    assert 'lang="en"' in reader.cached()
    assert writer(club.viewer).post("/language", data={"locale": "de", "next": "/"}).status_code == 302
    assert 'lang="de"' in reader.next()


def test_a_block_hides_both_ways(reader, writer, club, second_app, login, make_post):
    from core.plugins import state

    state.set_enabled("reporting", True)
    make_post(club.group, club.viewer, "Viewer speaks")
    author_on_b = login(second_app.test_client(), club.author)
    for _ in range(3):
        assert "Viewer speaks" in author_on_b.get(FEED).text
    assert "First words" in reader.cached()
    assert writer(club.viewer).post("/blocks", data={"user_id": club.author.id}).status_code == 302
    assert "First words" not in reader.next()  # the blocker no longer sees the blocked
    assert "Viewer speaks" not in author_on_b.get(FEED).text  # nor the blocked the blocker
    assert writer(club.viewer).post(f"/blocks/{club.author.id}/delete").status_code == 302
    assert "First words" in reader.next()


def test_a_hide_and_unhide_show(reader, club):
    from core.plugins import state
    from plugins.reporting import hiding
    from plugins.reporting.models import HiddenContent

    state.set_enabled("reporting", True)
    assert "First words" in reader.cached()
    db.session.add(HiddenContent(content_type="post", content_id=club.post.id, group_id=club.group.id))
    db.session.commit()
    assert "First words" not in reader.cached()
    assert hiding.unhide("post", club.post.id)
    db.session.commit()
    assert "First words" in reader.next()


def test_a_plugin_switched_on_and_off_site_wide_shows(reader, club):
    from core.plugins import state

    assert "/report/post/" not in reader.cached()
    state.set_enabled("reporting", True)
    assert "/report/post/" in reader.cached()
    state.set_enabled("reporting", False)
    assert "/report/post/" not in reader.next()


def test_a_plugin_switched_on_and_off_in_the_group_shows(reader, club):
    from core.plugins import state

    state.set_enabled("resources", True)
    assert "/g/club/resources" not in reader.cached()
    state.set_group_enabled("resources", club.group, True)
    assert "/g/club/resources" in reader.cached()
    state.set_group_enabled("resources", club.group, False)
    assert "/g/club/resources" not in reader.next()


# --- a post's page with its comments -----------------------------------------------------------


@pytest.fixture
def post_page(club, make_comment) -> str:
    make_comment(club.post, club.author, "An early comment")
    return f"/g/club/p/{club.post.id}"


def test_a_new_comment_shows_on_the_post_page(reader, writer, club, post_page):
    assert "Late reply" not in reader.cached(post_page)
    response = writer(club.owner).post(f"{post_page}/comments", data={"body": "Late reply"})
    assert response.status_code == 302
    assert "Late reply" in reader.next(post_page)


def test_a_comment_edit_and_deletion_show_on_the_post_page(reader, writer, club, post_page):
    from core.models import Comment

    comment_id = db.session.scalar(db.select(Comment.id))
    assert "An early comment" in reader.cached(post_page)
    author = writer(club.author)
    assert author.post(f"/g/club/c/{comment_id}/edit", data={"body": "A better comment"}).status_code == 302
    assert "A better comment" in reader.cached(post_page)
    assert author.post(f"/g/club/c/{comment_id}/delete").status_code == 302
    assert "A better comment" not in reader.next(post_page)


def test_a_reaction_to_a_comment_shows_on_the_post_page(reader, writer, club, post_page):
    from core.models import Comment

    comment_id = db.session.scalar(db.select(Comment.id))
    before = reader.cached(post_page)
    assert writer(club.owner).post(f"/g/club/c/{comment_id}/reactions", data={"add": "thanks"}).status_code == 302
    assert reader.next(post_page) != before


def test_a_hidden_comment_shows_its_placeholder_on_the_post_page(reader, club, post_page):
    from core.models import Comment
    from core.plugins import state
    from plugins.reporting.models import HiddenContent

    state.set_enabled("reporting", True)
    comment_id = db.session.scalar(db.select(Comment.id))
    assert "An early comment" in reader.cached(post_page)
    db.session.add(HiddenContent(content_type="comment", content_id=comment_id, group_id=club.group.id))
    db.session.commit()
    assert "An early comment" not in reader.next(post_page)


def test_a_block_hides_comments_on_the_post_page(reader, writer, club, make_post, make_comment):
    from core.plugins import state

    state.set_enabled("reporting", True)
    own = make_post(club.group, club.viewer, "Viewer's own post")
    make_comment(own, club.author, "Comment by the author")
    url = f"/g/club/p/{own.id}"
    assert "Comment by the author" in reader.cached(url)
    assert writer(club.author).post("/blocks", data={"user_id": club.viewer.id}).status_code == 302
    assert "Comment by the author" not in reader.next(url)  # blocked by the other: gone too
