"""Avatars and images cost no query per post: avatars come with the author row, images in one query per page."""
from __future__ import annotations

from core.extensions import db
from core.markdown import render_markdown
from core.models import Post, PostImage

KEY = "images/" + "ab" * 32 + ".jpg"


def _posts_with_pictures(group, authors, count: int) -> None:
    posts = [Post(group_id=group.id, author_id=authors[n % len(authors)].id, body_source=f"post {n}",
                  body_html=render_markdown(f"post {n}"), image_count=1 if n % 2 else 0) for n in range(count)]
    db.session.add_all(posts)
    db.session.flush()
    db.session.add_all(PostImage(post_id=post.id, file_key=KEY, alt_text=f"picture {post.id}", width=40, height=30)
                       for post in posts if post.image_count)
    db.session.commit()


def _count(client, count_queries, url: str) -> int:
    db.session.expire_all()
    with count_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200
    assert not [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    return len(statements)


def test_feed_with_avatars_and_images_costs_the_same_for_5_and_45_posts(app, make_user, make_group, login,
                                                                        count_queries):
    authors = [make_user(f"author{n}", avatar_key=f"avatars/{n:064x}.jpg") for n in range(3)]
    group = make_group(slug="club", members=authors)
    client = login(app.test_client(), authors[0])
    _posts_with_pictures(group, authors, 5)
    client.get("/g/club")
    small = _count(client, count_queries, "/g/club")
    html = client.get("/g/club").text
    assert html.count('<img class="avatar"') >= 5 and html.count('alt="picture ') == 2
    _posts_with_pictures(group, authors, 40)
    large = _count(client, count_queries, "/g/club")
    assert small == large == 5  # the feed's 4 and one for the page's images


def test_a_feed_of_text_only_posts_never_asks_for_images(app, make_user, make_group, login, count_queries):
    author = make_user("author", avatar_key="avatars/" + "c" * 64 + ".png")
    group = make_group(slug="club", members=[author])
    db.session.add_all(Post(group_id=group.id, author_id=author.id, body_source="t", body_html="<p>t</p>")
                       for _ in range(30))
    db.session.commit()
    client = login(app.test_client(), author)
    client.get("/g/club")
    assert _count(client, count_queries, "/g/club") == 4


def _posts_with_images(group, author, count: int, per_post: int) -> list[Post]:
    posts = [Post(group_id=group.id, author_id=author.id, body_source=f"post {n}", body_html=f"<p>post {n}</p>",
                  image_count=per_post) for n in range(count)]
    db.session.add_all(posts)
    db.session.flush()
    db.session.add_all(PostImage(post_id=post.id, position=n, file_key=KEY, alt_text=f"picture {post.id}.{n}",
                                 width=40, height=30) for post in posts for n in range(per_post))
    db.session.commit()
    return posts


def test_the_feed_costs_the_same_for_one_image_a_post_and_four(app, make_user, make_group, login, count_queries):
    author = make_user("author")
    group = make_group(slug="club", members=[author])
    client = login(app.test_client(), author)
    _posts_with_images(group, author, 3, 1)
    client.get("/g/club")
    few = _count(client, count_queries, "/g/club")
    _posts_with_images(group, author, 17, 4)
    html = client.get("/g/club").text
    assert html.count('class="post-images count-4"') == 17 and html.count('alt="picture ') == 3 + 17 * 4
    assert _count(client, count_queries, "/g/club") == few == 5


def test_a_posts_page_costs_the_same_with_one_image_and_four(app, make_user, make_group, login, count_queries):
    author = make_user("author")
    group = make_group(slug="club", members=[author])
    client = login(app.test_client(), author)
    one, four = _posts_with_images(group, author, 1, 1) + _posts_with_images(group, author, 1, 4)
    client.get(f"/g/club/p/{one.id}")
    counts = [_count(client, count_queries, f"/g/club/p/{post.id}") for post in (one, four)]
    assert counts == [5, 5]
    assert client.get(f"/g/club/p/{four.id}").text.count('alt="picture ') == 4
