"""Reactions on posts and comments: one per kind per person, counts and who reacted, blocks respected."""
from __future__ import annotations

import pytest

from core.extensions import db
from core.models import CommentReaction, PostReaction
from tests.core import group_hooks_plugin
from tests.core.conversation_helpers import block


@pytest.fixture
def app_plugins():
    return ["plugins.reporting", "tests.core.group_hooks_plugin"]


@pytest.fixture
def club(app, make_user, make_group, member, enable_plugin):
    enable_plugin("reporting")
    enable_plugin("group_hooks")
    group_hooks_plugin.reset()
    author = make_user("author", display_name="Ada Author")
    group = make_group(slug="club", members=[member, author])
    group.author = author
    yield group
    group_hooks_plugin.reset()


@pytest.fixture
def post(club, make_post):
    return make_post(club, club.author, "Spring planting starts Saturday")


def _react(client, path: str, **form):
    return client.post(path, data={"next": "/g/club#post-1", **form})


def _count(model=PostReaction) -> int:
    return db.session.scalar(db.select(db.func.count(model.id)))


def test_reacting_shows_the_count_and_marks_my_button(member_client, post):
    response = _react(member_client, f"/g/club/p/{post.id}/reactions", add="heart")
    assert response.status_code == 302 and response.location.endswith("/g/club#post-1")
    html = member_client.get("/g/club").text
    assert 'name="remove" value="heart" class="reaction mine"' in html
    assert 'aria-pressed="true"' in html and '<span class="reaction-count">1</span>' in html


def test_reacting_twice_with_the_same_kind_keeps_one_reaction(member_client, post):
    for _ in range(2):
        assert _react(member_client, f"/g/club/p/{post.id}/reactions", add="like").status_code == 302
    assert _count() == 1


def test_each_kind_counts_once_per_person(member_client, post):
    for kind in ("like", "heart", "support", "thanks"):
        _react(member_client, f"/g/club/p/{post.id}/reactions", add=kind)
    assert _count() == 4


def test_taking_a_reaction_back_removes_it_and_twice_changes_nothing(member_client, post):
    _react(member_client, f"/g/club/p/{post.id}/reactions", add="like")
    for _ in range(2):
        assert _react(member_client, f"/g/club/p/{post.id}/reactions", remove="like").status_code == 302
    assert _count() == 0


def test_an_unknown_kind_changes_nothing(member_client, post):
    response = _react(member_client, f"/g/club/p/{post.id}/reactions", add="angry")
    assert response.status_code == 302
    assert _count() == 0
    assert "Choose a reaction." in member_client.get("/g/club").text


def test_reacting_to_a_comment(member_client, post, make_comment, club):
    comment = make_comment(post, club.author, "Count me in")
    _react(member_client, f"/g/club/c/{comment.id}/reactions", add="thanks")
    assert _count(CommentReaction) == 1
    html = member_client.get(f"/g/club/p/{post.id}").text
    assert 'name="remove" value="thanks"' in html


def test_reacting_to_content_hidden_by_moderation_is_not_found(member_client, post):
    group_hooks_plugin.PLACEHOLDERS[("post", post.id)] = "<em>Hidden by a moderator</em>"
    assert _react(member_client, f"/g/club/p/{post.id}/reactions", add="like").status_code == 404
    assert member_client.put(f"/api/v1/posts/{post.id}/reactions/like").status_code == 404
    assert _count() == 0


def test_reacting_to_a_post_of_someone_who_blocked_you_is_not_found(member_client, post, member, club):
    block(club.author, member)
    assert _react(member_client, f"/g/club/p/{post.id}/reactions", add="like").status_code == 404
    assert member_client.put(f"/api/v1/posts/{post.id}/reactions/like").status_code == 404
    assert _count() == 0


def test_outsiders_and_visitors_cannot_react(app, client, login, make_user, post):
    assert _react(client, f"/g/club/p/{post.id}/reactions", add="like").status_code == 302  # to log in
    outsider = login(app.test_client(), make_user("outsider"))
    assert _react(outsider, f"/g/club/p/{post.id}/reactions", add="like").status_code == 404
    assert _count() == 0


def test_visitors_see_counts_without_buttons(app, client, post, member):
    db.session.add(PostReaction(post_id=post.id, user_id=member.id, kind="support"))
    db.session.commit()
    html = client.get("/g/club").text
    assert 'class="reaction-counts"' in html and 'class="reaction-form"' not in html


def test_who_reacted_lists_people_by_kind(app, login, make_user, member_client, post, club, add_member):
    other = make_user("olga", display_name="Olga Other")
    add_member(club, other)
    _react(member_client, f"/g/club/p/{post.id}/reactions", add="heart")
    _react(login(app.test_client(), other), f"/g/club/p/{post.id}/reactions", add="like")
    html = member_client.get(f"/g/club/p/{post.id}/reactions").text
    assert "Olga Other" in html and "Member" in html
    assert html.index("Like") < html.index("Olga Other")


def test_someone_hidden_from_me_is_neither_listed_nor_counted(app, login, make_user, member_client, member, post,
                                                              club, add_member):
    other = make_user("olga", display_name="Olga Other")
    add_member(club, other)
    _react(login(app.test_client(), other), f"/g/club/p/{post.id}/reactions", add="like")
    block(member, other)
    assert "Olga Other" not in member_client.get(f"/g/club/p/{post.id}/reactions").text
    assert '<span class="reaction-count">' not in member_client.get("/g/club").text
    body = member_client.get(f"/api/v1/posts/{post.id}/reactions").json
    assert body["people"] == [] and {r["kind"]: r["count"] for r in body["reactions"]}["like"] == 0


def test_the_api_adds_and_removes_idempotently(member_client, post):
    first = member_client.put(f"/api/v1/posts/{post.id}/reactions/support")
    again = member_client.put(f"/api/v1/posts/{post.id}/reactions/support")
    assert first.status_code == again.status_code == 200
    assert first.json["changed"] is True and again.json["changed"] is False
    assert {"kind": "support", "count": 1, "mine": True} in again.json["reactions"]
    removed = member_client.delete(f"/api/v1/posts/{post.id}/reactions/support")
    assert removed.json["changed"] is True and _count() == 0
    assert member_client.put(f"/api/v1/posts/{post.id}/reactions/angry").status_code == 404


def test_the_api_shows_counts_on_posts_and_comments(member_client, post, make_comment, club):
    comment = make_comment(post, club.author, "Count me in")
    member_client.put(f"/api/v1/posts/{post.id}/reactions/like")
    member_client.put(f"/api/v1/comments/{comment.id}/reactions/heart")
    feed = member_client.get("/api/v1/groups/club/posts").json
    assert {"kind": "like", "count": 1, "mine": True} in feed["items"][0]["reactions"]
    comments = member_client.get(f"/api/v1/posts/{post.id}/comments").json
    assert {"kind": "heart", "count": 1, "mine": True} in comments["items"][0]["reactions"]


def test_deleting_a_post_deletes_its_reactions(member_client, post, club, login, app):
    member_client.put(f"/api/v1/posts/{post.id}/reactions/like")
    author = login(app.test_client(), club.author)
    assert author.delete(f"/api/v1/posts/{post.id}").status_code == 204
    assert _count() == 0


def test_a_members_reactions_are_in_their_export_and_go_with_their_account(member_client, member, post,
                                                                           export_data, erase_account):
    member_client.put(f"/api/v1/posts/{post.id}/reactions/thanks")
    exported = export_data(member)
    assert [{"post_id": post.id, "kind": "thanks"}] == [
        {k: r[k] for k in ("post_id", "kind")} for r in exported["reactions"]]
    erase_account(member)
    assert _count() == 0


def test_the_page_script_gets_the_new_counts_as_json(member_client, post):
    response = member_client.post(f"/g/club/p/{post.id}/reactions", data={"add": "heart"},
                                  headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert {"kind": "heart", "count": 1, "mine": True} in response.json["reactions"]
