"""Bad input: sanitized scripts, refused links and placeholders, logos that are not images."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from core.extensions import db


@pytest.fixture
def editor_client(app, login, writer):
    return login(app.test_client(), writer)


def new(editor_client, topic, **fields):
    data = {"title": "T", "body": "B", "topic_id": str(topic.id), "kind": "article", "language": "en"}
    data.update(fields)
    return editor_client.post("/resources/wellbeing/new", data=data)


def test_script_in_body_and_summary_is_sanitized(app, login, hub, topic, editor_client, reviewer):
    from plugins.resources.models import Revision

    assert new(editor_client, topic, body="Hi <script>alert(1)</script> [x](javascript:alert(2))",
               summary="<script>alert(3)</script>").status_code == 302
    revision = db.session.scalar(db.select(Revision).order_by(Revision.id.desc()))
    assert "<script" not in revision.body_html
    assert 'href="javascript' not in revision.body_html
    from plugins.resources.models import Resource

    resource = db.session.scalar(db.select(Resource).order_by(Resource.id.desc()))
    html = login(app.test_client(), reviewer).get(f"/resources/wellbeing/r/{resource.id}").get_data(as_text=True)
    assert "<script>alert" not in html


@pytest.mark.parametrize("link", ["javascript:alert(1)", "ftp://example.org/x", "data:text/html,hi", "http://",
                                  "not a link", "https://exa mple.org"])
def test_bad_external_link_gets_a_message_at_the_field(editor_client, topic, link):
    response = new(editor_client, topic, link=link)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="link-error"' in page


def test_a_good_https_link_is_accepted(editor_client, topic):
    assert new(editor_client, topic, link="https://www.telefonseelsorge.de/").status_code == 302


def test_unknown_placeholder_is_refused_at_the_field(editor_client, topic):
    response = new(editor_client, topic, body="Call {{ hotline:DE }} or {{ helpline:XX }}")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="body-error"' in page and "hotline:DE" in page and "helpline:XX" in page


def test_a_topic_of_another_hub_is_refused(editor_client, topic):
    response = new(editor_client, topic, topic_id="99999")
    assert response.status_code == 400 and 'id="topic_id-error"' in response.get_data(as_text=True)


def _logo_post(admin_client, data: bytes, filename="logo.png"):
    return admin_client.post("/resources/partners/new", data={"name": "Org", "logo": (io.BytesIO(data), filename)},
                             content_type="multipart/form-data")


def test_a_logo_that_is_not_an_image_is_refused_at_the_field(admin_client, hub):
    response = _logo_post(admin_client, b"%PDF-1.4 not an image", "logo.pdf")
    assert response.status_code == 400
    assert 'id="logo-error"' in response.get_data(as_text=True)


def test_a_logo_that_is_too_large_is_refused(app, admin_client, hub):
    app.config["UPLOAD_MAX_BYTES"] = 1000
    image = Image.effect_noise((200, 200), 100).convert("RGB")
    out = io.BytesIO()
    image.save(out, format="PNG")
    response = _logo_post(admin_client, out.getvalue())
    assert response.status_code == 400 and "too large" in response.get_data(as_text=True)


def test_an_image_bomb_logo_is_refused(admin_client, hub):
    from tests.core.test_storage import _png_claiming

    response = _logo_post(admin_client, _png_claiming(30000, 30000))
    assert response.status_code == 400 and "too many pixels" in response.get_data(as_text=True)


def test_a_good_logo_is_stored_cleaned_and_shown(admin_client, client, hub):
    from plugins.resources.models import Partner

    out = io.BytesIO()
    Image.new("RGB", (64, 64), (0, 90, 200)).save(out, format="JPEG", comment=b"private")
    assert _logo_post(admin_client, out.getvalue(), "logo.jpg").status_code == 302
    partner = db.session.scalar(db.select(Partner).where(Partner.name == "Org"))
    page = client.get(f"/resources/partners/{partner.slug}").get_data(as_text=True)
    assert f"/files/{partner.logo_key}" in page
    image = client.get(f"/files/{partner.logo_key}")
    assert image.mimetype == "image/jpeg" and b"private" not in image.data


def test_only_site_admins_verify_partners(app, login, hub, writer, admin_client):
    from plugins.resources.models import Partner

    login(app.test_client(), writer).post("/resources/partners/new", data={"name": "Self Verified", "verified": "on"})
    assert db.session.scalar(db.select(Partner.verified).where(Partner.name == "Self Verified")) is False
    admin_client.post("/resources/partners/self-verified/edit", data={"name": "Self Verified", "verified": "on"})
    assert db.session.scalar(db.select(Partner.verified).where(Partner.name == "Self Verified")) is True
