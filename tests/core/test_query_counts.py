"""Each group page costs a small, fixed number of SQL queries, whatever the amount of data.

Budget: at most 6 per page. A GET never writes. The numbers below are exact so that a
regression (a lazy load in a template, an N+1) shows up as a failing test, not a slow page.
"""
from __future__ import annotations

import pytest

from core.extensions import db
from core.markdown import render_markdown
from core.models import Comment, Group, Membership, Post, User
from core.models.base import utcnow

BUDGET = 6


@pytest.fixture
def fill(app, make_user):
    """Bulk helpers: many posts, comments, groups or members in one commit each."""
    authors = [make_user(f"author{n}") for n in range(3)]

    class Fill:
        @staticmethod
        def posts(group: Group, count: int) -> list[Post]:
            posts = [Post(group_id=group.id, author_id=authors[n % 3].id, body_source=f"post {n}",
                          body_html=render_markdown(f"post **{n}**"), comment_count=n % 4) for n in range(count)]
            db.session.add_all(posts)
            db.session.commit()
            return posts

        @staticmethod
        def comments(post: Post, count: int) -> None:
            db.session.add_all(Comment(post_id=post.id, author_id=authors[n % 3].id, body_source=f"c {n}",
                                       body_html=f"<p>c {n}</p>") for n in range(count))
            post.comment_count = count
            db.session.commit()

        @staticmethod
        def groups(count: int, owner: User) -> None:
            for n in range(count):
                group = Group(slug=f"bulk-{n:04d}", name=f"Bulk group {n:04d}", description="Lots of groups",
                              visibility="private" if n % 2 else "public", created_by_id=owner.id, member_count=1)
                db.session.add(group)
                db.session.flush()
                db.session.add(Membership(group_id=group.id, user_id=owner.id, role="owner"))
            db.session.commit()

        @staticmethod
        def members(group: Group, count: int) -> None:
            now = utcnow()
            start = group.member_count
            users = [User(username=f"m{n}", email=f"m{n}@example.org", display_name=f"M {n}", password_hash="x",
                          adult_attested_at=now, email_confirmed_at=now) for n in range(start, start + count)]
            db.session.add_all(users)
            db.session.flush()
            db.session.add_all(Membership(group_id=group.id, user_id=u.id, role="member") for u in users)
            group.member_count = start + count
            db.session.commit()

    Fill.authors = authors
    return Fill


def _measure(client, count_queries, url: str) -> list[str]:
    db.session.expire_all()
    with count_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200, response.text[:500]
    writes = [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == [], "a GET must never write"
    return statements


def _same_for_small_and_large(client, count_queries, url: str, grow) -> int:
    client.get(url)  # the worker's first request loads plugin state once; steady state is measured
    small = _measure(client, count_queries, url)
    grow()
    large = _measure(client, count_queries, url)
    assert len(small) == len(large), "\n".join(large)
    assert len(large) <= BUDGET, "\n".join(large)
    return len(large)


def test_group_feed_for_a_logged_in_member(app, client, login, make_group, member, fill, count_queries):
    group = make_group(slug="club", members=[member, *fill.authors])
    fill.posts(group, 10)
    login(client, member)
    # plugin state version, user with unread count (and the page cache's versions: this is a miss,
    # the posts changed), group with membership, posts with authors (reaction counts and the
    # member's own reactions ride along in the posts' query); a hit is 2
    # (tests/core/page_cache/test_query_counts.py)
    assert _same_for_small_and_large(client, count_queries, "/g/club", lambda: fill.posts(group, 190)) == 4


def test_group_feed_for_an_anonymous_visitor(app, client, make_group, fill, count_queries):
    group = make_group(slug="club", members=fill.authors)
    fill.posts(group, 10)
    assert _same_for_small_and_large(client, count_queries, "/g/club", lambda: fill.posts(group, 190)) == 3


def test_second_feed_page_costs_the_same(app, client, login, make_group, member, fill, count_queries):
    group = make_group(slug="club", members=[member, *fill.authors])
    fill.posts(group, 200)
    login(client, member)
    first = client.get("/g/club").text  # also loads plugin state once
    older = first.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    assert len(_measure(client, count_queries, older)) == 4


def test_group_directory_for_a_logged_in_member(app, client, login, member, fill, count_queries):
    fill.groups(10, fill.authors[0])
    login(client, member)
    assert _same_for_small_and_large(client, count_queries, "/g/",
                                     lambda: _more_groups(fill)) == 3


def _more_groups(fill) -> None:
    owner = fill.authors[1]
    for n in range(10, 200):
        group = Group(slug=f"more-{n:04d}", name=f"More group {n:04d}", created_by_id=owner.id, member_count=1)
        db.session.add(group)
    db.session.commit()


def test_group_directory_for_an_anonymous_visitor(app, client, fill, count_queries):
    fill.groups(10, fill.authors[0])
    assert _same_for_small_and_large(client, count_queries, "/g/", lambda: _more_groups(fill)) == 2


def test_directory_search_costs_the_same(app, client, login, member, fill, count_queries):
    fill.groups(10, fill.authors[0])
    login(client, member)
    assert _same_for_small_and_large(client, count_queries, "/g/?q=bulk", lambda: _more_groups(fill)) == 3


def test_post_page_with_many_comments(app, client, login, make_group, member, fill, count_queries):
    group = make_group(slug="club", members=[member, *fill.authors])
    [post] = fill.posts(group, 1)
    fill.comments(post, 10)
    login(client, member)
    # state, user, post with group and membership, comments with authors
    assert _same_for_small_and_large(client, count_queries, f"/g/club/p/{post.id}",
                                     lambda: fill.comments(post, 190)) == 4


def test_member_list_with_many_members(app, client, login, make_group, member, fill, count_queries):
    group = make_group(slug="club", members=[member])
    fill.members(group, 10)
    login(client, member)
    assert _same_for_small_and_large(client, count_queries, "/g/club/members",
                                     lambda: fill.members(group, 190)) == 4


def _react_to_all(model, key: str, ids: list[int], people: list[User]) -> None:
    from core.models import REACTION_KINDS

    db.session.add_all(model(**{key: item_id}, user_id=person.id, kind=REACTION_KINDS[n % 4])
                       for item_id in ids for n, person in enumerate(people))
    db.session.commit()


def test_feed_with_reactions_and_a_pinned_post_costs_the_same(app, client, login, make_group, member, fill,
                                                             count_queries):
    from core.models import PostReaction

    group = make_group(slug="club", members=[member, *fill.authors])
    posts = fill.posts(group, 10)
    posts[0].pinned_at = utcnow()
    _react_to_all(PostReaction, "post_id", [p.id for p in posts], [member, *fill.authors])
    login(client, member)

    def grow():
        more = fill.posts(group, 190)
        _react_to_all(PostReaction, "post_id", [p.id for p in more], [member, *fill.authors])

    # as without a pin, plus one query for the pinned posts (first page only)
    assert _same_for_small_and_large(client, count_queries, "/g/club", grow) == 5


def test_post_page_with_reactions_and_replies_costs_the_same(app, client, login, make_group, member, fill,
                                                            count_queries):
    from core.models import CommentReaction, PostReaction

    group = make_group(slug="club", members=[member, *fill.authors])
    [post] = fill.posts(group, 1)
    _react_to_all(PostReaction, "post_id", [post.id], [member, *fill.authors])
    login(client, member)

    def comments_with_replies(count: int) -> None:
        tops = [Comment(post_id=post.id, author_id=fill.authors[n % 3].id, body_source=f"t {n}",
                        body_html=f"<p>t {n}</p>") for n in range(count // 2)]
        db.session.add_all(tops)
        db.session.flush()
        db.session.add_all(Comment(post_id=post.id, author_id=member.id, parent_id=top.id, body_source="r",
                                   body_html="<p>r</p>") for top in tops)
        db.session.commit()
        ids = db.session.scalars(db.select(Comment.id).where(Comment.post_id == post.id)).all()
        db.session.execute(db.delete(CommentReaction))
        _react_to_all(CommentReaction, "comment_id", ids, [member, *fill.authors])

    comments_with_replies(10)
    # state, user, post with group, membership and reactions, comments with authors and reactions
    assert _same_for_small_and_large(client, count_queries, f"/g/club/p/{post.id}",
                                     lambda: comments_with_replies(190)) == 4
