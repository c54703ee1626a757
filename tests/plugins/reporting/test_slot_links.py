"""Report and block links on a feed: built once per request, but each names its own item and author."""
from __future__ import annotations


def test_each_post_by_someone_else_gets_report_and_block_links_with_its_own_ids(community, client_for, make_post):
    carols = make_post(community.group, community.carol, "Carol's post")
    own = make_post(community.group, community.alice, "Alice's own post")
    page = client_for(community.alice).get("/g/garden").get_data(as_text=True)
    for post, author in ((community.post, community.bob), (carols, community.carol)):
        assert f'href="/report/post/{post.id}"' in page
        assert f'href="/blocks/confirm/{author.id}"' in page
    assert f'href="/report/post/{own.id}"' not in page
    assert f'href="/blocks/confirm/{community.alice.id}"' not in page


def test_comments_get_report_links_of_their_own_kind(community, client_for):
    page = client_for(community.alice).get(f"/g/garden/p/{community.post.id}").get_data(as_text=True)
    assert f'href="/report/comment/{community.comment.id}"' in page
    assert f'href="/report/post/{community.post.id}"' in page
