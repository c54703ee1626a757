"""Language: the member's setting, else the visitor's choice, else the browser; the footer switcher."""
from __future__ import annotations

import re

import pytest

from core.extensions import db
from core.models import User
from core.notify import notify

GERMAN_HOME = "Willkommen bei Common Ground"
ENGLISH_HOME = "Welcome to Common Ground"


def lang_of(html: str) -> str:
    return re.search(r'<html lang="([^"]+)"', html).group(1)


def test_browser_language_is_used_for_visitors(client):
    html = client.get("/", headers={"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"}).text
    assert lang_of(html) == "de" and GERMAN_HOME in html


def test_unsupported_browser_language_falls_back_to_english(client):
    html = client.get("/", headers={"Accept-Language": "fr-FR,fr;q=0.9"}).text
    assert lang_of(html) == "en" and ENGLISH_HOME in html


def test_visitor_choice_beats_the_browser(client):
    response = client.post("/language", data={"locale": "de", "next": "/groups?q=x"})
    assert response.status_code == 302 and response.headers["Location"] == "/groups?q=x"
    html = client.get("/", headers={"Accept-Language": "en-US"}).text
    assert lang_of(html) == "de" and GERMAN_HOME in html


def test_member_setting_beats_session_and_browser(client, login, make_user):
    member = make_user("hilde", locale="de")
    with client.session_transaction() as session:
        session["locale"] = "en"
    login(client, member)
    html = client.get("/", headers={"Accept-Language": "en-US"}).text
    assert lang_of(html) == "de"


def test_member_switching_language_saves_it_to_the_profile(client, login, make_user):
    member = make_user("jakob", locale="en")
    login(client, member)
    client.post("/language", data={"locale": "de", "next": "/"})
    db.session.expire_all()
    assert db.session.get(User, member.id).locale == "de"
    # Another browser of the same member follows the saved setting.
    other = login(client.application.test_client(), db.session.get(User, member.id))
    assert lang_of(other.get("/", headers={"Accept-Language": "en"}).text) == "de"


def test_unknown_language_changes_nothing(client):
    response = client.post("/language", data={"locale": "xx", "next": "/"})
    assert response.status_code == 302
    assert lang_of(client.get("/", headers={"Accept-Language": "en"}).text) == "en"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "", "groups"])
def test_switcher_only_redirects_within_the_site(client, target):
    response = client.post("/language", data={"locale": "de", "next": target})
    assert response.headers["Location"] == "/"


def test_footer_switcher_is_a_plain_form_that_works_with_csrf(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    html = client.get("/?ref=footer").text
    form = re.search(r'<form method="post" action="/language"[^>]*>(.*?)</form>', html, flags=re.S).group(1)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    next_value = re.search(r'name="next" value="([^"]+)"', form).group(1)
    assert next_value == "/?ref=footer"
    assert '<label for="language-select">' in form and '<button type="submit">' in form
    assert client.post("/language", data={"locale": "de", "next": next_value}).status_code == 400
    response = client.post("/language", data={"locale": "de", "next": next_value, "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == next_value
    assert lang_of(client.get("/").text) == "de"


def test_german_member_sees_german_pages(client, login, make_user):
    member = make_user("greta", locale="de")
    login(client, member)
    html = client.get("/notifications/").text
    assert "<h1>Benachrichtigungen</h1>" in html
    assert "Abmelden" in html  # header
    settings = client.get("/notifications/settings").text
    assert "Jemand kommentiert deinen Beitrag" in settings


def test_email_is_written_in_the_recipients_language(app, make_user, make_group, outbox):
    german = make_user("dora", display_name="Dora", locale="de")
    english = make_user("ed", display_name="Ed", locale="en")
    group = make_group(owner=german, name="Gartenfreunde", members=(english,))
    notify(german, "post_reply", actor=english, group=group, url="/g/x")
    notify(english, "post_reply", actor=german, group=group, url="/g/x")
    db.session.commit()
    to_dora, to_ed = outbox()
    assert to_dora.subject == "Ed hat deinen Beitrag in Gartenfreunde kommentiert"
    assert "Hallo Dora," in to_dora.body_text and 'lang="de"' in to_dora.body_html
    assert to_ed.subject == "Dora commented on your post in Gartenfreunde"


def test_notification_sentences_follow_the_readers_language(client, login, make_user, make_group):
    german = make_user("fritz", locale="de")
    actor = make_user("anna", display_name="Anna")
    group = make_group(owner=german, name="Lesekreis")
    notify(german, "join_request", actor=actor, group=group, url="/g/lesekreis")
    db.session.commit()
    login(client, german)
    html = client.get("/notifications/").text
    assert "<strong>Anna</strong> möchte <strong>Lesekreis</strong> beitreten." in html


def test_translated_text_outside_a_request_uses_the_site_default(app):
    """CLI commands and the outbox worker translate strings with no request around them."""
    from flask_babel import gettext

    assert gettext("Log in") == "Log in"
