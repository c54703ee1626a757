"""Remote images in posts are not tracking pixels: they become links unless a site admin allows the host.

Markdown is rendered when it is written, so the rule is applied then; the Content-Security-Policy
names the same hosts, so a browser loads no other image even from HTML stored earlier, and
``flask content rerender`` rewrites stored posts and comments after the setting changes.
"""
from __future__ import annotations

import re

import pytest

from core import create_app
from core.extensions import db
from core.image_hosts import ImageHostsError, embeddable, parse
from core.markdown import render_markdown
from core.models import Comment, Post

TRACKER = "![x](https://evil.example/p.png)"


def img_sources(html: str) -> list[str]:
    return re.findall(r'<img[^>]*\bsrc="([^"]*)"', html)


def img_src_directive(response) -> str:
    csp = response.headers["Content-Security-Policy"]
    return next(d.strip() for d in csp.split(";") if d.strip().startswith("img-src"))


@pytest.fixture
def group(make_group, member):
    return make_group(members=(member,))


def test_a_remote_image_in_a_new_post_is_shown_as_a_link(member_client, group):
    response = member_client.post(f"/g/{group.slug}/posts", data={"body": f"Look {TRACKER}"})
    assert response.status_code == 302
    page = member_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "evil.example" not in " ".join(img_sources(page))
    assert re.search(r'<a href="https://evil.example/p.png" class="remote-image"[^>]*>x</a>', page)


def test_a_remote_image_in_a_comment_is_shown_as_a_link(member_client, group, member, make_post):
    post = make_post(group, member)
    member_client.post(f"/g/{group.slug}/p/{post.id}/comments", data={"body": TRACKER})
    comment = db.session.scalar(db.select(Comment).where(Comment.post_id == post.id))
    assert img_sources(comment.body_html) == []
    assert 'href="https://evil.example/p.png"' in comment.body_html


@pytest.mark.parametrize("source", [
    TRACKER,
    "![](https://evil.example/p.png)",
    "![x](//evil.example/p.png)",
    "![x](http://evil.example/p.png)",
    "![x][pixel]\n\n[pixel]: https://evil.example/p.png",
    "[![x](https://evil.example/p.png)](https://example.org)",
])
def test_no_form_of_remote_image_is_embedded(source):
    html = render_markdown(source, allowed_image_hosts=())
    assert img_sources(html) == [] and "<a <a" not in html
    assert "evil.example" in html or "example.org" in html  # shown as a link, not lost


def test_an_image_without_alt_text_is_named_by_its_address():
    html = render_markdown("![](https://evil.example/p.png)", allowed_image_hosts=())
    assert ">evil.example/p.png</a>" in html


def test_images_from_this_site_still_show():
    assert img_sources(render_markdown("![logo](/static/logo.png)", allowed_image_hosts=())) == ["/static/logo.png"]


@pytest.mark.parametrize(("src", "hosts", "shown"), [
    ("https://images.example.org/a.png", ["images.example.org"], True),
    ("https://IMAGES.example.org/a.png", ["images.example.org"], True),
    ("https://cdn.example.org/a.png", ["*.example.org"], True),
    ("https://example.org/a.png", ["*.example.org"], False),
    ("https://images.example.org.evil.example/a.png", ["images.example.org"], False),
    ("https://evilexample.org/a.png", ["*.example.org"], False),
    ("http://images.example.org/a.png", ["images.example.org"], False),
    ("https://images.example.org:8443/a.png", ["images.example.org"], False),
    ("/uploads/a.png", [], True),
    ("//images.example.org/a.png", ["images.example.org"], False),
])
def test_only_https_images_from_allowed_hosts_are_embedded(src, hosts, shown):
    assert embeddable(src, hosts) is shown


class TestAnAllowedHost:
    @pytest.fixture
    def app_config(self):
        return {"IMAGE_HOSTS_ALLOWED": ["images.example.org"]}

    def test_its_images_show_in_posts(self, member_client, group):
        response = member_client.post(f"/g/{group.slug}/posts",
                                      data={"body": f"![cat](https://images.example.org/cat.png) {TRACKER}"})
        page = member_client.get(response.headers["Location"]).get_data(as_text=True)
        assert img_sources(page) == ["https://images.example.org/cat.png"]

    def test_the_csp_allows_it_and_nothing_else(self, client):
        assert img_src_directive(client.get("/")) == "img-src 'self' data: https://images.example.org"


def test_the_csp_allows_images_only_from_this_site_by_default(client, member_client):
    for who in (client, member_client):
        assert img_src_directive(who.get("/")) == "img-src 'self' data:"


@pytest.mark.parametrize("bad", ["https://images.example.org", "images.example.org/path", "*.org x",
                                 "images.example.org; script-src *", "images.example.org:443", "*"])
def test_a_setting_that_is_not_a_host_stops_the_app_from_starting(bad):
    with pytest.raises(ImageHostsError, match="IMAGE_HOSTS_ALLOWED"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x", "IMAGE_HOSTS_ALLOWED": [bad]},
                   plugins=[])


def test_the_setting_also_takes_a_comma_separated_list():
    assert parse(" images.example.org, *.CDN.example.net ,") == ("images.example.org", "*.cdn.example.net")


def test_rerender_turns_stored_remote_images_into_links_and_back(app, group, member, make_post):
    old_html = '<p><img src="https://evil.example/p.png" alt="x"></p>'
    post = make_post(group, member, TRACKER)
    db.session.execute(db.update(Post).where(Post.id == post.id).values(body_html=old_html))
    untouched = make_post(group, member, "Just *text*")
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["content", "rerender", "--batch", "1"])
    assert result.exit_code == 0, result.output
    assert "posts: 1 of 2 changed" in result.output
    db.session.expire_all()
    stored = db.session.get(Post, post.id)
    assert img_sources(stored.body_html) == [] and 'href="https://evil.example/p.png"' in stored.body_html
    assert stored.edited_at is None and db.session.get(Post, untouched.id).body_html == "<p>Just <em>text</em></p>\n"

    app.config["IMAGE_HOSTS_ALLOWED"] = ["evil.example"]
    app.test_cli_runner().invoke(args=["content", "rerender"])
    db.session.expire_all()
    assert img_sources(db.session.get(Post, post.id).body_html) == ["https://evil.example/p.png"]
