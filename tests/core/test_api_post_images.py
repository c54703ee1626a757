"""JSON API: a post's images, changed as the edit form changes them (add, describe, remove, order kept)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from core.extensions import db
from core.models import Post, PostImage
from tests.core.image_files import png, png_claiming, upload


@pytest.fixture
def club(make_group, member):
    return make_group(slug="club", members=[member])


@pytest.fixture
def post_id(member_client, club):
    return member_client.post("/api/v1/groups/club/posts", json={"body": "Pictures"}).get_json()["id"]


def add(client, post_id, data=None, name="a.png", alt=None):
    form = {"file": upload(data or png(), name)}
    if alt is not None:
        form["alt_text"] = alt
    return client.post(f"/api/v1/posts/{post_id}/images", data=form, content_type="multipart/form-data")


def test_images_are_added_in_order_and_listed_with_the_post(member_client, post_id, stored_keys):
    first = add(member_client, post_id, alt="The first").get_json()
    response = add(member_client, post_id, alt="The second")
    assert response.status_code == 201
    second = response.get_json()
    assert (second["alt_text"], second["width"], second["height"]) == ("The second", 40, 30)
    listed = member_client.get(f"/api/v1/posts/{post_id}").get_json()["images"]
    assert listed == [first, second]
    assert len(stored_keys()) == 2


def test_a_description_changes(member_client, post_id):
    image = add(member_client, post_id).get_json()
    response = member_client.patch(f"/api/v1/posts/{post_id}/images/{image['id']}", json={"alt_text": "Now described"})
    assert response.status_code == 200 and response.get_json()["alt_text"] == "Now described"
    assert db.session.get(Post, post_id).edited_at is not None


def test_a_removed_image_leaves_storage_and_the_rest_keep_their_order(member_client, post_id, stored_keys):
    images = [add(member_client, post_id, alt=str(n)).get_json() for n in range(3)]
    assert member_client.delete(f"/api/v1/posts/{post_id}/images/{images[0]['id']}").status_code == 204
    db.session.expire_all()
    rows = db.session.scalars(select(PostImage).order_by(PostImage.position)).all()
    assert [(row.alt_text, row.position) for row in rows] == [("1", 0), ("2", 1)]
    assert stored_keys() == sorted(row.file_key for row in rows)
    assert db.session.get(Post, post_id).image_count == 2


def test_a_bad_file_is_refused_naming_the_field_and_nothing_is_stored(member_client, post_id, stored_keys):
    response = add(member_client, post_id, png_claiming(30000, 30000), "bomb.png")
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"files": {"file": ["The image has too many pixels."]}}
    assert stored_keys() == []


def test_more_images_than_allowed_are_refused(app, member_client, post_id, stored_keys):
    app.config["POST_IMAGES_MAX"] = 1
    add(member_client, post_id)
    response = add(member_client, post_id)
    assert response.status_code == 422
    assert "at most 1 images" in response.get_json()["errors"]["files"]["file"][0]
    assert len(stored_keys()) == 1


def test_a_missing_file_is_a_field_error(member_client, post_id):
    response = member_client.post(f"/api/v1/posts/{post_id}/images", data={"alt_text": "x"},
                                  content_type="multipart/form-data")
    assert response.status_code == 422 and "file" in response.get_json()["errors"]["files"]


def test_only_the_author_changes_images(app, member_client, post_id, make_user, add_member, club, login,
                                        stored_keys):
    image = add(member_client, post_id).get_json()
    other = make_user("other")
    add_member(club, other)
    other_client = login(app.test_client(), other)
    assert add(other_client, post_id).status_code == 404
    assert other_client.delete(f"/api/v1/posts/{post_id}/images/{image['id']}").status_code == 404
    assert app.test_client().delete(f"/api/v1/posts/{post_id}/images/{image['id']}").status_code == 401
    assert len(stored_keys()) == 1


def test_an_image_of_another_post_is_not_found(member_client, post_id, club):
    image = add(member_client, post_id).get_json()
    other = member_client.post("/api/v1/groups/club/posts", json={"body": "Other"}).get_json()["id"]
    assert member_client.delete(f"/api/v1/posts/{other}/images/{image['id']}").status_code == 404
