"""Responsive images: avatars and post images offer smaller renditions through ``srcset``, on both backends.

A post image wider than 640 px is stored with a copy 640 px wide, an avatar with copies of 64 and
128 px; pages list them in ``srcset`` so a phone or a small avatar downloads only what it shows.
A rendition that is not stored (a file from before renditions) is made on first request and kept.
"""
from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from sqlalchemy import select

from core.extensions import db
from core.models import PostImage
from core.storage.renditions import rendition_key, rendition_keys
from tests.core.image_files import png, upload


@pytest.fixture
def app_config(storage_config):
    return storage_config


@pytest.fixture
def club(make_group, member):
    return make_group(slug="club", members=[member], visibility="public")


def publish(client, size: tuple[int, int]):
    return client.post("/g/club/posts", data={"body": "Look", "images": [upload(png(size=size), "stall.png")]},
                       content_type="multipart/form-data")


def _image() -> PostImage:
    return db.session.scalars(select(PostImage)).one()


def _size(client, url: str) -> tuple[int, int]:
    response = client.get(url)
    assert response.status_code == 200, url
    return Image.open(io.BytesIO(response.data)).size


def test_a_wide_post_image_offers_its_640_pixel_copy_in_srcset(app, member_client, club, client):
    publish(member_client, (1200, 900))
    image = _image()
    html = client.get("/g/club").text
    small, large = f"/files/{rendition_key(image.file_key, 640)}", f"/files/{image.file_key}"
    assert f'srcset="{small} 640w, {large} 1200w"' in html
    assert re.search(r'srcset="[^"]+" sizes="\(min-width: 50rem\) 41rem, calc\(100vw - 4.5rem\)"', html)
    assert _size(client, small) == (640, 480)
    assert _size(client, large) == (1200, 900)


def test_a_narrow_post_image_has_no_srcset_and_no_copy(app, member_client, club, client, stored_keys):
    publish(member_client, (500, 300))
    image = _image()
    assert stored_keys() == [image.file_key]
    figure = re.search(r'<figure id="image-\d+">.*?</figure>', client.get("/g/club").text, re.S).group(0)
    assert f"/files/{image.file_key}" in figure and "srcset" not in figure


def test_an_avatar_offers_64_and_128_pixel_copies(app, member_client, member, client):
    member_client.post("/settings/avatar", data={"avatar": upload(png(size=(600, 600)), "me.png")},
                       content_type="multipart/form-data")
    db.session.refresh(member)
    key = member.avatar_key
    html = client.get(f"/u/{member.username}").text
    small, medium = rendition_key(key, 64), rendition_key(key, 128)
    assert f'srcset="/files/{small} 64w, /files/{medium} 128w, /files/{key} 256w" sizes="96px" width="96"' in html
    assert _size(client, f"/files/{small}") == (64, 64)
    assert _size(client, f"/files/{medium}") == (128, 128)


def test_removing_an_avatar_removes_its_copies(app, member_client, member, stored_keys):
    member_client.post("/settings/avatar", data={"avatar": upload(png(size=(300, 300)), "me.png")},
                       content_type="multipart/form-data")
    assert len(stored_keys()) == 3
    member_client.post("/settings/avatar/remove")
    assert stored_keys() == []


def test_deleting_a_post_removes_its_image_copies(app, member_client, club, stored_keys):
    publish(member_client, (1000, 500))
    image = _image()
    assert len(stored_keys()) == 2
    member_client.post(f"/g/club/p/{image.post_id}/delete")
    assert stored_keys() == []


def test_a_missing_copy_is_made_from_its_original_on_first_request_and_kept(app, client, stored_keys):
    """Files stored before renditions existed: the copy a page names is made once, then served from storage."""
    from core.storage import get_backend, with_renditions
    from core.storage.images import reencode_image

    stored = reencode_image(png(size=(900, 600)), max_bytes=10**7, max_pixels=10**8, max_side=1600)
    get_backend().put(stored.key, stored.data, stored.content_type)  # the original only, as before
    assert with_renditions(stored).renditions  # (a new upload would have had one)
    small = rendition_key(stored.key, 640)
    assert stored_keys() == [stored.key]
    assert _size(client, f"/files/{small}") == (640, 427)
    assert stored_keys() == sorted([stored.key, small])


def test_a_copy_of_a_missing_original_is_not_found_and_nothing_is_stored(app, client, stored_keys):
    key = "images/" + "a" * 64 + ".jpg"
    assert client.get(f"/files/{rendition_key(key, 640)}").status_code == 404
    assert stored_keys() == []


def test_only_the_folders_own_widths_are_made(app, client, stored_keys):
    """Any other width is an unknown file: nobody can make the server resize to sizes of their choosing."""
    from core.storage import get_backend
    from core.storage.images import reencode_image

    stored = reencode_image(png(size=(900, 600)), max_bytes=10**7, max_pixels=10**8, max_side=1600)
    get_backend().put(stored.key, stored.data, stored.content_type)
    for width in (300, 64, 9999):  # 64 is an avatar width, not a post image's
        assert client.get(f"/files/{rendition_key(stored.key, width)}").status_code == 404
    assert stored_keys() == [stored.key]
    assert rendition_keys(stored.key) == [rendition_key(stored.key, 640)]


def test_tiles_of_a_post_with_two_images_are_offered_at_half_width(app, member_client, club, client):
    member_client.post("/g/club/posts", data={"body": "Two", "images": [upload(png(size=(1200, 900)), "a.png"),
                                                                         upload(png(size=(1200, 900)), "b.png")]},
                       content_type="multipart/form-data")
    html = client.get("/g/club").text
    assert html.count('sizes="(min-width: 50rem) 20rem, calc(50vw - 2.5rem)"') == 2
