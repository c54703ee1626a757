"""A block never blinds a group's staff inside their group; everywhere else it hides both ways."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from core.extensions import db
from core.models import Membership, Post


@pytest.fixture
def blocked_owner(community, client_for, make_post, make_comment):
    """Bob blocked Olga, the group's owner, then posted and commented in her group."""
    assert client_for(community.bob).post("/blocks", data={"user_id": community.owner.id}).status_code == 302
    post = make_post(community.group, community.bob, "Bob's beans after the block")
    comment = make_comment(community.post, community.bob, "Bob's reply after the block")
    return post, comment


def test_the_owner_still_sees_the_post_of_a_member_who_blocked_her(community, client_for, blocked_owner):
    post, _comment = blocked_owner
    feed = client_for(community.owner).get("/g/garden").text
    assert "beans after the block" in feed
    assert "Bob Author has blocked you. You see this because you moderate this group." in feed
    page = client_for(community.owner).get(f"/g/garden/p/{post.id}")
    assert page.status_code == 200 and "has blocked you" in page.text


def test_the_owner_still_sees_comments_by_a_member_who_blocked_her(community, client_for, blocked_owner):
    page = client_for(community.owner).get(f"/g/garden/p/{community.post.id}").text
    assert "reply after the block" in page and "has blocked you" in page


def test_the_owner_sees_the_member_on_the_member_list_with_a_matching_count(community, client_for, blocked_owner):
    page = client_for(community.owner).get("/g/garden/members").text
    assert "/u/bob" in page and "has blocked you" in page
    shown = db.session.query(Membership).filter_by(group_id=community.group.id).count()
    assert f"{shown} members" in page


def test_the_owner_can_delete_the_post_of_a_member_who_blocked_her(community, client_for, blocked_owner):
    post, _comment = blocked_owner
    owner = client_for(community.owner)
    assert owner.get(f"/g/garden/p/{post.id}/delete").status_code == 200
    assert owner.post(f"/g/garden/p/{post.id}/delete").status_code == 302
    assert db.session.get(Post, post.id) is None


def test_the_owner_can_remove_a_member_who_blocked_her(community, client_for, blocked_owner):
    owner = client_for(community.owner)
    assert owner.get("/g/garden/members/bob/remove").status_code == 200
    assert owner.post("/g/garden/members/bob/remove").status_code == 302
    assert db.session.scalar(select(Membership).where(Membership.group_id == community.group.id,
                                                      Membership.user_id == community.bob.id)) is None


def test_the_api_lets_the_moderator_read_and_delete_the_post(community, client_for, blocked_owner):
    post, _comment = blocked_owner
    owner = client_for(community.owner)
    feed = owner.get("/api/v1/groups/garden/posts").json
    assert post.id in [item["id"] for item in feed["items"]]
    assert owner.get(f"/api/v1/posts/{post.id}").status_code == 200
    members = owner.get("/api/v1/groups/garden/members").json["items"]
    assert "bob" in [m["user"]["username"] for m in members]
    assert owner.delete(f"/api/v1/posts/{post.id}").status_code == 204
    assert owner.delete("/api/v1/groups/garden/members/bob").status_code == 204
    assert owner.get("/api/v1/users/bob").status_code == 404  # outside the group, still hidden


def test_a_moderator_who_blocked_a_member_is_told_so_beside_their_post(community, client_for, make_post):
    client_for(community.moderator).post("/blocks", data={"user_id": community.carol.id})
    make_post(community.group, community.carol, "Carol's compost")
    feed = client_for(community.moderator).get("/g/garden").text
    assert "compost" in feed
    assert "You blocked Carol Member. You see this because you moderate this group." in feed


def test_members_are_not_told_anything(community, client_for, blocked_owner):
    alice = client_for(community.alice).get("/g/garden").text
    assert "beans after the block" in alice and "has blocked you" not in alice
    bob = client_for(community.bob).get("/g/garden/members").text
    assert "/u/owner" not in bob and "blocked" not in bob


def test_outside_the_group_the_block_still_hides_both_ways(community, client_for, blocked_owner, make_group,
                                                           make_post):
    other = make_group(owner=community.alice, slug="orchard", members=(community.owner, community.bob))
    make_post(other, community.bob, "Bob in the orchard")
    owner = client_for(community.owner)
    assert "Bob in the orchard" not in owner.get("/g/orchard").text
    assert "/u/bob" not in owner.get("/g/orchard/members").text
    assert owner.get("/u/bob").status_code == 404
    assert client_for(community.bob).get("/u/owner").status_code == 404
    assert "has blocked you" not in owner.get("/g/orchard").text


def test_the_member_who_blocked_still_does_not_see_the_owner(community, client_for, blocked_owner, make_post):
    make_post(community.group, community.owner, "Olga's announcement")
    assert "announcement" not in client_for(community.bob).get("/g/garden").text


def test_a_former_moderator_is_blinded_again(community, client_for, blocked_owner):
    post, _comment = blocked_owner
    client_for(community.bob).post("/blocks", data={"user_id": community.moderator.id})
    assert client_for(community.moderator).get(f"/g/garden/p/{post.id}").status_code == 200
    client_for(community.owner).post("/g/garden/members/mod/role", data={"role": "member"})
    assert client_for(community.moderator).get(f"/g/garden/p/{post.id}").status_code == 404
