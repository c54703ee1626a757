"""A page served from the cache costs two queries whatever it holds, and never writes: the plugin
state version, and the viewer with their unread count and (in the database) the page versions;
with the versions in Redis, one ``MGET`` besides. Answered by the front door (``front.py``), one
query of its own and none through SQLAlchemy, whatever the page holds."""
from __future__ import annotations

from core.extensions import db
from core.markdown import render_markdown
from core.models import Post


def _hit(app, client, count_queries, url: str) -> list[str]:
    """The statements of a hit through Flask (the front door off), after checking the front door
    answers the same page with one query of its own and none through SQLAlchemy."""
    cache = app.extensions["commonground.page_cache"]
    for _ in range(3):
        client.get(url)
    hits, front, queries = cache.hits, cache.front_hits, cache.front.queries
    with count_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200 and cache.front_hits == front + 1 and cache.hits == hits + 1
    assert statements == [] and cache.front.queries == queries + 1
    app.config["PAGE_CACHE_FRONT_DOOR"] = False
    try:
        db.session.expire_all()
        with count_queries() as statements:
            response = client.get(url)
    finally:
        app.config["PAGE_CACHE_FRONT_DOOR"] = True
    assert response.status_code == 200 and cache.hits == hits + 2 and cache.front_hits == front + 1
    assert not [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    return statements


def _posts(group, author, count: int) -> None:
    db.session.add_all(Post(group_id=group.id, author_id=author.id, body_source=f"post {n}",
                            body_html=render_markdown(f"post **{n}**")) for n in range(count))
    db.session.commit()


def test_a_cached_feed_costs_two_queries_for_few_and_many_posts(app, client, login, make_user, make_group,
                                                                        member, count_queries, page_cache_store):
    author = make_user("author")
    group = make_group(slug="club", members=[member, author])
    _posts(group, author, 3)
    login(client, member)
    small = _hit(app, client, count_queries, "/g/club")
    _posts(group, author, 200)
    large = _hit(app, client, count_queries, "/g/club")
    assert len(small) == len(large) == 2, "\n".join(large)


def test_a_cached_post_page_costs_two_queries_for_few_and_many_comments(app, client, login, make_user, make_group,
                                                                        make_post, make_comment, member,
                                                                        count_queries):
    author = make_user("author")
    group = make_group(slug="club", members=[member, author])
    post = make_post(group, author, "With comments")
    make_comment(post, author, "one")
    login(client, member)
    small = _hit(app, client, count_queries, f"/g/club/p/{post.id}")
    for n in range(60):
        make_comment(post, author, f"more {n}")
    large = _hit(app, client, count_queries, f"/g/club/p/{post.id}")
    assert len(small) == len(large) == 2, "\n".join(large)


def test_a_cached_home_page_costs_the_same_for_few_and_many_groups(app, client, login, make_user, make_group,
                                                                 member, count_queries, page_cache_store):
    """Plugin state, the viewer with their versions, the versions of their groups (in Redis: one
    ``MGET`` for all of them instead of the last two reads)."""
    author = make_user("author")
    group = make_group(slug="club", members=[member, author])
    _posts(group, author, 3)
    login(client, member)
    small = _hit(app, client, count_queries, "/")
    for n in range(12):
        more = make_group(slug=f"more-{n}", members=[member, author])
        _posts(more, author, 5)
    large = _hit(app, client, count_queries, "/")
    assert len(small) == len(large) == (3 if page_cache_store == "database" else 2), "\n".join(large)
