"""JSON API: posts and comments."""
from __future__ import annotations

import pytest

from core.extensions import db
from core.models import Comment, Notification, Post


@pytest.fixture
def app_plugins():
    return ["tests.core.group_hooks_plugin"]


@pytest.fixture
def club(make_group, member):
    return make_group(slug="club", members=[member])


def test_create_and_read_a_post(member_client, club):
    response = member_client.post("/api/v1/groups/club/posts", json={"body": "Hello **API**"})
    assert response.status_code == 201
    body = response.get_json()
    assert body["body_html"] == "<p>Hello <strong>API</strong></p>\n"
    assert body["body_source"] == "Hello **API**"
    assert body["author"]["username"] == "member" and body["group"] == "club"
    assert body["comment_count"] == 0 and body["edited_at"] is None and body["hidden"] is False
    assert response.headers["Location"].endswith(f"/api/v1/posts/{body['id']}")
    assert member_client.get(f"/api/v1/posts/{body['id']}").get_json()["id"] == body["id"]


def test_script_is_sanitized_in_api_output(member_client, club):
    body = '<script>alert(1)</script>[x](javascript:alert(1))'
    response = member_client.post("/api/v1/groups/club/posts", json={"body": body})
    html = response.get_json()["body_html"]
    assert "<script" not in html and "<a" not in html


@pytest.mark.parametrize(("payload", "message"), [
    ({}, "This field is required."),
    ({"body": "   "}, "Write something first."),
    ({"body": "x" * 10_001}, "at most 10000 characters"),
    ({"body": 42}, "Not a valid string."),
])
def test_invalid_post_is_422_naming_body(member_client, club, payload, message):
    response = member_client.post("/api/v1/groups/club/posts", json=payload)
    assert response.status_code == 422
    assert message in response.get_json()["errors"]["json"]["body"][0]
    assert db.session.scalar(db.select(Post.id)) is None


def test_non_member_posting_in_private_group_is_404(member_client, make_group):
    make_group(slug="hidden", visibility="private")
    assert member_client.post("/api/v1/groups/hidden/posts", json={"body": "hi"}).status_code == 404
    assert member_client.get("/api/v1/groups/hidden/posts").status_code == 404
    assert db.session.scalar(db.select(Post.id)) is None


def test_non_member_posting_in_public_group_is_403(member_client, make_group):
    make_group(slug="open")
    response = member_client.post("/api/v1/groups/open/posts", json={"body": "hi"})
    assert response.status_code == 403
    assert "Join the group" in response.get_json()["message"]


def test_anonymous_posting_is_401(client, club):
    assert client.post("/api/v1/groups/club/posts", json={"body": "hi"}).status_code == 401


def test_feed_is_newest_first_with_keyset_pages(client, member, club, make_post):
    for n in range(5):
        make_post(club, member, f"post {n}")
    first = client.get("/api/v1/groups/club/posts?limit=2").get_json()
    assert [p["body_source"] for p in first["items"]] == ["post 4", "post 3"]
    second = client.get(f"/api/v1/groups/club/posts?limit=2&before={first['next']}").get_json()
    assert [p["body_source"] for p in second["items"]] == ["post 2", "post 1"]
    third = client.get(f"/api/v1/groups/club/posts?limit=2&before={second['next']}").get_json()
    assert [p["body_source"] for p in third["items"]] == ["post 0"] and third["next"] is None


def test_feed_with_bad_cursor_or_limit_is_422(client, club):
    bad = client.get("/api/v1/groups/club/posts?before=xyz")
    assert bad.status_code == 422 and "before" in bad.get_json()["errors"]["query"]
    assert client.get("/api/v1/groups/club/posts?limit=1000").status_code == 422


def test_edit_own_post_sets_edited_at(member_client, member, club, make_post):
    post = make_post(club, member, "old")
    response = member_client.patch(f"/api/v1/posts/{post.id}", json={"body": "new *text*"})
    assert response.status_code == 200
    assert response.get_json()["body_html"] == "<p>new <em>text</em></p>\n"
    assert response.get_json()["edited_at"] is not None


def test_editing_someone_elses_post_is_404(member_client, member, make_user, make_group, make_post):
    other = make_user("other")
    group = make_group(slug="club", members=[member, other])
    post = make_post(group, other, "theirs")
    assert member_client.patch(f"/api/v1/posts/{post.id}", json={"body": "mine"}).status_code == 404
    assert member_client.delete(f"/api/v1/posts/{post.id}").status_code == 404
    db.session.expire_all()
    assert db.session.get(Post, post.id).body_source == "theirs"


def test_moderator_deletes_any_post(client, login, make_user, make_group, make_post):
    mod, author = make_user("mod"), make_user("author")
    group = make_group(slug="club", members=[(mod, "moderator"), author])
    post = make_post(group, author)
    login(client, mod)
    assert client.delete(f"/api/v1/posts/{post.id}").status_code == 204
    assert client.get(f"/api/v1/posts/{post.id}").status_code == 404


def test_unknown_post_is_404(client):
    assert client.get("/api/v1/posts/999").status_code == 404
    assert client.get("/api/v1/posts/999/comments").status_code == 404


def test_private_post_is_404_for_outsiders(client, member_client, make_user, make_group, make_post):
    insider = make_user("insider")
    group = make_group(slug="hidden", visibility="private", members=[insider])
    post = make_post(group, insider)
    assert client.get(f"/api/v1/posts/{post.id}").status_code == 404
    assert member_client.get(f"/api/v1/posts/{post.id}").status_code == 404
    assert member_client.post(f"/api/v1/posts/{post.id}/comments", json={"body": "hi"}).status_code == 404


def test_comment_flow(client, login, make_user, make_group, make_post):
    author, commenter = make_user("author"), make_user("commenter")
    group = make_group(slug="club", members=[author, commenter])
    post = make_post(group, author)
    login(client, commenter)
    response = client.post(f"/api/v1/posts/{post.id}/comments", json={"body": "first!"})
    assert response.status_code == 201
    comment = response.get_json()
    assert comment["post_id"] == post.id and comment["author"]["username"] == "commenter"
    assert client.get(f"/api/v1/posts/{post.id}").get_json()["comment_count"] == 1
    assert db.session.scalar(db.select(Notification.kind).where(Notification.user_id == author.id)) == "post_reply"
    listing = client.get(f"/api/v1/posts/{post.id}/comments").get_json()
    assert [c["body_source"] for c in listing["items"]] == ["first!"] and listing["next"] is None
    edited = client.patch(f"/api/v1/comments/{comment['id']}", json={"body": "second!"})
    assert edited.status_code == 200 and edited.get_json()["edited_at"] is not None
    assert client.delete(f"/api/v1/comments/{comment['id']}").status_code == 204
    assert client.get(f"/api/v1/posts/{post.id}").get_json()["comment_count"] == 0


def test_invalid_comment_is_422(member_client, member, club, make_post):
    post = make_post(club, member)
    response = member_client.post(f"/api/v1/posts/{post.id}/comments", json={"body": "x" * 5001})
    assert response.status_code == 422 and "body" in response.get_json()["errors"]["json"]
    assert db.session.scalar(db.select(Comment.id)) is None


def test_comments_paginate_oldest_first(client, member, club, make_post, make_comment):
    post = make_post(club, member)
    for n in range(3):
        make_comment(post, member, f"c{n}")
    first = client.get(f"/api/v1/posts/{post.id}/comments?limit=2").get_json()
    assert [c["body_source"] for c in first["items"]] == ["c0", "c1"]
    second = client.get(f"/api/v1/posts/{post.id}/comments?limit=2&after={first['next']}").get_json()
    assert [c["body_source"] for c in second["items"]] == ["c2"]


def test_editing_someone_elses_comment_is_404(member_client, member, make_user, make_group, make_post,
                                              make_comment):
    other = make_user("other")
    group = make_group(slug="club", members=[member, other])
    comment = make_comment(make_post(group, other), other, "theirs")
    assert member_client.patch(f"/api/v1/comments/{comment.id}", json={"body": "x"}).status_code == 404
    assert member_client.delete(f"/api/v1/comments/{comment.id}").status_code == 404


def test_placeholders_hide_body_source_in_api(client, member, club, make_post, make_comment, recorder):
    post = make_post(club, member, "secret text")
    comment = make_comment(post, member, "secret comment")
    recorder.PLACEHOLDERS[("post", post.id)] = "<em>Hidden</em>"
    recorder.PLACEHOLDERS[("comment", comment.id)] = "<em>Hidden comment</em>"
    item = client.get("/api/v1/groups/club/posts").get_json()["items"][0]
    assert item == {**item, "hidden": True, "body_html": "<em>Hidden</em>", "body_source": None}
    assert client.get(f"/api/v1/posts/{post.id}").get_json()["body_source"] is None
    listed = client.get(f"/api/v1/posts/{post.id}/comments").get_json()["items"][0]
    assert listed["hidden"] is True and listed["body_source"] is None


def test_hidden_authors_are_filtered_in_api(client, login, make_user, make_group, make_post, recorder):
    viewer, blocked = make_user("viewer"), make_user("blocked")
    group = make_group(slug="club", members=[viewer, blocked])
    make_post(group, viewer, "mine")
    hidden = make_post(group, blocked, "theirs")
    recorder.HIDDEN["viewer"] = {"blocked"}
    login(client, viewer)
    assert [p["body_source"] for p in client.get("/api/v1/groups/club/posts").get_json()["items"]] == ["mine"]
    assert client.get(f"/api/v1/posts/{hidden.id}").status_code == 404
    members = client.get("/api/v1/groups/club/members").get_json()["items"]
    assert "blocked" not in [m["user"]["username"] for m in members]


def test_openapi_documents_post_endpoints(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("/api/v1/groups/{slug}/posts", "/api/v1/posts/{post_id}", "/api/v1/posts/{post_id}/comments",
                 "/api/v1/comments/{comment_id}"):
        assert path in paths
