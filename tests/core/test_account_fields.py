"""Names and addresses people enter must work for everyone who later reads or mails them.

- A display name with right-to-left overrides or other text-direction controls could make the
  words after it on the page read backwards or pose as someone else; a name of zero-width
  characters shows as nothing. Both are refused at the field, on the pages and in the API.
- An address with letters beyond ASCII before the ``@`` can only receive mail through a server
  that speaks SMTPUTF8. Without one (``MAIL_SMTPUTF8``), it is refused at the field instead of
  creating an account that never gets its confirmation link; a domain with such letters is kept
  in its ASCII form, which any server delivers.
"""
from __future__ import annotations

import html
import re

import pytest

from core.extensions import db
from core.models import User
from core.outbox import send_pending
from core.testing import SMTPRecorder

STRONG = "river lantern orbit 42"
DIRECTION = "Remove the invisible characters that change the text direction."
INVISIBLE = "Use at least one visible letter, digit or symbol."
NOT_DELIVERABLE = ("Our mail server cannot deliver to addresses with letters such as ä or é before the @. "
                   "Please use another address.")


def signup_form(**overrides):
    data = {"email": "ada@example.org", "username": "ada", "display_name": "Ada", "password": STRONG,
            "locale": "en", "adult": "on"}
    return {**data, **overrides}


def field_error(response, field: str) -> str:
    found = re.search(rf'id="{field}-error"[^>]*>\s*<li>(.*?)</li>', response.get_data(as_text=True), re.S)
    return html.unescape(found.group(1)).strip() if found else ""


def user_named(username: str) -> User | None:
    db.session.expire_all()
    return db.session.scalar(db.select(User).where(User.username == username))


# --- display names ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["Anna\u202eanitsirhC", "\u2067Anna", "Anna\u200f", "Ann\u061ca"])
def test_signup_refuses_a_display_name_with_text_direction_controls(client, name):
    response = client.post("/signup", data=signup_form(display_name=name))
    assert response.status_code == 422
    assert field_error(response, "display_name") == DIRECTION
    assert user_named("ada") is None


@pytest.mark.parametrize("name", ["\u200b", "\u200b\u200c\u200d", "\ufeff\u2060", "\u3164", "\u200b \u200b"])
def test_signup_refuses_a_display_name_with_nothing_visible(client, name):
    response = client.post("/signup", data=signup_form(display_name=name))
    assert response.status_code == 422
    assert field_error(response, "display_name") == INVISIBLE


@pytest.mark.parametrize("name", ["Zoë Ødegård", "محمد", "יעל", "李小龙", "👩\u200d🌾 Gardener", "X"])
def test_names_in_any_script_and_emoji_sequences_are_welcome(client, name):
    assert client.post("/signup", data=signup_form(display_name=name)).status_code == 302
    assert user_named("ada").display_name == name


def test_profile_page_refuses_a_direction_override_and_keeps_the_old_name(member_client, member):
    response = member_client.post("/settings/profile", data={"display_name": "Mem\u202eber", "locale": "en"})
    assert response.status_code == 422
    assert field_error(response, "display_name") == DIRECTION
    assert user_named("member").display_name == "Member"


@pytest.mark.parametrize("name, message", [("\u202eAdmin", DIRECTION), ("\u200b\u200b", INVISIBLE)])
def test_the_api_refuses_them_naming_the_field(app, member, name, message):
    from core.models import ApiToken

    _token, secret = ApiToken.issue(member, "t")
    db.session.commit()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    response = client.patch("/api/v1/me", json={"display_name": name}, headers=headers)
    assert response.status_code == 422
    assert response.json["errors"]["json"] == {"display_name": [message]}
    signup = client.post("/api/v1/auth/signup", json={
        "email": "x@example.org", "username": "xavier", "display_name": name, "password": STRONG, "adult": True})
    assert signup.json["errors"]["json"] == {"display_name": [message]}


# --- email addresses -------------------------------------------------------------------------

def test_a_non_ascii_local_part_is_refused_at_the_field_without_smtputf8(client, outbox):
    response = client.post("/signup", data=signup_form(email="jörg@example.org"))
    assert response.status_code == 422
    assert field_error(response, "email") == NOT_DELIVERABLE
    assert 'value="jörg@example.org"' in response.get_data(as_text=True)  # kept, to correct it
    assert user_named("ada") is None and outbox() == []


def test_the_api_refuses_it_naming_the_field(client):
    response = client.post("/api/v1/auth/signup", json={
        "email": "jörg@example.org", "username": "jorg", "display_name": "Jörg", "password": STRONG, "adult": True})
    assert response.status_code == 422
    assert response.json["errors"]["json"] == {"email": [NOT_DELIVERABLE]}


def test_a_password_reset_for_such_an_address_is_refused_at_the_field(client, outbox):
    response = client.post("/password/forgot", data={"email": "jörg@example.org"})
    assert response.status_code == 422
    assert field_error(response, "email") == NOT_DELIVERABLE


class TestWithoutSMTPUTF8:
    @pytest.fixture
    def app_config(self, smtp_config):
        return smtp_config

    def test_an_internationalised_domain_is_stored_in_ascii_and_delivered(self, client, smtp_server):
        assert client.post("/signup", data=signup_form(email="ada@bücher.example")).status_code == 302
        assert user_named("ada").email == "ada@xn--bcher-kva.example"
        assert send_pending().sent == 1
        [(_sender, recipients, _data)] = smtp_server.envelopes
        assert recipients == ["ada@xn--bcher-kva.example"]


class TestWithSMTPUTF8:
    @pytest.fixture
    def smtp_server(self):
        server = SMTPRecorder(smtputf8=True).start()
        yield server
        server.stop()

    @pytest.fixture
    def app_config(self, smtp_config):
        return {**smtp_config, "MAIL_SMTPUTF8": True}

    def test_a_non_ascii_address_is_accepted_and_its_confirmation_arrives(self, client, smtp_server):
        assert client.post("/signup", data=signup_form(email="jörg@bücher.example")).status_code == 302
        assert user_named("ada").email == "jörg@bücher.example"
        assert send_pending().sent == 1
        [(_sender, recipients, _data)] = smtp_server.envelopes
        assert recipients == ["jörg@bücher.example"]
        assert "/confirm/" in smtp_server.messages[0].get_body(("plain",)).get_content()
