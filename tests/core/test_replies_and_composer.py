"""Replies to comments (one level), quoting, the composer's preview and the text kept on every error."""
from __future__ import annotations

import pytest

from core.extensions import db
from core.models import Comment, Notification, Post


@pytest.fixture
def club(make_user, make_group, member):
    author = make_user("author", display_name="Ada Author")
    group = make_group(slug="club", members=[member, author])
    group.author = author
    return group


@pytest.fixture
def post(club, make_post):
    return make_post(club, club.author, "Who brings the seeds?")


@pytest.fixture
def top(post, club, make_comment):
    return make_comment(post, club.author, "I can bring tomatoes")


def _comment(client, post, body, **form):
    return client.post(f"/g/club/p/{post.id}/comments", data={"body": body, **form})


def test_a_reply_attaches_to_the_comment_and_shows_under_it(member_client, post, top, club, make_comment):
    later = make_comment(post, club.author, "A later top comment")
    response = _comment(member_client, post, "Great, I bring basil", parent_id=str(top.id))
    assert response.status_code == 302
    reply = db.session.scalar(db.select(Comment).where(Comment.body_source == "Great, I bring basil"))
    assert reply.parent_id == top.id
    html = member_client.get(f"/g/club/p/{post.id}").text
    assert html.index("I can bring tomatoes") < html.index("Great, I bring basil") < html.index("A later top comment")
    assert f'<article class="comment reply" id="comment-{reply.id}">' in html
    assert later.parent_id is None


def test_a_reply_to_a_reply_joins_the_top_comments_thread(member_client, post, top, club, make_comment):
    first = make_comment(post, club.author, "First reply", parent_id=top.id)
    _comment(member_client, post, "Reply to the reply", parent_id=str(first.id))
    reply = db.session.scalar(db.select(Comment).where(Comment.body_source == "Reply to the reply"))
    assert reply.parent_id == top.id


def test_the_author_of_the_comment_replied_to_is_told_once(member_client, post, top, club):
    _comment(member_client, post, "Great", parent_id=str(top.id))
    notes = db.session.scalars(db.select(Notification).where(Notification.user_id == club.author.id)).all()
    assert [note.kind for note in notes] == ["comment_reply"]  # not also "post_reply": one reason each


def test_replying_to_a_deleted_comment_is_refused_and_the_text_kept(member_client, post, top):
    page = member_client.get(f"/g/club/p/{post.id}?reply_to={top.id}").text
    assert f'name="parent_id" value="{top.id}"' in page and "Replying to Ada Author" in page
    db.session.delete(db.session.get(Comment, top.id))
    db.session.commit()
    response = _comment(member_client, post, "My carefully written reply", parent_id=str(top.id))
    assert response.status_code == 422
    assert "The comment you are replying to was deleted" in response.text
    assert "My carefully written reply</textarea>" in response.text
    assert 'name="parent_id"' not in response.text  # publishing again makes a plain comment
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 0


def test_the_api_refuses_a_reply_to_a_deleted_comment_naming_the_field(member_client, post):
    response = member_client.post(f"/api/v1/posts/{post.id}/comments", json={"body": "Hi", "parent_id": 999})
    assert response.status_code == 422
    assert "parent_id" in response.json["errors"]["json"]


def test_the_api_replies_and_shows_the_parent(member_client, post, top):
    response = member_client.post(f"/api/v1/posts/{post.id}/comments", json={"body": "Hi", "parent_id": top.id})
    assert response.status_code == 201 and response.json["parent_id"] == top.id


def test_deleting_a_comment_keeps_its_replies_as_comments(app, login, post, top, club, make_comment, member):
    reply = make_comment(post, member, "A reply", parent_id=top.id)
    author = login(app.test_client(), club.author)
    assert author.post(f"/g/club/c/{top.id}/delete").status_code == 302
    assert db.session.get(Comment, reply.id).parent_id is None


def test_quoting_a_comment_fills_the_composer_with_a_blockquote(member_client, post, top):
    html = member_client.get(f"/g/club/p/{post.id}?reply_to={top.id}&quote=comment").text
    assert "@author:\n&gt; I can bring tomatoes\n\n</textarea>" in html


def test_quoting_the_post(member_client, post):
    html = member_client.get(f"/g/club/p/{post.id}?quote=post").text
    assert "@author:\n&gt; Who brings the seeds?\n\n</textarea>" in html


def test_a_hidden_or_unknown_comment_to_reply_to_starts_a_plain_comment(member_client, post):
    html = member_client.get(f"/g/club/p/{post.id}?reply_to=999").text
    assert 'name="parent_id"' not in html and "Replying to" not in html


# --- the composer -------------------------------------------------------------------------------

def test_preview_shows_what_will_be_published_and_publishes_nothing(member_client, club):
    body = "Plant **now**\n\n> a quote"
    response = member_client.post("/g/club/posts", data={"body": body, "preview": "1"})
    assert response.status_code == 200
    assert "<strong>now</strong>" in response.text and "<blockquote>" in response.text
    assert "Plant **now**" in response.text  # the text stays in the composer
    assert db.session.scalar(db.select(db.func.count(Post.id))) == 0
    member_client.post("/g/club/posts", data={"body": body})
    published = db.session.scalar(db.select(Post))
    assert published.body_html in response.text  # exactly the same HTML


def test_comment_preview_keeps_the_reply(member_client, post, top):
    response = _comment(member_client, post, "*soon*", parent_id=str(top.id), preview="1")
    assert response.status_code == 200 and "<em>soon</em>" in response.text
    assert f'name="parent_id" value="{top.id}"' in response.text
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 1


def test_the_length_limit_is_shown(member_client, post):
    assert "At most 10,000 characters." in member_client.get("/g/club").text
    assert "At most 5,000 characters." in member_client.get(f"/g/club/p/{post.id}").text


def test_a_post_too_long_keeps_the_text(member_client, club):
    body = "x" * 10_001
    response = member_client.post("/g/club/posts", data={"body": body})
    assert response.status_code == 422 and body in response.text
    assert "Use at most 10000 characters." in response.text or "Use at most 10,000 characters." in response.text


def test_an_empty_preview_says_so(member_client, club):
    response = member_client.post("/g/club/posts", data={"body": "   ", "preview": "1"})
    assert response.status_code == 422 and "Write something first." in response.text


@pytest.fixture
def app_config():
    return {"RATELIMIT_POST": "2 per minute", "RATELIMIT_COMMENT": "2 per minute"}


def test_a_rate_limited_post_keeps_the_text(member_client, club):
    for n in range(2):
        assert member_client.post("/g/club/posts", data={"body": f"post {n}"}).status_code == 302
    response = member_client.post("/g/club/posts", data={"body": "My third post, kept"})
    assert response.status_code == 429 and "Retry-After" in response.headers
    assert "My third post, kept</textarea>" in response.text
    assert "Your text is kept" in response.text


def test_a_rate_limited_reply_keeps_the_text_and_the_reply(member_client, post, top):
    for n in range(2):
        _comment(member_client, post, f"comment {n}")
    response = _comment(member_client, post, "A reply, kept", parent_id=str(top.id))
    assert response.status_code == 429
    assert "A reply, kept</textarea>" in response.text and f'name="parent_id" value="{top.id}"' in response.text


# --- long posts and pins ------------------------------------------------------------------------

def test_a_long_post_is_collapsed_in_the_feed_with_read_more(member_client, club, make_post):
    long = make_post(club, club.author, "word " * 400)
    make_post(club, club.author, "short one")
    feed = member_client.get("/g/club").text
    assert feed.count('class="post-body collapsed"') == 1 and "Read more" in feed
    assert f'href="/g/club/p/{long.id}">Read more' in feed
    assert "post-body collapsed" not in member_client.get(f"/g/club/p/{long.id}").text


def test_a_group_admin_pins_a_post_to_the_top(app, login, club, make_post, member_client):
    old = make_post(club, club.author, "House rules")
    make_post(club, club.author, "Newer news")
    owner = login(app.test_client(), _owner(club))
    assert owner.post(f"/g/club/p/{old.id}/pin", data={"pinned": "1"}).status_code == 302
    feed = member_client.get("/g/club").text
    assert feed.index("House rules") < feed.index("Newer news") and "Pinned" in feed
    assert feed.count("House rules") == 1
    owner.post(f"/g/club/p/{old.id}/pin", data={"pinned": "0"})
    feed = member_client.get("/g/club").text
    assert feed.index("Newer news") < feed.index("House rules")


def test_members_cannot_pin(member_client, club, make_post):
    post = make_post(club, club.author, "Mine")
    assert member_client.post(f"/g/club/p/{post.id}/pin", data={"pinned": "1"}).status_code == 404
    assert db.session.get(Post, post.id).pinned_at is None


def test_keyset_pages_show_every_post_once_with_a_pinned_one(app, login, club, make_post, member_client):
    posts = [make_post(club, club.author, f"Numbered post {n:02d}") for n in range(8)]
    owner = login(app.test_client(), _owner(club))
    owner.post(f"/g/club/p/{posts[3].id}/pin", data={"pinned": "1"})
    app.config["PAGE_SIZE"] = 3
    seen, url = [], "/g/club"
    try:
        while url:
            html = member_client.get(url).text
            seen += [n for n in range(8) if f"Numbered post {n:02d}" in html]
            url = html.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&") \
                if 'rel="next"' in html else None
    finally:
        app.config["PAGE_SIZE"] = 20
    assert sorted(seen) == list(range(8)) and seen[0] == 3


def _owner(club):
    from core.models import Membership, User

    return db.session.scalar(db.select(User).join(Membership, Membership.user_id == User.id)
                             .where(Membership.group_id == club.id, Membership.role == "owner"))
