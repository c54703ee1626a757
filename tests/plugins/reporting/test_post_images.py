"""An image in a post is reportable like any content (core's ``post_image`` content type): report,
hide, delete; reporting reaches it through the content-types hook and the ``content_actions`` slot."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from core.extensions import db
from core.models import PostImage
from plugins.reporting.models import Case
from tests.core.image_files import png, upload


@pytest.fixture
def app_config(storage_config):
    return storage_config


@pytest.fixture
def image(community, client_for):
    """Bob posted a picture in the garden."""
    response = client_for(community.bob).post(
        "/g/garden/posts", content_type="multipart/form-data",
        data={"body": "My tomatoes", "images": [upload(png(), "tomatoes.png")]})
    assert response.status_code == 302
    return db.session.scalars(select(PostImage)).one()


def _report(client, image):
    response = client.post(f"/report/post_image/{image.id}", data={"category": "spam"})
    assert response.status_code == 302, response.text
    return db.session.scalars(select(Case).where(Case.content_type == "post_image")).one()


def _decide(client, case, action):
    return client.post(f"/moderation/cases/{case.id}/decide", data={"actions": [action], "explanation": "Spam"})


def test_each_image_has_a_report_link_for_other_members(community, client_for, image):
    html = client_for(community.alice).get("/g/garden").text
    assert f'href="/report/post_image/{image.id}"' in html
    assert f'href="/report/post_image/{image.id}"' not in client_for(community.bob).get("/g/garden").text


def test_hiding_a_reported_image_hides_it_from_members_only(community, client_for, image):
    case = _report(client_for(community.alice), image)
    assert _decide(client_for(community.moderator), case, "hide").status_code == 302
    assert f"/files/{image.file_key}" not in client_for(community.carol).get("/g/garden").text
    assert "My tomatoes" in client_for(community.carol).get("/g/garden").text


def test_deleting_a_reported_image_removes_its_file_and_keeps_the_post(community, client_for, image, stored_keys):
    case = _report(client_for(community.alice), image)
    assert _decide(client_for(community.moderator), case, "delete").status_code == 302
    db.session.expire_all()
    assert db.session.scalars(select(PostImage)).all() == []
    assert stored_keys() == []
    assert "My tomatoes" in client_for(community.carol).get("/g/garden").text


def test_deleting_a_reported_post_removes_its_image_file(community, client_for, image, stored_keys):
    response = client_for(community.alice).post(f"/report/post/{image.post_id}", data={"category": "spam"})
    assert response.status_code == 302
    case = db.session.scalars(select(Case).where(Case.content_type == "post")).one()
    assert _decide(client_for(community.moderator), case, "delete").status_code == 302
    assert stored_keys() == []
