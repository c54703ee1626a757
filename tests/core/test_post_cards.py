"""Post and comment cards are cached by what they show: every change still shows, nothing leaks between viewers."""
from __future__ import annotations

import re

import pytest

from core.extensions import db
from core.models import Post, User
from core.plugin_api import touch_group
from tests.core import group_hooks_plugin


@pytest.fixture
def app_plugins():
    return ["tests.core.group_hooks_plugin"]


@pytest.fixture
def club(make_group, member):
    return make_group(slug="club", members=[member])


def _cached_cards(app) -> int:
    return len(app.extensions["commonground.cards"])


def test_feed_cards_are_rendered_once_and_then_served_from_the_cache(app, member_client, member, club, make_post):
    make_post(club, member, "First")
    make_post(club, member, "Second")
    first = _without_tokens(member_client.get("/g/club").text)
    assert _cached_cards(app) == 2
    assert _without_tokens(member_client.get("/g/club").text) == first
    assert _cached_cards(app) == 2


def _without_tokens(html: str) -> str:
    """CSRF tokens are signed with the time: two requests a second apart differ only there."""
    return re.sub(r'name="csrf_token" value="[^"]+"', 'name="csrf_token"', html)


def test_edited_post_shows_its_new_body_on_the_feed(member_client, member, club, make_post):
    post = make_post(club, member, "Before the edit")
    assert "Before the edit" in member_client.get("/g/club").text
    response = member_client.post(f"/g/club/p/{post.id}/edit", data={"body": "After the edit"})
    assert response.status_code == 302
    html = member_client.get("/g/club").text
    assert "After the edit" in html and "Before the edit" not in html
    assert '<span class="edited">(edited)</span>' in html


def test_new_comment_updates_the_count_on_a_cached_card(member_client, member, club, make_post):
    post = make_post(club, member, "Count me")
    assert "0 comments" in member_client.get("/g/club").text
    member_client.post(f"/g/club/p/{post.id}/comments", data={"body": "One"})
    html = member_client.get("/g/club").text
    assert "1 comment<" in html and "0 comments" not in html


def test_renamed_author_shows_with_the_new_name(member_client, make_user, add_member, club, make_post, make_comment):
    author = make_user("writer", display_name="Old Name")
    add_member(club, author, "member")
    post = make_post(club, author, "Named")
    make_comment(post, author, "Reply")
    assert "Old Name" in member_client.get("/g/club").text
    assert "Old Name" in member_client.get(f"/g/club/p/{post.id}").text
    db.session.get(User, author.id).display_name = "New Name"
    db.session.commit()
    feed, page = member_client.get("/g/club").text, member_client.get(f"/g/club/p/{post.id}").text
    assert "New Name" in feed and "Old Name" not in feed
    assert "New Name" in page and "Old Name" not in page


def test_each_viewer_gets_their_own_actions_on_the_same_cached_post(app, login, make_user, make_group, make_post):
    author, reader, moderator = make_user("author"), make_user("reader"), make_user("moder")
    group = make_group(slug="club", members=[author, reader, (moderator, "moderator")])
    post = make_post(group, author, "Shared post")
    edit_link, delete_link = f"/g/club/p/{post.id}/edit", f"/g/club/p/{post.id}/delete"

    def feed(user):
        html = login(app.test_client(), user).get("/g/club").text
        card = html[html.index('<article class="post"'):html.index("</article>")]
        return re.sub(r'name="csrf_token" value="[^"]+"', 'name="csrf_token"', card)  # each session has its own

    as_author, as_reader, as_moderator, again_author = feed(author), feed(reader), feed(moderator), feed(author)
    assert edit_link in as_author and delete_link in as_author
    assert edit_link not in as_reader and delete_link not in as_reader
    assert edit_link not in as_moderator and delete_link in as_moderator
    assert again_author == as_author


def test_each_viewer_gets_their_own_comment_actions(app, login, make_user, make_group, make_post, make_comment):
    author, reader = make_user("author"), make_user("reader")
    group = make_group(slug="club", members=[author, reader])
    post = make_post(group, author, "Post")
    comment = make_comment(post, author, "A comment")
    edit_link = f"/g/club/c/{comment.id}/edit"
    as_author = login(app.test_client(), author).get(f"/g/club/p/{post.id}").text
    as_reader = login(app.test_client(), reader).get(f"/g/club/p/{post.id}").text
    assert edit_link in as_author and edit_link not in as_reader


def test_placeholder_replaces_a_body_that_was_cached_before(member_client, member, club, make_post, enable_plugin):
    enable_plugin("group_hooks")
    group_hooks_plugin.reset()
    post = make_post(club, member, "Original words")
    assert "Original words" in member_client.get("/g/club").text
    group_hooks_plugin.PLACEHOLDERS[("post", post.id)] = "<em>Hidden by moderators</em>"
    touch_group(club)  # the plugin's state is outside the database: it tells the page cache
    try:
        html = member_client.get("/g/club").text
    finally:
        group_hooks_plugin.reset()
        touch_group(club)
    assert "<em>Hidden by moderators</em>" in html and "Original words" not in html
    assert "Original words" in member_client.get("/g/club").text


def test_cards_follow_the_viewers_language(app, login, make_user, make_group, make_post):
    english, german = make_user("eng", locale="en"), make_user("ger", locale="de")
    group = make_group(slug="club", members=[english, german])
    make_post(group, english, "Hello")
    assert "0 comments" in login(app.test_client(), english).get("/g/club").text
    html = login(app.test_client(), german).get("/g/club").text
    assert "0 Kommentare" in html and "0 comments" not in html


@pytest.mark.parametrize("app_config", [{"CARD_CACHE_SIZE": 2}])
def test_the_cache_keeps_at_most_its_configured_size(app, member_client, member, club, make_post):
    for n in range(5):
        make_post(club, member, f"Post {n}")
    html = member_client.get("/g/club").text
    assert all(f"Post {n}" in html for n in range(5))
    assert _cached_cards(app) == 2


@pytest.mark.parametrize("app_config", [{"CARD_CACHE_SIZE": 0}])
def test_a_size_of_zero_turns_the_cache_off(app, member_client, member, club, make_post):
    make_post(club, member, "Uncached")
    assert "Uncached" in member_client.get("/g/club").text
    assert _cached_cards(app) == 0


def test_deleted_post_leaves_the_feed(member_client, member, club, make_post):
    post = make_post(club, member, "Soon gone")
    assert "Soon gone" in member_client.get("/g/club").text
    db.session.delete(db.session.get(Post, post.id))
    db.session.commit()
    assert "Soon gone" not in member_client.get("/g/club").text



def test_the_card_cache_drops_the_card_not_shown_for_longest():
    """The LRU is cachetools' ``LRUCache`` (no hand-made one), shared safely by a worker's threads."""
    from cachetools import LRUCache
    from markupsafe import Markup

    from core.groups.cards import CardCache

    cache = CardCache(2)
    assert isinstance(cache.entries, LRUCache)
    cache.put(("a",), Markup("A"))
    cache.put(("b",), Markup("B"))
    assert cache.get(("a",)) == "A"  # shown again: now the most recent
    cache.put(("c",), Markup("C"))
    assert cache.get(("b",)) is None and cache.get(("a",)) == "A" and len(cache) == 2



def test_a_cached_card_carries_each_sessions_own_csrf_token(app, login, make_user, make_group, make_post):
    """Reaction forms live in cached cards; the token is filled in per request, never cached."""
    first, second = make_user("first"), make_user("second")
    group = make_group(slug="club", members=[first, second])
    make_post(group, first, "Shared post")
    for user in (first, second):
        client = login(app.test_client(), user)
        html = client.get("/g/club").text
        card = html[html.index('<article class="post"'):html.index("</article>")]
        token = re.search(r'name="csrf_token" value="([^"]+)"', card).group(1)
        assert token != "__cg_csrf_token__"
        assert client.post("/g/club/p/1/reactions", data={"csrf_token": token, "add": "like"}).status_code == 302
