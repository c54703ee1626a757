"""First-run setup: the first site admin names the site, describes it, gives it a logo, picks the
default language and the features; the header, home page and mail use it; shown once; skippable;
bad input comes back at its field with nothing stored."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from core.extensions import db
from core.models import SiteProfile

PLUGINS = ["plugins.helpcenter", "plugins.resources"]


@pytest.fixture
def app_plugins():
    return PLUGINS


def png(size=(400, 300)) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", size, (26, 107, 88)).save(buffer, "PNG")
    buffer.seek(0)
    return buffer


def form(**overrides):
    data = {"name": "Kiez Hilfe", "description": "Neighbours in Kreuzberg helping each other.",
            "default_locale": "de", "plugins": ["helpcenter"]}
    data.update(overrides)
    return data


def profile() -> SiteProfile | None:
    db.session.expire_all()
    return db.session.get(SiteProfile, 1)


def log_in_by_form(client, user):
    return client.post("/login", data={"login": user.username, "password": "correct horse battery"})


def test_the_first_site_admin_lands_on_the_setup_after_logging_in(client, site_admin):
    response = log_in_by_form(client, site_admin)
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/setup/")
    page = client.get("/admin/setup/").get_data(as_text=True)
    for label in ("Site name", "Description", "Logo", "Default language", "Features to start with", "Skip for now"):
        assert label in page


def test_a_member_logging_in_is_not_sent_to_the_setup_and_cannot_open_it(client, member, member_client):
    assert log_in_by_form(client, member).headers["Location"].endswith("/")
    assert member_client.get("/admin/setup/").status_code == 404
    assert member_client.post("/admin/setup/", data=form()).status_code == 404
    assert member_client.post("/admin/setup/skip").status_code == 404
    assert profile() is None


def test_saving_stores_the_choices_and_the_header_home_page_and_language_use_them(app, admin_client, client):
    response = admin_client.post("/admin/setup/", data={**form(), "logo": (png(), "logo.png")},
                                 content_type="multipart/form-data")
    assert response.status_code == 302
    row = profile()
    assert (row.name, row.default_locale) == ("Kiez Hilfe", "de")
    assert row.setup_done_at is not None and row.logo_key
    home = client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Kiez Hilfe" in home and "Neighbours in Kreuzberg helping each other." in home
    assert '<html lang="de">' in home
    assert f'/files/{row.logo_key}' in home
    with Image.open(io.BytesIO(client.get(f"/files/{row.logo_key}").data)) as logo:
        assert max(logo.size) <= 256


def test_saving_switches_exactly_the_chosen_features_on(app, admin_client):
    from core.plugins import get_plugins

    admin_client.post("/admin/setup/", data=form(plugins=["resources"]))
    plugins = get_plugins()
    plugins.refresh(force=True)
    assert plugins.is_enabled("resources") and not plugins.is_enabled("helpcenter")


def test_after_saving_or_skipping_the_setup_is_not_shown_again(app, client, site_admin, login):
    login(client, site_admin)
    response = client.post("/admin/setup/skip")
    assert response.status_code == 302 and profile().setup_done_at is not None
    assert profile().name is None  # skipping keeps the configured defaults
    client.post("/logout")
    assert not log_in_by_form(client, site_admin).headers["Location"].endswith("/admin/setup/")
    assert "Skip for now" not in client.get("/admin/setup/").get_data(as_text=True)


def test_a_get_of_the_setup_writes_nothing(admin_client):
    admin_client.get("/admin/setup/")
    assert profile() is None


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"name": "   "}, "name", "Give the site a name."),
    ({"name": "x" * 81}, "name", "Use at most 80 characters."),
    ({"description": "x" * 301}, "description", "Use at most 300 characters."),
    ({"default_locale": "fr"}, "default_locale", "Choose one of the languages offered."),
    ({"plugins": ["no_such_plugin"]}, "plugins", "Choose among the features offered."),
])
def test_bad_input_is_shown_at_its_field_and_nothing_is_stored(admin_client, overrides, field, message):
    response = admin_client.post("/admin/setup/", data=form(**overrides))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in page and message in page
    assert profile() is None


def test_a_logo_that_is_not_an_image_is_refused_at_its_field_and_the_text_kept(admin_client):
    response = admin_client.post("/admin/setup/", data={**form(), "logo": (io.BytesIO(b"MZ not an image"), "x.png")},
                                 content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="logo-error"' in page and 'value="Kiez Hilfe"' in page
    assert profile() is None


def test_the_site_name_from_the_setup_is_in_every_pages_title_and_header(admin_client, client):
    admin_client.post("/admin/setup/", data=form(default_locale="en"))
    page = client.get("/g/").get_data(as_text=True)
    assert "· Kiez Hilfe</title>" in page and 'class="brand"' in page and "Common Ground" not in page
