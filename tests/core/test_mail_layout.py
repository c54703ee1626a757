"""Every kind of mail, core's and every built-in plugin's, comes out of the one renderer branded,
in two parts (HTML in the table layout, plain text), without a form element, in the reader's
language; the site's own name and logo from the first-run setup are used."""
from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from core.extensions import db
from core.mail_render import render_email
from core.notifications.kinds import registry

PLUGINS = ["plugins.conversations", "plugins.helpcenter", "plugins.resources", "plugins.reporting",
           "plugins.mentorship", "commonground_events", "commonground_hello"]
FORM_ELEMENTS = re.compile(r"<(form|input|textarea|select|button)\b", re.IGNORECASE)


@pytest.fixture
def app_plugins():
    return PLUGINS


@pytest.fixture(autouse=True)
def as_a_job(app):
    """Mail is rendered by jobs, inside a request context on the site's address (core.jobs)."""
    with app.test_request_context("/", base_url=app.config["SITE_URL"]):
        yield


@pytest.fixture
def reader(make_user):
    return make_user("rita", display_name="Rita Reader", locale="en")


@pytest.fixture
def context(make_user, make_group):
    """What the kinds' templates read: an actor, a group, a link, a message and data."""
    from plugins.helpcenter import directory
    from plugins.helpcenter.seed import seed_directory

    seed_directory()
    db.session.commit()
    referral = directory.referral("DE", "de", directory.known_countries(), directory.known_languages())
    actor = make_user("arne", display_name="Arne Actor")
    return {"actor": actor, "group": make_group(owner=actor, slug="garden", name="Garden club"),
            "url": "https://example.org/somewhere", "message": "A message for you", "from_name": "Arne Actor",
            "data": {"excerpt": "What a lovely idea", "explanation": "Because", "response": "Thanks"},
            "referral": referral, "path": "worried", "new_email": "new@example.org",
            "start": datetime(2026, 12, 1, 8, 0, tzinfo=UTC),
            "posts": [{"group": "Garden club", "author": "Arne Actor", "excerpt": "Seed swap on Sunday",
                       "url": "https://example.org/g/garden/p/1"}]}


def every_kind() -> list[str]:
    return sorted(registry().email)


def test_the_suite_sees_every_plugins_mail(app):
    kinds = every_kind()
    for expected in ("confirm", "password_reset", "post_reply", "helpcenter_referral", "helpcenter_reminder",
                     "conversations_new_message", "mentorship_request", "reporting_decision"):
        assert expected in kinds


def test_every_kind_renders_html_and_text_with_the_branding_and_no_form_element(app, reader, context):
    for kind in every_kind():
        mail = render_email(kind, reader, **context)
        assert mail.subject and "\n" not in mail.subject, kind
        assert mail.text.strip() and "<p>" not in mail.text, kind
        assert "Common Ground" in mail.text and "Common Ground" in mail.html, kind
        assert 'role="presentation"' in mail.html, kind
        assert mail.html.count("<html") == 1 and mail.html.count("<body") == 1, kind
        assert not FORM_ELEMENTS.search(mail.html), kind


def test_the_layout_styles_are_inlined_for_clients_that_drop_style_blocks(app, reader, context):
    mail = render_email("post_reply", reader, **context)
    assert "<style" not in mail.html
    assert re.search(r'<blockquote style="[^"]*border-left', mail.html)
    assert re.search(r'<a href="https://example.org/somewhere" style="[^"]*color', mail.html)


def test_the_suggested_message_is_a_quoted_block_not_a_text_box(app, reader, context):
    mail = render_email("helpcenter_referral", reader, **context)
    assert "<textarea" not in mail.html
    assert re.search(r"<blockquote[^>]*>[^<]*\w", mail.html)


def test_a_mail_is_in_the_readers_language(app, make_user, context):
    german = make_user("greta", display_name="Greta", locale="de")
    mail = render_email("post_reply", german, **context)
    assert "Hallo Greta" in mail.text and "Hallo Greta" in mail.html
    assert 'lang="de"' in mail.html


def test_the_footer_links_to_the_setting_for_kinds_members_can_switch_off(app, reader, context):
    mail = render_email("post_reply", reader, **context)
    assert "/notifications/settings#kind-post_reply" in mail.html
    assert "/notifications/settings#kind-post_reply" in mail.text
    account = render_email("password_reset", reader, **context)
    assert "notifications/settings" not in account.html


def test_the_site_name_logo_and_description_from_the_setup_brand_every_mail(app, reader, context):
    from core.site_profile import save_profile

    save_profile(name="Kiez Hilfe", description="Neighbours in Kreuzberg", logo_key="ab/cd/logo.png")
    db.session.commit()
    mail = render_email("confirm", reader, **context)
    assert "Kiez Hilfe" in mail.html and "Kiez Hilfe" in mail.text
    assert "Neighbours in Kreuzberg" in mail.html
    assert re.search(r'<img src="http[^"]*/files/ab/cd/logo.png"', mail.html)
    assert "Common Ground" not in mail.html
