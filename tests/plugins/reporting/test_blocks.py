"""Blocks: both ways, everywhere core asks, and never announced to the blocked person."""
from __future__ import annotations

from sqlalchemy import func, select

from core.extensions import db
from core.models import Notification
from plugins.reporting.models import Block


def block(client, user):
    return client.post("/blocks", data={"user_id": user.id})


def block_count() -> int:
    return db.session.scalar(select(func.count(Block.id)))


def test_block_from_a_profile_after_confirming(community, client_for):
    alice = client_for(community.alice)
    profile = alice.get("/u/carol").text
    assert f'href="/blocks/confirm/{community.carol.id}"' in profile
    confirm = alice.get(f"/blocks/confirm/{community.carol.id}")
    assert confirm.status_code == 200 and "Block Carol Member?" in confirm.text and "is not told" in confirm.text
    response = block(alice, community.carol)
    assert response.status_code == 302 and response.headers["Location"].endswith("/blocks")
    listing = alice.get("/blocks").text
    assert "Carol Member" in listing and "@carol" in listing
    assert "already block" in alice.get(f"/blocks/confirm/{community.carol.id}").text


def test_block_by_username_on_the_blocks_page(community, client_for):
    alice = client_for(community.alice)
    assert alice.post("/blocks", data={"username": "@Carol"}).status_code == 302
    assert block_count() == 1
    unknown = alice.post("/blocks", data={"username": "nobody"})
    assert unknown.status_code == 404 and 'id="username-error"' in unknown.text and "nobody" in unknown.text
    empty = alice.post("/blocks", data={"username": ""})
    assert empty.status_code == 422 and 'id="username-error"' in empty.text
    assert block_count() == 1


def test_blocking_yourself_is_a_clear_error(community, client_for):
    alice = client_for(community.alice)
    response = block(alice, community.alice)
    assert response.status_code == 422 and "You cannot block yourself." in response.text
    by_name = alice.post("/blocks", data={"username": "alice"})
    assert by_name.status_code == 422 and "You cannot block yourself." in by_name.text
    assert alice.get(f"/blocks/confirm/{community.alice.id}").status_code == 404
    assert block_count() == 0


def test_blocking_twice_keeps_one_block_and_unknown_ids_are_404(community, client_for):
    alice = client_for(community.alice)
    block(alice, community.carol)
    block(alice, community.carol)
    assert block_count() == 1
    assert alice.post("/blocks", data={"user_id": 99999}).status_code == 404
    assert alice.get("/blocks/confirm/99999").status_code == 404


def test_blocks_page_needs_log_in(client):
    assert client.get("/blocks").status_code == 302


def test_block_hides_posts_both_ways_in_the_group_feed(community, client_for, make_post):
    make_post(community.group, community.carol, "Carol's sunflowers")
    make_post(community.group, community.alice, "Alice's roses")
    alice, carol = client_for(community.alice), client_for(community.carol)
    assert "sunflowers" in alice.get("/g/garden").text
    block(alice, community.carol)
    assert "sunflowers" not in alice.get("/g/garden").text
    assert "roses" not in carol.get("/g/garden").text
    assert "roses" in client_for(community.bob).get("/g/garden").text


def test_block_hides_comments_and_profiles_both_ways(community, client_for):
    alice, carol = client_for(community.alice), client_for(community.carol)
    block(alice, community.carol)
    before = client_for(community.bob).get(f"/g/garden/p/{community.post.id}").text
    assert "thoughtful" in before
    assert "thoughtful" not in alice.get(f"/g/garden/p/{community.post.id}").text
    assert alice.get("/u/carol").status_code == 404
    assert carol.get("/u/alice").status_code == 404
    assert client_for(community.bob).get("/u/alice").status_code == 200


def test_neither_can_comment_on_the_others_post(community, client_for, make_post):
    alices_post = make_post(community.group, community.alice, "Alice asks a question")
    block(client_for(community.alice), community.carol)
    carol = client_for(community.carol)
    carol.post(f"/g/garden/p/{alices_post.id}/comments", data={"body": "sneaky reply"})
    from core.models import Comment

    assert db.session.scalar(select(Comment).where(Comment.body_source == "sneaky reply")) is None
    carols_post = make_post(community.group, community.carol, "Carol asks")
    client_for(community.alice).post(f"/g/garden/p/{carols_post.id}/comments", data={"body": "alice reply"})
    assert db.session.scalar(select(Comment).where(Comment.body_source == "alice reply")) is None


def test_policy_says_no_both_ways_for_every_plugin_that_asks(community, client_for, app):
    from core.permissions import can_interact, can_invite

    block(client_for(community.carol), community.alice)
    with app.test_request_context():
        assert can_interact(community.alice, community.carol) is False
        assert can_interact(community.carol, community.alice) is False
        assert can_interact(community.alice, community.bob) is True
        assert can_invite(community.owner, community.group, community.bob) is True


def test_neither_can_invite_or_notify_the_other(community, client_for, make_user, make_group, app):
    from core.notify import notify

    outsider = make_user("dave")
    make_group(owner=community.alice, slug="alices")
    block(client_for(outsider), community.alice)
    client_for(community.alice).post("/g/alices/invite", data={"username": "dave"})
    from core.models import Invitation

    assert db.session.scalar(select(Invitation)) is None
    with app.test_request_context():
        assert notify(outsider, "post_reply", actor=community.alice) is None
        assert notify(community.alice, "post_reply", actor=outsider) is None


def test_the_blocked_person_is_not_told(community, client_for, outbox):
    block(client_for(community.alice), community.carol)
    assert db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == community.carol.id)) == 0
    assert outbox() == []


def test_unblocking_restores_visibility(community, client_for, make_post):
    make_post(community.group, community.carol, "Carol's sunflowers")
    alice = client_for(community.alice)
    block(alice, community.carol)
    response = alice.post(f"/blocks/{community.carol.id}/delete")
    assert response.status_code == 302
    assert block_count() == 0
    assert "sunflowers" in alice.get("/g/garden").text
    assert alice.post(f"/blocks/{community.carol.id}/delete").status_code == 404


def test_only_the_blocker_can_lift_a_block(community, client_for):
    block(client_for(community.alice), community.carol)
    assert client_for(community.carol).post(f"/blocks/{community.alice.id}/delete").status_code == 404
    assert block_count() == 1


def test_the_confirmation_page_does_not_reveal_someone_who_blocked_you(community, client_for):
    block(client_for(community.carol), community.alice)
    alice = client_for(community.alice)
    page = alice.get(f"/blocks/confirm/{community.carol.id}")
    assert page.status_code == 404 and "Carol" not in page.text
    refused = block(alice, community.carol)
    assert refused.status_code == 404 and "Carol" not in refused.text
    assert block_count() == 1


def test_the_confirmation_page_answers_404_for_ids_hidden_by_any_plugin_and_unknown_ids(community, client_for):
    alice = client_for(community.alice)
    assert alice.get("/blocks/confirm/99999").status_code == 404
    assert "Block Carol Member?" in alice.get(f"/blocks/confirm/{community.carol.id}").text
    block(alice, community.carol)
    assert "You already block Carol Member." in alice.get(f"/blocks/confirm/{community.carol.id}").text


def test_blocking_by_username_someone_who_blocked_you_names_only_the_username(community, client_for):
    block(client_for(community.carol), community.alice)
    alice = client_for(community.alice)
    response = alice.post("/blocks", data={"username": "carol"}, follow_redirects=True)
    assert "You blocked @carol." in response.text and "You blocked Carol Member" not in response.text
    assert block_count() == 2
