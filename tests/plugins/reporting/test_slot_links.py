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


def test_links_built_once_still_follow_each_viewers_language_and_mount_point(community, client_for):
    """The link patterns and the queue link are remembered across requests (``page_constant``), per
    language and mount point: a German viewer after an English one, and a prefixed mount, get theirs."""
    from core.extensions import db

    community.bob.locale = "de"
    db.session.commit()
    english = client_for(community.alice)
    german = client_for(community.bob)
    owner = client_for(community.owner)
    for _ in range(2):
        page = english.get(f"/g/garden/p/{community.post.id}").text
        assert ">Report</a>" in page and "Melden" not in page
        page = german.get(f"/g/garden/p/{community.post.id}").text
        assert ">Melden</a>" in page and ">Report</a>" not in page
        sidebar = owner.get("/g/garden").text
        assert "Moderation queue" in sidebar and 'href="/moderation/g/garden"' in sidebar
    mounted = english.get(f"/g/garden/p/{community.post.id}", base_url="http://localhost/community").text
    assert f'href="/community/report/comment/{community.comment.id}"' in mounted
    assert f'href="/report/comment/{community.comment.id}"' not in mounted
    mounted = owner.get("/g/garden", base_url="http://localhost/community").text
    assert 'href="/community/moderation/g/garden"' in mounted


def test_the_stylesheet_is_on_the_plugins_own_pages_only_and_asked_once_per_kind_of_page(community, client_for,
                                                                                          monkeypatch):
    from plugins.reporting import slots

    asked: list[str] = []
    head = slots.head
    monkeypatch.setitem(slots.RENDERERS, "head", lambda context: asked.append("head") or head(context))
    alice = client_for(community.alice)
    stylesheet = "reporting/static/reporting.css"
    for _ in range(2):
        assert stylesheet in alice.get("/blocks").text
        assert stylesheet not in alice.get(f"/g/garden/p/{community.post.id}").text
    assert len(asked) <= 2, "remembered per blueprint (answers_by_blueprint), not asked on every page"
