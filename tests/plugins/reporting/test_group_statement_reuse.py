"""Core's group, feed, post and comment statements carry reporting's block filter and are built
once, then reused (``core.groups.statements``): a block, an unblock or reporting switched off
still changes what the next page shows, for each viewer on their own."""
from __future__ import annotations

from core.groups import statements
from core.plugins import state as plugin_state
from tests.plugins.reporting.test_blocks import block

POST = "tomatoes"
COMMENT = "thoughtful reply"


def _unblock(client, user):
    return client.post(f"/blocks/{user.id}/delete")


def test_a_second_look_at_the_feed_builds_no_new_statement(community, client_for):
    carol = client_for(community.carol)
    carol.get("/g/garden")
    carol.get(f"/g/garden/p/{community.post.id}")
    built = dict(statements._STATEMENTS)
    assert built, "the feed and post page statements are kept"
    carol.get("/g/garden")
    carol.get(f"/g/garden/p/{community.post.id}")
    assert statements._STATEMENTS == built
    assert all(statements._STATEMENTS[key] is found for key, found in built.items())


def test_a_block_made_after_the_feed_was_shown_hides_the_posts_on_the_next_page(community, client_for):
    carol = client_for(community.carol)
    assert POST in carol.get("/g/garden").text
    assert block(carol, community.bob).status_code == 302
    assert POST not in carol.get("/g/garden").text
    assert carol.get(f"/g/garden/p/{community.post.id}").status_code == 404


def test_being_blocked_hides_them_too(community, client_for):
    carol = client_for(community.carol)
    assert POST in carol.get("/g/garden").text
    assert block(client_for(community.bob), community.carol).status_code == 302
    assert POST not in carol.get("/g/garden").text


def test_unblocking_brings_the_posts_back_on_the_next_page(community, client_for):
    carol = client_for(community.carol)
    block(carol, community.bob)
    assert POST not in carol.get("/g/garden").text
    assert _unblock(carol, community.bob).status_code == 302
    assert POST in carol.get("/g/garden").text


def test_a_block_hides_comments_on_the_next_post_page(community, client_for):
    bob = client_for(community.bob)
    url = f"/g/garden/p/{community.post.id}"
    assert COMMENT in bob.get(url).text
    block(bob, community.carol)
    page = bob.get(url).text
    assert POST in page and COMMENT not in page


def test_switching_reporting_off_and_on_changes_the_feed_on_the_next_page(community, client_for):
    carol = client_for(community.carol)
    block(carol, community.bob)
    assert POST not in carol.get("/g/garden").text
    plugin_state.set_enabled("reporting", False)
    assert POST in carol.get("/g/garden").text
    plugin_state.set_enabled("reporting", True)
    assert POST not in carol.get("/g/garden").text


def test_each_viewer_gets_their_own_feed(community, client_for):
    carol, alice = client_for(community.carol), client_for(community.alice)
    block(carol, community.bob)
    assert POST not in carol.get("/g/garden").text
    assert POST in alice.get("/g/garden").text
    assert POST not in carol.get("/g/garden").text


def test_staff_still_see_a_blocked_authors_posts_marked_after_blocking(community, client_for):
    moderator = client_for(community.moderator)
    assert POST in moderator.get("/g/garden").text
    block(moderator, community.bob)
    feed = moderator.get("/g/garden").text
    assert POST in feed and "You blocked Bob Author." in feed
