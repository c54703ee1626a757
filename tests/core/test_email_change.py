"""Changing one's email address: asked with the password, a link to the new address, a notice to
the old one, the change only once the link is used; an address in use is not revealed."""
from __future__ import annotations

import re

import pytest

from core.auth import tokens
from core.extensions import db
from core.models import User

PASSWORD = "correct horse battery"


@pytest.fixture
def ada(make_user):
    return make_user("ada", email="ada@example.org", display_name="Ada")


@pytest.fixture
def ada_client(app, login, ada):
    return login(app.test_client(), ada)


def ask(client, email: str = "ada@new.example", password: str = PASSWORD):
    return client.post("/settings/email", data={"email": email, "password": password})


def link_in(message) -> str:
    return re.search(r"http://localhost(/settings/email/confirm/[^\s\"<]+)", message.body_text).group(1)


def email_of(user) -> str:
    db.session.expire_all()
    return db.session.get(User, user.id).email


def test_settings_has_an_email_page_listed_in_its_navigation(ada_client):
    html = ada_client.get("/settings/email").text
    assert "ada@example.org" in html and 'name="email"' in html and 'name="password"' in html
    assert 'href="/settings/email" aria-current="page"' in html


def test_asking_sends_a_link_to_the_new_address_and_a_notice_to_the_old_one(ada_client, ada, outbox):
    response = ask(ada_client)
    assert response.status_code == 302
    link, notice = outbox()
    assert link.to_addr == "ada@new.example" and "/settings/email/confirm/" in link.body_text
    assert notice.to_addr == "ada@example.org" and "ada@new.example" in notice.body_text
    assert "/settings/email/confirm/" not in notice.body_text
    assert email_of(ada) == "ada@example.org"  # nothing changes before the link is used


def test_the_link_changes_the_address_after_a_button_press_and_keeps_the_session(ada_client, ada, outbox):
    ask(ada_client)
    url = link_in(outbox()[0])
    page = ada_client.get(url)
    assert page.status_code == 200 and "ada@new.example" in page.text and email_of(ada) == "ada@example.org"
    done = ada_client.post(url, follow_redirects=True)
    assert "Your email address is now ada@new.example." in done.text
    assert email_of(ada) == "ada@new.example"
    assert ada_client.get("/settings/email").status_code == 200  # still logged in


def test_the_link_works_without_being_logged_in(app, ada_client, ada, outbox):
    ask(ada_client)
    response = app.test_client().post(link_in(outbox()[0]))
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    assert email_of(ada) == "ada@new.example"


def test_a_used_link_says_so_clearly(ada_client, ada, outbox):
    ask(ada_client)
    url = link_in(outbox()[0])
    ada_client.post(url)
    again = ada_client.post(url)
    assert again.status_code == 404 and "This link no longer works" in again.text
    assert ada_client.get(url).status_code == 404


def test_an_expired_link_says_so_and_changes_nothing(ada_client, ada, outbox, monkeypatch):
    ask(ada_client)
    monkeypatch.setattr(tokens, "EMAIL_CHANGE_MAX_AGE", -1)
    response = ada_client.post(link_in(outbox()[0]))
    assert response.status_code == 404 and "It has expired" in response.text
    assert email_of(ada) == "ada@example.org"


def test_a_forged_link_is_refused(ada_client, ada):
    assert ada_client.post("/settings/email/confirm/not-a-token").status_code == 404
    assert email_of(ada) == "ada@example.org"


def test_an_address_in_use_gets_the_same_answer_and_no_link(ada_client, ada, make_user, outbox):
    make_user("bob", email="bob@example.org", display_name="Bob")
    def answer(email: str) -> tuple[int, str]:
        response = ada_client.post("/settings/email", data={"email": email, "password": PASSWORD},
                                   follow_redirects=True)
        return response.status_code, response.text.replace(email, "ADDRESS")

    assert answer("bob@example.org") == answer("free@example.org")
    to_bob = [m for m in outbox() if m.to_addr == "bob@example.org"]
    assert len(to_bob) == 1 and "already belongs to an account" in to_bob[0].body_text
    assert "Hello Bob," in to_bob[0].body_text and "Ada" not in to_bob[0].body_text
    assert "/settings/email/confirm/" not in to_bob[0].body_text
    assert email_of(ada) == "ada@example.org"


def test_an_address_taken_after_the_link_was_sent_is_refused_at_confirmation(ada_client, ada, make_user, outbox):
    ask(ada_client, "late@example.org")
    url = link_in(outbox()[0])
    make_user("late", email="late@example.org")
    response = ada_client.post(url)
    assert response.status_code == 409 and "Another account uses this address now" in response.text
    assert email_of(ada) == "ada@example.org"


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"email": "ada@new.example", "password": "wrong password"}, "password", "This is not your password."),
    ({"email": "ADA@example.org", "password": PASSWORD}, "email", "This is already your address."),
    ({"email": "not-an-address", "password": PASSWORD}, "email", "Enter a valid email address"),
    ({"email": "", "password": PASSWORD}, "email", ""),
])
def test_bad_input_is_refused_at_the_field_and_sends_nothing(ada_client, outbox, data, field, message):
    response = ada_client.post("/settings/email", data=data)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text and message in response.text
    assert outbox() == []


def test_the_email_typed_is_kept_but_never_the_password(ada_client):
    html = ada_client.post("/settings/email", data={"email": "ada@new.example", "password": "wrong"}).text
    assert 'value="ada@new.example"' in html and 'value="wrong"' not in html


def test_a_visitor_is_sent_to_log_in(client):
    response = client.get("/settings/email")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_api_asks_for_a_change_the_same_way(app, login, ada, outbox):
    client = login(app.test_client(), ada)
    response = client.post("/api/v1/me/email", json={"email": "ada@new.example", "password": PASSWORD})
    assert response.status_code == 202 and "ada@new.example" in response.json["message"]
    assert [m.to_addr for m in outbox()] == ["ada@new.example", "ada@example.org"]
    bad = client.post("/api/v1/me/email", json={"email": "ada@new.example", "password": "nope"})
    assert bad.status_code == 422 and "password" in bad.json["errors"]["json"]


def test_the_mails_are_in_the_members_language(app, login, make_user, outbox):
    client = login(app.test_client(), make_user("eva", email="eva@example.org", locale="de"))
    ask(client, "eva@new.example")
    link, notice = outbox()
    assert "Bestätige" in link.subject and "Hallo" in notice.body_text
