"""Search respects blocks and moderation: what a viewer may not see in the feed, they cannot find.

Blocks reach search through core's ``not_hidden`` (``hidden_user_ids``), hidden items through
``hidden_content_ids``; both are filters inside the search's one SQL query.
"""
from __future__ import annotations

from core.extensions import db
from core.plugins import state as plugin_state
from plugins.reporting.models import HiddenContent


def found(client, q: str) -> list[tuple[str, int]]:
    response = client.get("/api/v1/search", query_string={"q": q})
    assert response.status_code == 200, response.get_json()
    return sorted((hit["type"], hit["id"]) for hit in response.get_json()["items"])


def block(client, user) -> None:
    assert client.post("/blocks", data={"user_id": user.id}).status_code == 302


def hide(item, group, content_type: str) -> None:
    db.session.add(HiddenContent(content_type=content_type, content_id=item.id, group_id=group.id))
    db.session.commit()


def test_a_blocked_persons_posts_comments_and_profile_are_not_found_both_ways(community, client_for):
    alice, bob = client_for(community.alice), client_for(community.bob)
    assert found(alice, "bob") == [("post", community.post.id), ("profile", community.bob.id)]
    assert ("post", community.post.id) in found(alice, "tomatoes")
    block(alice, community.bob)
    assert found(alice, "bob") == [] and found(alice, "tomatoes") == []
    assert found(bob, "alice") == []
    assert found(client_for(community.carol), "tomatoes") == [("post", community.post.id)]


def test_comments_under_a_blocked_persons_post_are_not_found(community, client_for):
    alice = client_for(community.alice)
    assert found(alice, "thoughtful") == [("comment", community.comment.id)]
    block(alice, community.bob)  # bob wrote the post carol commented on
    assert found(alice, "thoughtful") == []


def test_a_groups_moderator_finds_what_a_member_who_blocked_them_wrote_there_but_not_their_profile(
        community, client_for, make_comment):
    block(client_for(community.bob), community.owner)
    reply = make_comment(community.post, community.bob, "bob answers about tomatoes")
    owner = client_for(community.owner)
    assert found(owner, "tomatoes") == [("comment", reply.id), ("post", community.post.id)]
    assert ("profile", community.bob.id) not in found(owner, "bob")
    assert found(client_for(community.bob), "olga") == []


def test_unblocking_makes_them_findable_again(community, client_for):
    alice = client_for(community.alice)
    block(alice, community.bob)
    alice.post(f"/blocks/{community.bob.id}/delete")
    assert found(alice, "tomatoes") == [("post", community.post.id)]


def test_hidden_items_are_not_found_by_members_but_by_the_groups_moderators(community, client_for):
    hide(community.post, community.group, "post")
    hide(community.comment, community.group, "comment")
    assert found(client_for(community.alice), "tomatoes") == []
    assert found(client_for(community.alice), "thoughtful") == []
    assert found(client_for(community.moderator), "tomatoes") == [("post", community.post.id)]
    assert found(client_for(community.moderator), "thoughtful") == [("comment", community.comment.id)]


def test_hidden_items_are_not_found_by_visitors(community, app):
    hide(community.post, community.group, "post")
    assert found(app.test_client(), "tomatoes") == []


def test_with_reporting_disabled_hiding_stops_as_its_placeholders_do(community, client_for):
    hide(community.post, community.group, "post")
    plugin_state.set_enabled("reporting", False)
    assert found(client_for(community.alice), "tomatoes") == [("post", community.post.id)]


def test_hiding_and_blocks_apply_to_a_reused_search_statement_as_they_change(community, client_for):
    """The second search of a viewer runs the statement of the first: the tables are read on each run."""
    alice = client_for(community.alice)
    assert found(alice, "tomatoes") == [("post", community.post.id)]
    hide(community.post, community.group, "post")
    assert found(alice, "tomatoes") == []
    plugin_state.set_enabled("reporting", False)
    assert found(alice, "tomatoes") == [("post", community.post.id)]
    plugin_state.set_enabled("reporting", True)
    db.session.delete(db.session.scalar(db.select(HiddenContent)))
    db.session.commit()
    block(alice, community.bob)
    assert found(alice, "tomatoes") == []


def test_a_viewer_with_blocks_and_hidden_items_reuses_one_search_statement(community, client_for, monkeypatch):
    from core.search import query

    monkeypatch.setattr(query, "_STATEMENTS", {})
    alice = client_for(community.alice)
    block(alice, community.carol)
    hide(community.post, community.group, "post")
    for q in ("tomatoes", "thoughtful", "bob"):
        found(alice, q)
    assert len(query._STATEMENTS) == 1


def test_search_stays_one_query_with_blocks_and_hidden_items(community, client_for, count_queries):
    alice = client_for(community.alice)
    block(alice, community.carol)
    hide(community.post, community.group, "post")
    alice.get("/api/v1/search?q=tomatoes")
    db.session.expire_all()
    with count_queries() as statements:
        assert alice.get("/api/v1/search?q=tomatoes").status_code == 200
    searches = [s for s in statements if "search_index" in s]
    assert len(searches) == 1 and "reporting_hidden" in searches[0] and "reporting_blocks" in searches[0]
