"""Images in posts: uploaded with the post, cleaned like avatars, shown responsive, gone with the post.

Runs on both storage backends (local disk and a real SeaweedFS S3 server).
"""
from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from sqlalchemy import select

from core.extensions import db
from core.models import Post, PostImage
from core.storage.renditions import rendition_key
from tests.core.image_files import GPS_IFD, jpeg_with_gps, noise_png, png, png_claiming, upload


@pytest.fixture
def app_config(storage_config):
    return storage_config


@pytest.fixture
def club(make_group, member):
    return make_group(slug="club", members=[member], visibility="public")


def publish(client, body="Look at this", image=None, alt="", slug="club"):
    data = {"body": body, "image_alt": alt}
    if image is not None:
        data["image"] = image
    return client.post(f"/g/{slug}/posts", data=data, content_type="multipart/form-data")


def _only_image() -> PostImage:
    (image,) = db.session.scalars(select(PostImage)).all()
    return image


def test_a_post_is_published_with_its_image_and_alt_text(app, member_client, club, client, stored_keys):
    response = publish(member_client, image=upload(png(size=(800, 600)), "stall.png"), alt="Our stall at the fair")
    assert response.status_code == 302
    image = _only_image()
    assert stored_keys() == [rendition_key(image.file_key, 640), image.file_key]  # and a copy 640 px wide
    assert (image.width, image.height, image.alt_text) == (800, 600, "Our stall at the fair")
    assert db.session.get(Post, image.post_id).image_count == 1
    html = client.get("/g/club").text
    assert re.search(rf'<img src="/files/{image.file_key}" alt="Our stall at the fair" width="800" height="600"', html)


def test_the_image_is_shown_on_the_posts_own_page(app, member_client, club, client):
    publish(member_client, image=upload(png(), "a.png"), alt="A red square")
    image = _only_image()
    html = client.get(f"/g/club/p/{image.post_id}").text
    assert f'/files/{image.file_key}' in html and 'alt="A red square"' in html


def test_images_scale_down_to_the_configured_side(app, member_client, club):
    app.config["POST_IMAGE_SIDE"] = 400
    publish(member_client, image=upload(png(size=(2000, 1000)), "wide.png"))
    image = _only_image()
    assert (image.width, image.height) == (400, 200)


def test_gps_is_stripped_from_a_posted_photo(app, member_client, club):
    from core.storage import get_backend

    publish(member_client, image=upload(jpeg_with_gps(), "photo.jpeg", "image/jpeg"))
    stored = get_backend().get(_only_image().file_key)
    image = Image.open(io.BytesIO(stored))
    assert not image.getexif().get_ifd(GPS_IFD) and not image.getexif()
    assert b"SpyCam" not in stored and b"secret note" not in stored


def test_a_post_without_an_image_has_none(app, member_client, club, stored_keys):
    assert publish(member_client).status_code == 302
    assert stored_keys() == [] and db.session.scalars(select(PostImage)).all() == []


# --- bad input: message at the field, text kept, nothing stored -----------------------------------


@pytest.mark.parametrize(("data", "filename", "mimetype", "message"), [
    (b"just some text", "notes.txt", "text/plain", "not an image we can read"),
    (png_claiming(30000, 30000), "bomb.png", "image/png", "too many pixels"),
    (png(), "photo.jpg", "image/jpeg", "does not match its contents"),
    (png(), "photo.webp", None, "does not match its contents"),
], ids=["not-an-image", "image-bomb", "png-named-jpg", "png-named-webp"])
def test_a_bad_image_is_refused_at_the_field(app, member_client, club, stored_keys, data, filename, mimetype,
                                             message):
    response = publish(member_client, "My words stay", image=upload(data, filename, mimetype), alt="kept too")
    assert response.status_code == 422
    html = response.text.replace("&#39;", "'")
    assert message in html[html.index('id="image-error"'):][:400]
    assert "My words stay" in html and 'value="kept too"' in html
    assert stored_keys() == [] and db.session.scalars(select(Post)).all() == []


def test_an_image_over_the_size_limit_is_refused(app, member_client, club, stored_keys):
    app.config["POST_IMAGE_MAX_BYTES"] = 40 * 1024
    response = publish(member_client, image=upload(noise_png(200), "noise.png"))
    assert response.status_code == 422
    assert "too large (at most 40 KB)" in response.text
    assert stored_keys() == []


def test_a_good_image_is_not_stored_when_the_text_is_refused(app, member_client, club, stored_keys):
    response = publish(member_client, body="", image=upload(png(), "fine.png"))
    assert response.status_code == 422
    assert "Choose the image again" in response.text
    assert stored_keys() == [] and db.session.scalars(select(Post)).all() == []


def test_a_description_that_is_too_long_is_refused(app, member_client, club, stored_keys):
    response = publish(member_client, image=upload(png(), "fine.png"), alt="x" * 501)
    assert response.status_code == 422
    assert "under 500 characters" in response.text
    assert stored_keys() == []


def test_someone_who_may_not_post_leaves_nothing_in_storage(app, make_user, login, club, stored_keys):
    outsider = login(app.test_client(), make_user("outsider"))
    response = publish(outsider, image=upload(png(), "fine.png"))
    assert response.status_code == 403
    assert stored_keys() == []


# --- removed with the post --------------------------------------------------------------------------


def test_deleting_the_post_deletes_its_image_file(app, member_client, club, stored_keys, client):
    publish(member_client, image=upload(png(), "a.png"))
    image = _only_image()
    url = f"/files/{image.file_key}"
    assert client.get(url).status_code == 200
    member_client.post(f"/g/club/p/{image.post_id}/delete")
    assert stored_keys() == []
    assert db.session.scalars(select(PostImage)).all() == []
    assert client.get(url).status_code == 404


def test_erasing_the_account_deletes_the_images_of_its_posts(app, member_client, member, club, stored_keys,
                                                            erase_account):
    publish(member_client, image=upload(png(), "a.png"))
    erase_account(member)
    assert stored_keys() == []


def test_the_export_lists_the_images_of_ones_posts(app, member_client, member, club, export_data):
    publish(member_client, image=upload(png(), "a.png"), alt="Square")
    image = _only_image()
    assert export_data(member)["post_images"] == [
        {"post_id": image.post_id, "file": image.file_key, "alt_text": "Square", "width": 40, "height": 30}]


def test_images_are_a_content_type_other_features_can_act_on(app, member_client, club):
    from core.plugin_api import content_types

    publish(member_client, image=upload(png(), "a.png"), alt="Square")
    image = _only_image()
    with app.test_request_context():
        kind = next(k for k in content_types() if k.name == "post_image")
        assert kind.load(image.id) is image and kind.author_id(image) == image.post.author_id
        assert kind.url(image).endswith(f"/p/{image.post_id}#image-{image.id}")
        assert 'alt="Square"' in str(kind.snapshot_html(image))


def test_the_api_lists_posts_with_their_images_and_authors_avatars(app, member_client, member, club, client,
                                                                   count_queries):
    publish(member_client, image=upload(png(), "a.png"), alt="Square")
    publish(member_client, body="Just words")
    member.avatar_key = "avatars/" + "e" * 64 + ".jpg"
    db.session.commit()
    client.get("/api/v1/groups/club/posts")
    with count_queries() as statements:
        items = client.get("/api/v1/groups/club/posts").json["items"]
    with_image, without = sorted(items, key=lambda item: -len(item["images"]))
    (image,) = with_image["images"]
    assert image["alt_text"] == "Square" and (image["width"], image["height"]) == (40, 30)
    assert image["url"].startswith("http://localhost/files/images/")
    assert without["images"] == []
    assert with_image["author"]["avatar_url"] == f"http://localhost/files/{member.avatar_key}"
    publish(member_client, image=upload(png(), "b.png"))
    publish(member_client, image=upload(png(), "c.png"))
    db.session.expire_all()
    with count_queries() as more:
        assert len(client.get("/api/v1/groups/club/posts").json["items"]) == 4
    assert len(more) == len(statements), "images come in one query, whatever their number"


def test_a_photo_over_the_page_request_limit_is_explained_at_the_image_field(app, member_client, club, stored_keys):
    app.config.update(MAX_CONTENT_LENGTH=100_000, UPLOAD_REQUEST_MAX_BYTES=400_000, POST_IMAGE_MAX_BYTES=150 * 1024)
    response = publish(member_client, "Words kept", image=upload(noise_png(260), "big.png"))
    assert response.status_code == 422
    assert "too large (at most 150 KB)" in response.text and "Words kept" in response.text
    assert stored_keys() == []


def test_a_phone_sized_jpeg_is_decoded_small_and_kept_at_the_configured_side(app, member_client, club):
    import time

    big = Image.new("RGB", (4032, 3024), (120, 60, 30))
    out = io.BytesIO()
    big.save(out, format="JPEG", quality=90)
    started = time.perf_counter()
    assert publish(member_client, image=upload(out.getvalue(), "IMG_0001.JPG", "image/jpeg")).status_code == 302
    image = _only_image()
    assert (image.width, image.height) == (1600, 1200)
    assert time.perf_counter() - started < 5
