"""Counts a viewer is shown agree with what that viewer can see after a block."""
from __future__ import annotations

import re

import pytest


def block(client, user):
    assert client.post("/blocks", data={"user_id": user.id}).status_code == 302


def comments_link(html: str, post_id: int) -> str:
    return re.search(rf'href="/g/garden/p/{post_id}#comments">([^<]*)<', html).group(1)


@pytest.fixture
def alice_blocked_carol(community, client_for):
    """Carol wrote the only comment on Bob's post; Alice blocks Carol. Six people in the garden."""
    block(client_for(community.alice), community.carol)
    return client_for(community.alice)


def test_the_feed_counts_only_comments_the_viewer_can_see(community, client_for, alice_blocked_carol):
    assert comments_link(alice_blocked_carol.get("/g/garden").text, community.post.id) == "0 comments"
    assert comments_link(client_for(community.bob).get("/g/garden").text, community.post.id) == "1 comment"


def test_the_post_page_counts_only_comments_the_viewer_can_see(community, alice_blocked_carol):
    page = alice_blocked_carol.get(f"/g/garden/p/{community.post.id}").text
    assert '<h2 id="comments-heading">0 comments</h2>' in page and "thoughtful" not in page


def test_the_api_counts_only_comments_the_viewer_can_see(community, alice_blocked_carol):
    assert alice_blocked_carol.get(f"/api/v1/posts/{community.post.id}").json["comment_count"] == 0
    feed = alice_blocked_carol.get("/api/v1/groups/garden/posts").json["items"]
    assert [p["comment_count"] for p in feed if p["id"] == community.post.id] == [0]


def test_the_blocked_person_is_not_counted_either(community, client_for, alice_blocked_carol, make_comment):
    make_comment(community.post, community.alice, "Alice answers Bob")
    carol = client_for(community.carol)
    assert comments_link(carol.get("/g/garden").text, community.post.id) == "1 comment"


def test_member_counts_leave_out_hidden_members(community, client_for, alice_blocked_carol):
    for path in ("/g/garden", "/g/garden/members", "/g/"):
        assert "5 members" in alice_blocked_carol.get(path).text, path
    assert alice_blocked_carol.get("/api/v1/groups/garden").json["member_count"] == 5
    directory = alice_blocked_carol.get("/api/v1/groups").json["items"]
    assert [g["member_count"] for g in directory if g["slug"] == "garden"] == [5]
    assert "6 members" in client_for(community.bob).get("/g/garden").text


def test_group_staff_count_everyone(community, client_for):
    block(client_for(community.bob), community.owner)
    owner = client_for(community.owner)
    assert "6 members" in owner.get("/g/garden/members").text
    assert owner.get("/api/v1/groups/garden").json["member_count"] == 6
    assert comments_link(owner.get("/g/garden").text, community.post.id) == "1 comment"
    assert "5 members" in client_for(community.bob).get("/g/garden").text
