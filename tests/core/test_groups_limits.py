"""Group actions that send email are rate-limited per account, on pages and in the API."""
from __future__ import annotations

import pytest

from core.extensions import db
from core.models import Comment, Invitation


@pytest.fixture
def app_config():
    return {"RATELIMIT_GROUP_INVITE": "2 per minute", "RATELIMIT_COMMENT": "2 per minute",
            "RATELIMIT_GROUP_JOIN": "2 per minute"}


def test_invitations_are_limited_per_account(client, login, make_user, make_group):
    inviter = make_user("inviter")
    for name in ("a1", "a2", "a3"):
        make_user(name)
    make_group(slug="club", members=[inviter])
    login(client, inviter)
    assert client.post("/g/club/invite", data={"username": "a1"}).status_code == 302
    assert client.post("/api/v1/groups/club/invitations", json={"username": "a2"}).status_code == 201
    assert client.post("/g/club/invite", data={"username": "a3"}).status_code == 429
    assert db.session.scalar(db.select(db.func.count(Invitation.id))) == 2


def test_comments_are_limited_per_account_not_per_address(client, login, make_user, make_group, make_post):
    first, second = make_user("first"), make_user("second")
    group = make_group(slug="club", members=[first, second])
    post = make_post(group, first)
    login(client, first)
    for n in range(2):
        assert client.post(f"/g/club/p/{post.id}/comments", data={"body": f"c{n}"}).status_code == 302
    assert client.post(f"/api/v1/posts/{post.id}/comments", json={"body": "one more"}).status_code == 429
    login(client, second)
    assert client.post(f"/g/club/p/{post.id}/comments", data={"body": "someone else"}).status_code == 302
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 3


def test_looking_at_the_join_form_is_not_counted(member_client, make_group):
    make_group(slug="circle", join_mode="request", join_question="Why?")
    for _ in range(4):
        assert member_client.get("/g/circle/join").status_code == 200
    assert member_client.post("/g/circle/join", data={"answer": "Because"}).status_code == 302
