"""Images in posts: several per post, chosen at once, each described; cleaned like avatars; changed
when the post is edited (described again, removed, added, order kept); gone with the post.

Runs on both storage backends (local disk and a real SeaweedFS S3 server).
"""
from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import select

from core.extensions import db
from core.models import PendingImage, Post, PostImage
from core.models.base import utcnow
from tests.core.image_files import GPS_IFD, jpeg_with_gps, noise_png, png, png_claiming, upload


@pytest.fixture
def app_config(storage_config):
    return storage_config


@pytest.fixture
def club(make_group, member):
    return make_group(slug="club", members=[member], visibility="public")


def colours(count: int) -> list[tuple]:
    """``count`` small PNGs of different colours, named 1.png, 2.png, ..."""
    return [upload(png(color=(40 * n, 90, 200 - 40 * n)), f"{n}.png") for n in range(1, count + 1)]


def publish(client, body="Look at this", images=(), slug="club", **fields):
    data = {"body": body, "images": list(images), **fields}
    return client.post(f"/g/{slug}/posts", data=data, content_type="multipart/form-data")


def images_in_order() -> list[PostImage]:
    db.session.expire_all()
    return list(db.session.scalars(select(PostImage).order_by(PostImage.post_id, PostImage.position)))


def pending() -> list[PendingImage]:
    db.session.expire_all()
    return list(db.session.scalars(select(PendingImage).order_by(PendingImage.id)))


def field_error(html: str, field: str) -> str:
    html = html.replace("&#39;", "'")
    return html[html.index(f'id="{field}-error"'):][:400]


def _only_image() -> PostImage:
    (image,) = images_in_order()
    return image


# --- publishing ---------------------------------------------------------------------------------------


def test_several_images_chosen_at_once_are_published_in_order(app, member_client, club, client, stored_keys):
    response = publish(member_client, images=colours(3))
    assert response.status_code == 302
    images = images_in_order()
    assert [image.position for image in images] == [0, 1, 2]
    assert stored_keys() == sorted(image.file_key for image in images)
    assert db.session.get(Post, images[0].post_id).image_count == 3
    html = client.get("/g/club").text
    assert 'class="post-images count-3"' in html
    assert [html.index(f"/files/{image.file_key}") for image in images] == \
        sorted(html.index(f"/files/{image.file_key}") for image in images)


def test_attached_images_are_described_one_by_one_then_published(app, member_client, club, client, stored_keys):
    response = publish(member_client, "Our fair", images=colours(3), attach="1")
    assert response.status_code == 200
    attached = pending()
    assert len(attached) == 3 and stored_keys() == sorted(row.file_key for row in attached)
    assert db.session.scalars(select(Post)).all() == []
    html = response.text
    assert "Our fair" in html
    for number, row in enumerate(attached, 1):
        assert f'name="attached" value="{row.id}"' in html
        assert f'<label for="field-attached_alt-{row.id}">Description of image {number}</label>' in html
    alts = {f"attached_alt-{row.id}": f"Picture {n}" for n, row in enumerate(attached, 1)}
    response = publish(member_client, "Our fair", attached=[str(row.id) for row in attached], **alts)
    assert response.status_code == 302
    images = images_in_order()
    assert [image.alt_text for image in images] == ["Picture 1", "Picture 2", "Picture 3"]
    assert [image.file_key for image in images] == [row.file_key for row in attached]
    assert pending() == [] and len(stored_keys()) == 3
    assert re.search(r'<img src="/files/images/[^"]+" alt="Picture 2" width="40" height="30"',
                     client.get("/g/club").text)


def test_an_attached_image_can_be_removed_before_publishing(app, member_client, club, stored_keys):
    publish(member_client, images=colours(2), attach="1")
    first, second = pending()
    response = publish(member_client, attached=[str(first.id), str(second.id)], detach=str(first.id))
    assert response.status_code == 302
    assert [image.file_key for image in images_in_order()] == [second.file_key]
    assert stored_keys() == [second.file_key] and pending() == []


def test_someone_elses_attached_image_is_ignored(app, member_client, club, make_user, login, add_member,
                                                stored_keys):
    other = make_user("other")
    add_member(club, other)
    publish(member_client, images=colours(1), attach="1")
    (row,) = pending()
    assert publish(login(app.test_client(), other), attached=str(row.id)).status_code == 302
    assert images_in_order() == [] and pending() == [row] and stored_keys() == [row.file_key]


def test_descriptions_typed_beside_the_chosen_files_are_published_with_them(app, member_client, club):
    response = publish(member_client, images=colours(2), new_alt=["First  picture", "Second"])
    assert response.status_code == 302
    assert [image.alt_text for image in images_in_order()] == ["First picture", "Second"]


def test_descriptions_typed_beside_the_files_stay_when_the_text_is_refused(app, member_client, club):
    response = publish(member_client, body="", images=colours(2), new_alt=["First", "Second"])
    assert response.status_code == 422
    first, second = pending()
    assert f'name="attached_alt-{first.id}" type="text" maxlength="500" value="First"' in response.text
    assert f'name="attached_alt-{second.id}" type="text" maxlength="500" value="Second"' in response.text


def test_a_preview_keeps_the_images_attached(app, member_client, club, stored_keys):
    response = publish(member_client, "**Bold** words", images=colours(2), preview="1")
    assert response.status_code == 200
    assert "<strong>Bold</strong>" in response.text
    assert len(pending()) == 2 and db.session.scalars(select(Post)).all() == []
    assert "Description of image 2" in response.text


def test_images_scale_down_to_the_configured_side(app, member_client, club):
    app.config["POST_IMAGE_SIDE"] = 400
    publish(member_client, images=[upload(png(size=(2000, 1000)), "wide.png")])
    image = _only_image()
    assert (image.width, image.height) == (400, 200)


def test_gps_is_stripped_from_a_posted_photo(app, member_client, club):
    from core.storage import get_backend

    publish(member_client, images=[upload(jpeg_with_gps(), "photo.jpeg", "image/jpeg")])
    stored = get_backend().get(_only_image().file_key)
    image = Image.open(io.BytesIO(stored))
    assert not image.getexif().get_ifd(GPS_IFD) and not image.getexif()
    assert b"SpyCam" not in stored and b"secret note" not in stored


def test_a_post_without_images_has_none(app, member_client, club, stored_keys):
    assert publish(member_client).status_code == 302
    assert stored_keys() == [] and images_in_order() == []


def test_the_composer_takes_several_files_in_one_input(app, member_client, club):
    html = member_client.get("/g/club").text
    assert re.search(r'<input id="field-images" name="images" type="file" multiple accept="image/png,image/jpeg,'
                     r'image/gif,image/webp"', html)
    assert 'enctype="multipart/form-data"' in html and "Up to 4 images" in html


# --- bad input: message at the field, text and attached images kept, nothing half-stored --------------


@pytest.mark.parametrize(("data", "filename", "mimetype", "message"), [
    (b"just some text", "notes.txt", "text/plain", "notes.txt: This file is not an image we can read"),
    (png_claiming(30000, 30000), "bomb.png", "image/png", "bomb.png: The image has too many pixels"),
    (png(), "photo.jpg", "image/jpeg", "photo.jpg: The file's name or type does not match its contents"),
    (png(), "photo.webp", None, "photo.webp: The file's name or type does not match its contents"),
], ids=["not-an-image", "image-bomb", "png-named-jpg", "png-named-webp"])
def test_a_bad_image_is_refused_at_the_field(app, member_client, club, stored_keys, data, filename, mimetype,
                                             message):
    response = publish(member_client, "My words stay", images=[upload(data, filename, mimetype)])
    assert response.status_code == 422
    assert message in field_error(response.text, "images")
    assert "My words stay" in response.text
    assert stored_keys() == [] and db.session.scalars(select(Post)).all() == [] and pending() == []


def test_good_images_beside_a_bad_one_stay_attached(app, member_client, club, stored_keys):
    response = publish(member_client, "Kept", images=[*colours(2), upload(b"nope", "notes.txt", "text/plain")])
    assert response.status_code == 422
    assert "notes.txt: This file is not an image" in field_error(response.text, "images")
    attached = pending()
    assert len(attached) == 2 and stored_keys() == sorted(row.file_key for row in attached)
    assert all(f'name="attached" value="{row.id}"' in response.text for row in attached)
    assert db.session.scalars(select(Post)).all() == []


def test_more_images_than_allowed_are_refused_and_none_is_stored(app, member_client, club, stored_keys):
    response = publish(member_client, "Too many", images=colours(5))
    assert response.status_code == 422
    assert "at most 4 images" in field_error(response.text, "images")
    assert "Too many" in response.text
    assert stored_keys() == [] and pending() == [] and db.session.scalars(select(Post)).all() == []


def test_the_limit_counts_images_attached_before(app, member_client, club, stored_keys):
    app.config["POST_IMAGES_MAX"] = 3
    publish(member_client, images=colours(2), attach="1")
    attached = pending()
    response = publish(member_client, "Words", images=colours(2), attached=[str(row.id) for row in attached])
    assert response.status_code == 422
    assert "at most 3 images" in field_error(response.text, "images")
    assert pending() == attached and stored_keys() == sorted(row.file_key for row in attached)
    assert all(f'name="attached" value="{row.id}"' in response.text for row in attached)


def test_an_image_over_the_size_limit_is_refused(app, member_client, club, stored_keys):
    app.config["POST_IMAGE_MAX_BYTES"] = 40 * 1024
    response = publish(member_client, images=[upload(noise_png(200), "noise.png")])
    assert response.status_code == 422
    assert "too large (at most 40 KB)" in field_error(response.text, "images")
    assert stored_keys() == []


def test_images_stay_attached_when_the_text_is_refused(app, member_client, club, stored_keys):
    response = publish(member_client, body="", images=colours(1))
    assert response.status_code == 422
    (row,) = pending()
    assert f'name="attached" value="{row.id}"' in response.text
    assert stored_keys() == [row.file_key] and db.session.scalars(select(Post)).all() == []


def test_a_description_that_is_too_long_is_refused_at_its_field(app, member_client, club, stored_keys):
    publish(member_client, images=colours(1), attach="1")
    (row,) = pending()
    response = publish(member_client, attached=str(row.id), **{f"attached_alt-{row.id}": "x" * 501})
    assert response.status_code == 422
    assert "under 500 characters" in field_error(response.text, f"attached_alt-{row.id}")
    assert images_in_order() == [] and pending() == [row]


def test_someone_who_may_not_post_leaves_nothing_in_storage(app, make_user, login, club, stored_keys):
    outsider = login(app.test_client(), make_user("outsider"))
    response = publish(outsider, images=colours(2))
    assert response.status_code == 403
    assert stored_keys() == [] and pending() == []


def test_a_photo_over_the_page_request_limit_is_explained_at_the_image_field(app, member_client, club, stored_keys):
    app.config.update(MAX_CONTENT_LENGTH=100_000, UPLOAD_REQUEST_MAX_BYTES=400_000, POST_IMAGE_MAX_BYTES=150 * 1024)
    response = publish(member_client, "Words kept", images=[upload(noise_png(260), "big.png")])
    assert response.status_code == 422
    assert "too large (at most 150 KB)" in response.text and "Words kept" in response.text
    assert stored_keys() == []


# --- editing ------------------------------------------------------------------------------------------


def edit(client, post_id, body="Look at this", images=(), **fields):
    return client.post(f"/g/club/p/{post_id}/edit", data={"body": body, "images": list(images), **fields},
                       content_type="multipart/form-data")


@pytest.fixture
def three(member_client, club):
    """A post with three described images."""
    publish(member_client, images=colours(3), attach="1")
    rows = pending()
    publish(member_client, attached=[str(row.id) for row in rows],
            **{f"attached_alt-{row.id}": f"Picture {n}" for n, row in enumerate(rows, 1)})
    return images_in_order()


def test_the_edit_form_shows_each_image_with_its_description(app, member_client, three):
    html = member_client.get(f"/g/club/p/{three[0].post_id}/edit").text
    assert 'enctype="multipart/form-data"' in html
    for number, image in enumerate(three, 1):
        assert f'name="alt-{image.id}" type="text" maxlength="500" value="Picture {number}"' in html
        assert f'<label for="remove-{image.id}">Remove image {number}</label>' in html


def test_editing_changes_descriptions_removes_one_and_adds_one_in_order(app, member_client, three, stored_keys,
                                                                        client):
    first, second, third = three
    response = edit(member_client, first.post_id, images=colours(1), remove=str(second.id),
                    **{f"alt-{first.id}": "The first, described better"})
    assert response.status_code == 302
    images = images_in_order()
    assert [image.id for image in images[:2]] == [first.id, third.id]
    assert [image.position for image in images] == [0, 1, 2]
    assert [image.alt_text for image in images] == ["The first, described better", "Picture 3", ""]
    assert second.file_key not in stored_keys() and len(stored_keys()) == 3
    post = db.session.get(Post, first.post_id)
    assert post.image_count == 3 and post.edited_at is not None
    html = client.get(f"/g/club/p/{post.id}").text
    assert 'alt="The first, described better"' in html and "Picture 2" not in html


def test_images_added_on_edit_can_be_described_first(app, member_client, three, stored_keys):
    post_id = three[0].post_id
    response = edit(member_client, post_id, images=colours(1), attach="1", remove=str(three[2].id))
    assert response.status_code == 200
    (row,) = pending()
    assert f'id="remove-{three[2].id}" name="remove" value="{three[2].id}" type="checkbox" checked' in response.text
    assert "Description of image 4" in response.text
    response = edit(member_client, post_id, attached=str(row.id), remove=str(three[2].id),
                    **{f"attached_alt-{row.id}": "A new one"})
    assert response.status_code == 302
    assert [image.alt_text for image in images_in_order()] == ["Picture 1", "Picture 2", "A new one"]
    assert pending() == [] and three[2].file_key not in stored_keys()


def test_an_edit_over_the_limit_changes_nothing(app, member_client, three, stored_keys):
    before = stored_keys()
    response = edit(member_client, three[0].post_id, body="Changed", images=colours(2))
    assert response.status_code == 422
    assert "at most 4 images" in field_error(response.text, "images")
    assert "Changed" in response.text
    assert [image.id for image in images_in_order()] == [image.id for image in three]
    assert stored_keys() == before and db.session.get(Post, three[0].post_id).body_source == "Look at this"


def test_a_bad_file_on_edit_changes_nothing(app, member_client, three, stored_keys):
    before = stored_keys()
    response = edit(member_client, three[0].post_id, images=[upload(b"nope", "a.png", "image/png")],
                    remove=str(three[0].id))
    assert response.status_code == 422
    assert "a.png: This file is not an image" in field_error(response.text, "images")
    assert len(images_in_order()) == 3 and stored_keys() == before


def test_only_the_author_edits_images(app, three, make_user, login, add_member, club, stored_keys):
    other = make_user("other")
    add_member(club, other)
    response = edit(login(app.test_client(), other), three[0].post_id, remove=str(three[0].id))
    assert response.status_code == 404
    assert len(images_in_order()) == 3 and len(stored_keys()) == 3


# --- removed with the post, the account; abandoned ones cleaned up ------------------------------------


def test_deleting_the_post_deletes_its_image_files(app, member_client, club, stored_keys, client, three):
    url = f"/files/{three[0].file_key}"
    assert client.get(url).status_code == 200
    member_client.post(f"/g/club/p/{three[0].post_id}/delete")
    assert stored_keys() == [] and images_in_order() == []
    assert client.get(url).status_code == 404


def test_erasing_the_account_deletes_its_images_published_or_not(app, member_client, member, club, stored_keys,
                                                                 erase_account):
    publish(member_client, images=colours(1))
    publish(member_client, images=colours(1), attach="1")
    erase_account(member)
    assert stored_keys() == [] and pending() == []


def test_images_attached_but_never_published_are_cleaned_up_after_a_day(app, member_client, club, stored_keys):
    from core.groups.post_images import clean_up

    publish(member_client, images=colours(2), attach="1")
    old, fresh = pending()
    old.created_at = utcnow() - timedelta(hours=25)
    db.session.commit()
    assert clean_up() == 1
    assert pending() == [fresh] and stored_keys() == [fresh.file_key]
    assert clean_up() == 0


def test_the_export_lists_the_images_of_ones_posts(app, member_client, member, club, export_data):
    publish(member_client, images=colours(1), attach="1")
    (row,) = pending()
    publish(member_client, attached=str(row.id), **{f"attached_alt-{row.id}": "Square"})
    image = _only_image()
    assert export_data(member)["post_images"] == [
        {"post_id": image.post_id, "file": image.file_key, "alt_text": "Square", "width": 40, "height": 30}]


def test_images_are_a_content_type_other_features_can_act_on(app, member_client, club, three):
    from core.plugin_api import content_types

    image = three[1]
    with app.test_request_context():
        kind = next(k for k in content_types() if k.name == "post_image")
        assert kind.load(image.id) is image and kind.author_id(image) == image.post.author_id
        assert kind.url(image).endswith(f"/p/{image.post_id}#image-{image.id}")
        assert 'alt="Picture 2"' in str(kind.snapshot_html(image))


def test_the_api_lists_posts_with_their_images_and_authors_avatars(app, member_client, member, club, client,
                                                                   count_queries):
    publish(member_client, images=colours(2))
    publish(member_client, body="Just words")
    member.avatar_key = "avatars/" + "e" * 64 + ".jpg"
    db.session.commit()
    client.get("/api/v1/groups/club/posts")
    with count_queries() as statements:
        items = client.get("/api/v1/groups/club/posts").json["items"]
    with_images, without = sorted(items, key=lambda item: -len(item["images"]))
    first, second = with_images["images"]
    assert (first["width"], first["height"]) == (40, 30)
    assert first["url"].startswith("http://localhost/files/images/") and first["url"] != second["url"]
    assert without["images"] == []
    assert with_images["author"]["avatar_url"] == f"http://localhost/files/{member.avatar_key}"
    publish(member_client, images=colours(4))
    publish(member_client, images=colours(1))
    db.session.expire_all()
    with count_queries() as more:
        assert len(client.get("/api/v1/groups/club/posts").json["items"]) == 4
    assert len(more) == len(statements), "images come in one query, whatever their number"


def test_a_phone_sized_jpeg_is_decoded_small_and_kept_at_the_configured_side(app, member_client, club):
    big = Image.new("RGB", (4032, 3024), (120, 60, 30))
    out = io.BytesIO()
    big.save(out, format="JPEG", quality=90)
    assert publish(member_client, images=[upload(out.getvalue(), "IMG_0001.JPG", "image/jpeg")]).status_code == 302
    image = _only_image()
    assert (image.width, image.height) == (1600, 1200)


def test_a_cached_card_shows_the_changed_images_at_once(app, member_client, club, client, three):
    first, second, _third = three
    assert 'alt="Picture 1"' in client.get("/g/club").text  # the card is cached now
    edit(member_client, first.post_id, remove=str(second.id), **{f"alt-{first.id}": "Renamed"})
    html = client.get("/g/club").text
    assert 'alt="Renamed"' in html and 'alt="Picture 1"' not in html and "Picture 2" not in html
    assert 'class="post-images count-2"' in html


class TestRateLimited:
    @pytest.fixture
    def app_config(self, storage_config):
        return {**storage_config, "RATELIMIT_POST": "1 per minute"}

    def test_a_rate_limited_post_keeps_its_text_and_attached_images(self, member_client, club):
        publish(member_client, images=colours(2), attach="1")
        rows = pending()
        response = publish(member_client, "My words", attached=[str(row.id) for row in rows],
                           **{f"attached_alt-{rows[0].id}": "Described"})
        assert response.status_code == 429
        assert "My words" in response.text and 'value="Described"' in response.text
        assert all(f'name="attached" value="{row.id}"' in response.text for row in rows)
        assert pending() == rows and images_in_order() == []
