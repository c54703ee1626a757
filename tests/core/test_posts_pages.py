"""Posts and comments through the web pages: writing, Markdown safety, editing, deleting, hooks."""
from __future__ import annotations

import re

import pytest

from core.extensions import db
from core.models import Comment, Notification, Post


@pytest.fixture
def app_plugins():
    return ["tests.core.group_hooks_plugin"]


@pytest.fixture
def club(make_group, member):
    return make_group(slug="club", members=[member])


def _posts():
    db.session.expire_all()
    return list(db.session.scalars(db.select(Post).order_by(Post.id)))


# --- writing -------------------------------------------------------------------------------------


def test_member_publishes_a_post(member_client, club):
    response = member_client.post("/g/club/posts", data={"body": "Hello *group*"})
    assert response.status_code == 302
    [post] = _posts()
    assert response.headers["Location"].endswith(f"/g/club/p/{post.id}")
    assert post.body_html == "<p>Hello <em>group</em></p>\n"
    assert "Hello <em>group</em>" in member_client.get("/g/club").text


def test_empty_post_is_refused_with_message_at_the_field(member_client, club):
    response = member_client.post("/g/club/posts", data={"body": "   \n "})
    assert response.status_code == 422
    assert 'id="body-error"' in response.text and "Write something first." in response.text
    assert _posts() == []


def test_missing_body_field_is_refused(member_client, club):
    response = member_client.post("/g/club/posts", data={})
    assert response.status_code == 422
    assert "This field is required." in response.text


def test_overlong_post_is_refused_and_text_kept(member_client, club):
    body = "word " * 2001
    response = member_client.post("/g/club/posts", data={"body": body})
    assert response.status_code == 422
    assert "at most 10000 characters" in response.text
    assert "word word word" in response.text
    assert _posts() == []


def test_script_in_a_post_is_never_output(member_client, club):
    body = ('<script>alert("x")</script> [click](javascript:alert(1)) <img src=x onerror=alert(1)> '
            '<a href="javascript:alert(2)">raw</a> [fine](https://example.org)')
    member_client.post("/g/club/posts", data={"body": body})
    [post] = _posts()
    assert "<script" not in post.body_html and "<img" not in post.body_html
    assert re.search(r"<a[^>]*javascript:", post.body_html) is None
    assert post.body_html.count("<a ") == 1
    assert '<a href="https://example.org" rel="nofollow noopener noreferrer ugc">fine</a>' in post.body_html
    for page in (member_client.get("/g/club"), member_client.get(f"/g/club/p/{post.id}")):
        assert "<script>alert" not in page.text
        assert re.search(r"<a[^>]*javascript:", page.text) is None


def test_non_member_posting_in_private_group_gets_404(member_client, make_group):
    make_group(slug="hidden", visibility="private")
    response = member_client.post("/g/hidden/posts", data={"body": "sneaky"})
    assert response.status_code == 404
    assert _posts() == []


def test_non_member_posting_in_public_group_is_told_to_join(member_client, make_group):
    make_group(slug="open")
    response = member_client.post("/g/open/posts", data={"body": "hi"})
    assert response.status_code == 403
    assert "Join the group" in response.text
    assert _posts() == []


def test_posting_in_unknown_group_is_404(member_client):
    assert member_client.post("/g/nope/posts", data={"body": "hi"}).status_code == 404


def test_anonymous_posting_is_sent_to_log_in(client, club):
    response = client.post("/g/club/posts", data={"body": "hi"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert _posts() == []


def test_post_created_hook_is_called(member_client, club, recorder):
    member_client.post("/g/club/posts", data={"body": "event!"})
    assert ("post_created", "club", "event!") in recorder.EVENTS


# --- editing and deleting posts ------------------------------------------------------------------


def test_author_edits_own_post_and_edited_marker_shows(member_client, member, club, make_post):
    post = make_post(club, member, "first version")
    form = member_client.get(f"/g/club/p/{post.id}/edit")
    assert form.status_code == 200 and "first version" in form.text
    response = member_client.post(f"/g/club/p/{post.id}/edit", data={"body": "second **version**"})
    assert response.status_code == 302
    [post] = _posts()
    assert post.body_source == "second **version**"
    assert "<strong>version</strong>" in post.body_html
    assert post.edited_at is not None
    assert "(edited)" in member_client.get(f"/g/club/p/{post.id}").text


def test_editing_with_empty_body_keeps_the_post(member_client, member, club, make_post):
    post = make_post(club, member, "keep me")
    response = member_client.post(f"/g/club/p/{post.id}/edit", data={"body": ""})
    assert response.status_code == 422
    assert 'id="body-error"' in response.text
    assert _posts()[0].body_source == "keep me"


def test_editing_someone_elses_post_is_404(member_client, member, make_user, make_group, make_post):
    other = make_user("other")
    group = make_group(slug="club", members=[member, (other, "member")])
    post = make_post(group, other, "not yours")
    assert member_client.get(f"/g/club/p/{post.id}/edit").status_code == 404
    assert member_client.post(f"/g/club/p/{post.id}/edit", data={"body": "hacked"}).status_code == 404
    assert _posts()[0].body_source == "not yours"


def test_even_the_owner_cannot_edit_someone_elses_post(client, login, make_user, make_group, make_post):
    owner, author = make_user("owner"), make_user("author")
    group = make_group(owner=owner, slug="club", members=[author])
    post = make_post(group, author, "mine")
    login(client, owner)
    assert client.post(f"/g/club/p/{post.id}/edit", data={"body": "changed"}).status_code == 404


def test_author_deletes_own_post_after_confirming(member_client, member, club, make_post, make_comment):
    post = make_post(club, member, "bye")
    make_comment(post, member, "a comment")
    confirm = member_client.get(f"/g/club/p/{post.id}/delete")
    assert confirm.status_code == 200 and "Delete post" in confirm.text
    response = member_client.post(f"/g/club/p/{post.id}/delete")
    assert response.status_code == 302
    assert _posts() == []
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 0


@pytest.mark.parametrize("role", ["moderator", "admin"])
def test_moderators_may_delete_any_post_in_their_group(client, login, make_user, make_group, make_post, role):
    staff, author = make_user("staff"), make_user("author")
    group = make_group(slug="club", members=[(staff, role), author])
    post = make_post(group, author, "rule breaking")
    login(client, staff)
    assert "Delete" in client.get(f"/g/club/p/{post.id}").text
    assert client.post(f"/g/club/p/{post.id}/delete").status_code == 302
    assert _posts() == []


def test_member_cannot_delete_someone_elses_post(member_client, member, make_user, make_group, make_post):
    author = make_user("author")
    group = make_group(slug="club", members=[member, author])
    post = make_post(group, author, "stays")
    assert member_client.post(f"/g/club/p/{post.id}/delete").status_code == 404
    assert len(_posts()) == 1


def test_moderator_of_another_group_cannot_delete(client, login, make_user, make_group, make_post):
    mod, author = make_user("mod"), make_user("author")
    make_group(slug="theirs", members=[(mod, "moderator")])
    group = make_group(slug="club", members=[author])
    post = make_post(group, author, "stays")
    login(client, mod)
    assert client.post(f"/g/club/p/{post.id}/delete").status_code == 404
    assert len(_posts()) == 1


# --- comments ------------------------------------------------------------------------------------


def test_member_comments_and_counter_and_notification_follow(client, login, make_user, make_group, make_post,
                                                             outbox):
    author, commenter = make_user("author"), make_user("commenter")
    group = make_group(slug="club", members=[author, commenter])
    post = make_post(group, author, "question?")
    login(client, commenter)
    response = client.post(f"/g/club/p/{post.id}/comments", data={"body": "an *answer*"})
    assert response.status_code == 302
    comment = db.session.scalar(db.select(Comment))
    assert response.headers["Location"].endswith(f"/g/club/p/{post.id}#comment-{comment.id}")
    assert comment.body_html == "<p>an <em>answer</em></p>\n"
    db.session.expire_all()
    assert db.session.get(Post, post.id).comment_count == 1
    note = db.session.scalar(db.select(Notification).where(Notification.user_id == author.id))
    assert note.kind == "post_reply" and note.url.endswith(f"#comment-{comment.id}")
    assert any(m.to_addr == "author@example.org" for m in outbox())


def test_commenting_on_own_post_notifies_nobody(member_client, member, club, make_post):
    post = make_post(club, member, "mine")
    member_client.post(f"/g/club/p/{post.id}/comments", data={"body": "me again"})
    assert db.session.scalar(db.select(db.func.count(Notification.id))) == 0


def test_comments_show_oldest_first(member_client, member, club, make_post, make_comment):
    post = make_post(club, member)
    make_comment(post, member, "first reply")
    make_comment(post, member, "second reply")
    text = member_client.get(f"/g/club/p/{post.id}").text
    assert text.index("first reply") < text.index("second reply")
    assert "2 comments" in text


def test_empty_comment_is_refused_and_post_page_rerendered(member_client, member, club, make_post):
    post = make_post(club, member, "the post")
    response = member_client.post(f"/g/club/p/{post.id}/comments", data={"body": ""})
    assert response.status_code == 422
    assert "the post" in response.text and 'id="body-error"' in response.text
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 0


def test_overlong_comment_is_refused(member_client, member, club, make_post):
    post = make_post(club, member)
    response = member_client.post(f"/g/club/p/{post.id}/comments", data={"body": "x" * 5001})
    assert response.status_code == 422
    assert "at most 5000 characters" in response.text


def test_non_member_cannot_comment_in_public_group(member_client, make_user, make_group, make_post):
    author = make_user("author")
    group = make_group(slug="club", members=[author])
    post = make_post(group, author)
    page = member_client.get(f"/g/club/p/{post.id}")
    assert "Join the group to comment." in page.text
    assert member_client.post(f"/g/club/p/{post.id}/comments", data={"body": "hi"}).status_code == 403


def test_blocked_member_cannot_comment(client, login, make_user, make_group, make_post, recorder):
    author, pest = make_user("author"), make_user("pest")
    group = make_group(slug="club", members=[author, pest])
    post = make_post(group, author)
    recorder.BLOCKED.add(("pest", "author"))
    login(client, pest)
    assert 'name="body"' not in client.get(f"/g/club/p/{post.id}").text
    assert client.post(f"/g/club/p/{post.id}/comments", data={"body": "hi"}).status_code == 403
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 0


def test_comment_created_hook_is_called(member_client, member, club, make_post, recorder):
    post = make_post(club, member)
    member_client.post(f"/g/club/p/{post.id}/comments", data={"body": "hooked"})
    assert ("comment_created", post.id, "hooked") in recorder.EVENTS


def test_author_edits_and_deletes_own_comment(member_client, member, club, make_post, make_comment):
    post = make_post(club, member)
    comment = make_comment(post, member, "typo")
    assert member_client.post(f"/g/club/c/{comment.id}/edit", data={"body": "fixed"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).body_source == "fixed"
    assert db.session.get(Comment, comment.id).edited_at is not None
    assert "(edited)" in member_client.get(f"/g/club/p/{post.id}").text
    assert member_client.get(f"/g/club/c/{comment.id}/delete").status_code == 200
    assert member_client.post(f"/g/club/c/{comment.id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.get(Comment, comment.id) is None
    assert db.session.get(Post, post.id).comment_count == 0


def test_editing_someone_elses_comment_is_404(member_client, member, make_user, make_group, make_post,
                                              make_comment):
    other = make_user("other")
    group = make_group(slug="club", members=[member, other])
    comment = make_comment(make_post(group, other), other, "theirs")
    assert member_client.post(f"/g/club/c/{comment.id}/edit", data={"body": "mine now"}).status_code == 404
    assert member_client.post(f"/g/club/c/{comment.id}/delete").status_code == 404
    assert db.session.get(Comment, comment.id).body_source == "theirs"


def test_moderator_deletes_any_comment(client, login, make_user, make_group, make_post, make_comment):
    mod, author = make_user("mod"), make_user("author")
    group = make_group(slug="club", members=[(mod, "moderator"), author])
    comment = make_comment(make_post(group, author), author, "rude")
    login(client, mod)
    assert client.post(f"/g/club/c/{comment.id}/delete").status_code == 302
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 0


def test_comment_in_wrong_group_url_is_404(member_client, member, club, make_group, make_post, make_comment):
    make_group(slug="elsewhere")
    comment = make_comment(make_post(club, member), member)
    assert member_client.get(f"/g/elsewhere/c/{comment.id}/edit").status_code == 404


def test_comments_paginate(member_client, member, club, make_post, make_comment):
    post = make_post(club, member)
    for n in range(52):
        make_comment(post, member, f"reply number {n:02d}")
    first = member_client.get(f"/g/club/p/{post.id}")
    assert "reply number 49" in first.text and "reply number 50" not in first.text
    next_url = first.text.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    second = member_client.get(next_url)
    assert "reply number 50" in second.text and "reply number 51" in second.text
    assert "reply number 49" not in second.text


def test_new_comment_on_long_thread_redirects_to_its_page(member_client, member, club, make_post, make_comment):
    post = make_post(club, member)
    for n in range(51):
        make_comment(post, member, f"reply {n}")
    response = member_client.post(f"/g/club/p/{post.id}/comments", data={"body": "the newest"})
    target = response.headers["Location"]
    assert "after=" in target
    assert "the newest" in member_client.get(target).text


# --- plugins' slots and placeholders -------------------------------------------------------------


def test_post_and_comment_slots_render_with_their_context(member_client, member, club, make_post, make_comment,
                                                          recorder):
    post = make_post(club, member)
    comment = make_comment(post, member)
    feed = member_client.get("/g/club").text
    assert f'<span class="slot-post_actions">{post.id}</span>' in feed
    assert f'<span class="slot-post_footer">{post.id}</span>' in feed
    page = member_client.get(f"/g/club/p/{post.id}").text
    assert f'<span class="slot-comment_actions">{comment.id}</span>' in page


def test_placeholders_replace_bodies_for_the_listed_ids(member_client, member, club, make_post, make_comment,
                                                        recorder):
    hidden = make_post(club, member, "hidden body")
    shown = make_post(club, member, "shown body")
    comment = make_comment(shown, member, "hidden comment")
    recorder.PLACEHOLDERS[("post", hidden.id)] = "<em>Hidden by a moderator</em>"
    recorder.PLACEHOLDERS[("comment", comment.id)] = "<em>Comment hidden</em>"
    feed = member_client.get("/g/club").text
    assert "hidden body" not in feed and "<em>Hidden by a moderator</em>" in feed and "shown body" in feed
    assert ("post", (shown.id, hidden.id)) in recorder.PLACEHOLDER_CALLS
    page = member_client.get(f"/g/club/p/{shown.id}").text
    assert "hidden comment" not in page and "<em>Comment hidden</em>" in page
    assert "<em>Hidden by a moderator</em>" in member_client.get(f"/g/club/p/{hidden.id}").text


def test_hidden_authors_are_filtered_from_feed_comments_and_members(client, login, make_user, make_group,
                                                                    make_post, make_comment, recorder):
    viewer, blocked = make_user("viewer"), make_user("blocked")
    group = make_group(slug="club", members=[viewer, blocked])
    visible = make_post(group, viewer, "visible post")
    make_post(group, blocked, "blocked post")
    make_comment(visible, blocked, "blocked comment")
    make_comment(visible, viewer, "own comment")
    hidden_post = make_post(group, blocked, "direct link")
    recorder.HIDDEN["viewer"] = {"blocked"}
    login(client, viewer)
    assert "blocked post" not in client.get("/g/club").text
    page = client.get(f"/g/club/p/{visible.id}").text
    assert "blocked comment" not in page and "own comment" in page
    assert "Blocked" not in client.get("/g/club/members").text
    assert client.get(f"/g/club/p/{hidden_post.id}").status_code == 404
