"""The hidden-items query is built once per kind of list and viewer and reused with new ids: each
hide still shows on the next page, for each kind of viewer, on feeds and post pages alike."""
from __future__ import annotations

from tests.plugins.reporting.test_moderation import decide, file_report

PLACEHOLDER = "This was hidden by the moderators."
MARKER = "Hidden from members by the moderators."


def _hide(community, client_for, content_type: str, content_id: int) -> None:
    case = file_report(client_for(community.alice), content_type, content_id)
    response = decide(client_for(community.moderator), case, actions=["hide"], rule="Be kind",
                      explanation="Mocking another member")
    assert response.status_code == 302


def test_a_post_hidden_after_the_feed_was_shown_gets_its_placeholder_on_the_next_page(community, client_for):
    carol = client_for(community.carol)
    assert "tomatoes" in carol.get("/g/garden").text
    assert "tomatoes" in carol.get("/g/garden").text
    _hide(community, client_for, "post", community.post.id)
    feed = carol.get("/g/garden").text
    assert PLACEHOLDER in feed and "tomatoes" not in feed


def test_a_hidden_comment_shows_its_placeholder_on_the_post_page_to_members(community, client_for):
    url = f"/g/garden/p/{community.post.id}"
    bob = client_for(community.bob)
    assert "thoughtful reply" in bob.get(url).text
    _hide(community, client_for, "comment", community.comment.id)
    page = bob.get(url).text
    assert PLACEHOLDER in page and "thoughtful reply" not in page
    assert "tomatoes" in page, "the post itself is not hidden"


def test_moderators_of_the_group_see_the_hidden_comment_marked(community, client_for):
    _hide(community, client_for, "comment", community.comment.id)
    page = client_for(community.moderator2).get(f"/g/garden/p/{community.post.id}").text
    assert "thoughtful reply" in page and MARKER in page and PLACEHOLDER not in page


def test_site_admins_see_hidden_posts_marked_where_members_see_the_placeholder(community, client_for, make_user):
    _hide(community, client_for, "post", community.post.id)
    admin = make_user("siteadmin", is_site_admin=True)
    feed = client_for(admin).get("/g/garden").text
    assert "tomatoes" in feed and MARKER in feed
    member_feed = client_for(community.carol).get("/g/garden").text
    assert PLACEHOLDER in member_feed and "tomatoes" not in member_feed


def test_visitors_see_the_placeholder_of_a_hidden_post_in_a_public_feed(community, client_for, client):
    assert "tomatoes" in client.get("/g/garden").text
    _hide(community, client_for, "post", community.post.id)
    feed = client.get("/g/garden").text
    assert PLACEHOLDER in feed and "tomatoes" not in feed and MARKER not in feed


def test_a_moderator_of_another_group_sees_the_placeholder(community, client_for, make_user, make_group):
    elsewhere = make_user("elsewhere")
    make_group(owner=make_user("other_owner"), slug="orchard", members=((elsewhere, "moderator"),))
    _hide(community, client_for, "post", community.post.id)
    feed = client_for(elsewhere).get("/g/garden").text
    assert PLACEHOLDER in feed and "tomatoes" not in feed


def test_an_item_shown_again_by_the_moderators_shows_in_full_on_the_next_page(community, client_for, app):
    from core.extensions import db
    from plugins.reporting.hiding import unhide

    carol = client_for(community.carol)
    _hide(community, client_for, "post", community.post.id)
    assert PLACEHOLDER in carol.get("/g/garden").text
    with app.test_request_context():
        assert unhide("post", community.post.id)
        db.session.commit()
    feed = carol.get("/g/garden").text
    assert "tomatoes" in feed and PLACEHOLDER not in feed


def test_the_post_page_shows_a_hidden_post_as_its_placeholder_with_its_comments(community, client_for):
    _hide(community, client_for, "post", community.post.id)
    page = client_for(community.carol).get(f"/g/garden/p/{community.post.id}").text
    assert PLACEHOLDER in page and "tomatoes" not in page and "thoughtful reply" in page
