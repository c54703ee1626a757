"""Avatars: upload on Settings → Profile (or initials), shown beside every name, gone with the account.

Uploads run against both storage backends (local disk and a real SeaweedFS S3 server).
"""
from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from core.extensions import db
from core.storage.renditions import rendition_keys
from tests.core.image_files import GPS_IFD, jpeg_with_gps, noise_png, png, png_claiming, upload


@pytest.fixture
def app_config(storage_config):
    return storage_config


def _set_avatar(client, data: bytes, filename: str = "me.png", mimetype: str | None = None):
    return client.post("/settings/avatar", data={"avatar": upload(data, filename, mimetype)},
                       content_type="multipart/form-data")


def _avatar_src(html: str) -> str:
    match = re.search(r'<img class="avatar" src="([^"]+)"', html)
    assert match, "no avatar image on the page"
    return match.group(1)


# --- upload ---------------------------------------------------------------------------------------


def test_an_uploaded_avatar_is_stored_square_and_small(app, member_client, member, stored_keys):
    response = _set_avatar(member_client, png(size=(900, 500)))
    assert response.status_code == 302
    db.session.refresh(member)
    assert member.avatar_key.startswith("avatars/")
    assert stored_keys() == sorted([member.avatar_key, *rendition_keys(member.avatar_key)])  # 64 and 128 px too
    served = member_client.get(_avatar_src(member_client.get("/settings/profile").text))
    assert Image.open(io.BytesIO(served.data)).size == (256, 256)


def test_gps_and_every_other_metadata_is_stripped_from_the_stored_bytes(app, member_client, member):
    from core.storage import get_backend

    _set_avatar(member_client, jpeg_with_gps(), "holiday.jpg", "image/jpeg")
    db.session.refresh(member)
    stored = get_backend().get(member.avatar_key)
    image = Image.open(io.BytesIO(stored))
    assert not image.getexif() and not image.getexif().get_ifd(GPS_IFD)
    assert "exif" not in image.info and "comment" not in image.info and "icc_profile" not in image.info
    for marker in (b"Exif", b"SpyCam", b"Model X", b"secret note"):
        assert marker not in stored


def test_a_new_avatar_replaces_and_deletes_the_old_file(app, member_client, member, stored_keys):
    _set_avatar(member_client, png(color=(1, 2, 3)))
    db.session.refresh(member)
    first = member.avatar_key
    _set_avatar(member_client, png(color=(90, 2, 3)))
    db.session.refresh(member)
    assert member.avatar_key != first
    assert stored_keys() == [member.avatar_key]


def test_removing_the_avatar_deletes_the_file_and_shows_initials(app, member_client, member, stored_keys):
    _set_avatar(member_client, png())
    response = member_client.post("/settings/avatar/remove", follow_redirects=True)
    db.session.refresh(member)
    assert member.avatar_key is None
    assert stored_keys() == []
    assert "Your initials are shown instead" in response.text
    assert '<svg class="avatar"' in response.text


def test_avatar_files_are_served_with_long_lived_caching(app, member_client, member, client):
    _set_avatar(member_client, png())
    response = client.get(_avatar_src(member_client.get("/settings/profile").text))
    assert response.status_code == 200
    assert "immutable" in response.headers["Cache-Control"] and "max-age=31536000" in response.headers["Cache-Control"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_changing_the_avatar_needs_a_login(client):
    assert client.post("/settings/avatar").status_code in (302, 401)
    assert client.post("/settings/avatar/remove").status_code in (302, 401)


# --- bad input: a message at the field, nothing stored --------------------------------------------


@pytest.mark.parametrize(("data", "filename", "mimetype", "message"), [
    (b"%PDF-1.4 not a picture", "cv.pdf", "application/pdf", "not an image we can read"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "me.svg", "image/svg+xml", "not an image we can read"),
    (png_claiming(20000, 20000), "bomb.png", "image/png", "too many pixels"),
    (png(), "me.jpg", "image/jpeg", "does not match its contents"),
    (png(), "me.png", "image/gif", "does not match its contents"),
    (png(), "me.html", None, "does not match its contents"),
], ids=["not-an-image", "svg", "image-bomb", "png-named-jpg", "png-sent-as-gif", "png-named-html"])
def test_a_bad_upload_is_refused_at_the_field_and_nothing_is_stored(app, member_client, member, stored_keys,
                                                                   data, filename, mimetype, message):
    response = _set_avatar(member_client, data, filename, mimetype)
    assert response.status_code == 422
    field = response.text[response.text.index('id="field-avatar"'):]
    assert 'aria-invalid="true"' in field[:400]
    assert message in field[field.index('id="avatar-error"'):][:400].replace("&#39;", "'")
    db.session.refresh(member)
    assert member.avatar_key is None
    assert stored_keys() == []


def test_an_avatar_over_the_size_limit_is_refused(app, member_client, member, stored_keys):
    app.config["AVATAR_MAX_BYTES"] = 48 * 1024
    response = _set_avatar(member_client, noise_png(200))
    assert response.status_code == 422
    assert "too large (at most 48 KB)" in response.text
    assert stored_keys() == []


def test_submitting_without_a_file_asks_for_one(app, member_client, stored_keys):
    response = member_client.post("/settings/avatar", data={}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Choose an image file." in response.text


# --- shown beside every name ----------------------------------------------------------------------


def test_a_post_card_shows_the_authors_picture(app, member_client, member, make_group, make_post, client):
    _set_avatar(member_client, png())
    db.session.refresh(member)
    group = make_group(slug="club", members=[member], visibility="public")
    make_post(group, member, "Hello")
    html = client.get("/g/club").text
    assert f'/files/{member.avatar_key}' in html


def test_people_without_a_picture_get_their_initials(app, client, make_user, make_group, make_post):
    author = make_user("ada", display_name="Ada Lovelace")
    group = make_group(slug="club", members=[author], visibility="public")
    make_post(group, author, "Hello")
    html = client.get("/g/club").text
    assert re.search(r'<svg class="avatar"[^>]*>.*?>AL</text></svg><span class="author-name">Ada Lovelace', html)


def test_the_header_and_profile_show_the_members_avatar(app, member_client, member):
    _set_avatar(member_client, png())
    db.session.refresh(member)
    html = member_client.get(f"/u/{member.username}").text
    assert html.count(f'src="/files/{member.avatar_key}"') == 3  # the header's menu button, its first link, the profile
    assert 'width="96"' in html


def test_the_members_list_shows_avatars(app, make_user, make_group, login):
    owner = make_user("owner", display_name="Olga Owner")
    make_group(owner=owner, slug="club", members=[make_user("bea", display_name="Bea")])
    html = login(app.test_client(), owner).get("/g/club/members").text
    assert ">OO</text>" in html and ">B</text>" in html


# --- erased accounts and export -------------------------------------------------------------------


def test_an_erased_account_loses_its_avatar_file(app, member_client, member, stored_keys, erase_account):
    _set_avatar(member_client, png())
    assert len(stored_keys()) == 1
    db.session.refresh(member)
    erase_account(member)
    assert stored_keys() == []


def test_the_export_names_the_avatar_file(app, member_client, member, export_data):
    _set_avatar(member_client, png())
    db.session.refresh(member)
    assert export_data(member)["account"]["avatar_file"] == member.avatar_key


def test_search_results_show_the_authors_avatar(app, client, make_user, make_group, make_post):
    author = make_user("ada", display_name="Ada Lovelace", avatar_key="avatars/" + "d" * 64 + ".jpg")
    group = make_group(slug="club", members=[author], visibility="public")
    make_post(group, author, "Tomatoes everywhere")
    html = client.get("/search?q=tomatoes").text
    assert "Tomatoes" in html
    assert re.search(f'src="/files/{author.avatar_key}" srcset="[^"]+" sizes="20px" width="20"', html)


def test_a_photo_larger_than_the_request_limit_for_pages_gets_the_message_at_the_field(app, member_client,
                                                                                      stored_keys):
    """Forms with a file accept more than MAX_CONTENT_LENGTH, so a too-large photo is explained at its field."""
    app.config.update(MAX_CONTENT_LENGTH=100_000, UPLOAD_REQUEST_MAX_BYTES=400_000, AVATAR_MAX_BYTES=150 * 1024)
    response = _set_avatar(member_client, noise_png(260))  # about 200 kB
    assert response.status_code == 422
    assert "too large (at most 150 KB)" in response.text
    assert stored_keys() == []


def test_other_pages_keep_the_smaller_request_limit(app, member_client):
    app.config.update(MAX_CONTENT_LENGTH=100_000, UPLOAD_REQUEST_MAX_BYTES=400_000)
    response = member_client.post("/settings/profile", data={"display_name": "x", "bio": "b" * 150_000})
    assert response.status_code == 413


def test_comment_cards_show_the_commenters_avatar(app, client, make_user, make_group, make_post, make_comment):
    author, commenter = make_user("ada", display_name="Ada"), make_user("ben", display_name="Ben Okafor")
    commenter.avatar_key = "avatars/" + "f" * 64 + ".png"
    group = make_group(slug="club", members=[author, commenter], visibility="public")
    post = make_post(group, author, "Hello")
    make_comment(post, commenter, "Hi Ada")
    html = client.get(f"/g/club/p/{post.id}").text
    comment = html[html.index('class="comment"'):]
    assert f'src="/files/{commenter.avatar_key}"' in comment[:600]


def test_notifications_show_who_acted(app, make_user, make_group, make_post, make_comment, login):
    author, commenter = make_user("ada", display_name="Ada"), make_user("ben", display_name="Ben Okafor")
    group = make_group(slug="club", members=[author, commenter])
    post = make_post(group, author, "Hello")
    login(app.test_client(), commenter).post(f"/g/club/p/{post.id}/comments", data={"body": "Hi Ada"})
    html = login(app.test_client(), author).get("/notifications/").text
    assert ">BO</text></svg>" in html
