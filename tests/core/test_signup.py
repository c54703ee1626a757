"""Sign-up and email confirmation on the web pages."""
from __future__ import annotations

import re

import pytest

from core.extensions import db
from core.models import User

STRONG = "river lantern orbit 42"


def form(**overrides):
    data = {"email": "ada@example.org", "username": "ada", "display_name": "Ada L.", "password": STRONG,
            "locale": "en", "country": "AT", "adult": "on"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def user_named(username):
    db.session.expire_all()
    return db.session.scalar(db.select(User).where(User.username == username))


def confirm_link(message) -> str:
    return re.search(r"http://localhost(/confirm/[^\s\"<]+)", message.body_text).group(1)


def test_signup_page_has_labelled_fields(client):
    html = client.get("/signup").get_data(as_text=True)
    for name in ("email", "username", "display_name", "password", "locale", "country", "adult"):
        assert f'for="field-{name}"' in html and f'id="field-{name}"' in html


def test_signup_creates_account_logs_in_and_queues_confirmation(client, outbox):
    response = client.post("/signup", data=form(locale="de"))
    assert response.status_code == 302
    user = user_named("ada")
    assert user.email == "ada@example.org" and user.display_name == "Ada L."
    assert user.locale == "de" and user.country == "AT"
    assert user.adult_attested_at is not None and user.email_confirmed_at is None
    assert user.check_password(STRONG)
    assert user.password_hash != STRONG
    [message] = outbox()
    assert message.to_addr == "ada@example.org"
    assert "http://localhost/confirm/" in message.body_text  # an absolute link to the site
    page = client.get("/").get_data(as_text=True)
    assert "Ada L." in page


def test_password_is_stored_only_as_a_salted_slow_hash(client, make_user):
    client.post("/signup", data=form())
    ada = user_named("ada")
    twin = make_user("twin", password=STRONG)
    assert ada.password_hash.split(":")[0] in ("scrypt", "pbkdf2")  # a key-derivation function, not a bare digest
    assert ada.password_hash != twin.password_hash  # salted: the same password hashes differently
    assert STRONG not in ada.password_hash and STRONG.encode().hex() not in ada.password_hash
    assert ada.check_password(STRONG) and not ada.check_password(STRONG.upper())


def test_adult_attestation_is_the_time_of_sign_up_not_a_birth_date(client):
    from core.models.base import utcnow

    before = utcnow()
    client.post("/signup", data=form())
    after = utcnow()
    assert before <= user_named("ada").adult_attested_at <= after
    assert not [column for column in User.__table__.columns if "birth" in column.name]
    assert "birth" not in client.get("/signup").get_data(as_text=True).lower()


def test_signup_email_is_written_in_the_chosen_language(app, client, outbox):
    from flask_babel import force_locale, gettext

    client.post("/signup", data=form(locale="de"))
    [message] = outbox()
    with app.test_request_context(), force_locale("de"):
        expected = gettext("Confirm your email address for %(site)s", site=app.config["SITE_NAME"])
    assert message.subject == expected


@pytest.mark.plugins("tests.core.account_probe")
def test_signup_calls_user_registered_hook(client, enable_plugin):
    from tests.core import account_probe

    enable_plugin("account_probe")
    account_probe.registered.clear()
    client.post("/signup", data=form())
    assert account_probe.registered == ["ada"]


def test_username_and_email_are_stored_lower_case(client):
    client.post("/signup", data=form(username="Ada_99", email="Ada@Example.ORG"))
    user = user_named("ada_99")
    assert user is not None and user.email == "ada@example.org"


def test_duplicate_email_is_reported_at_the_field_and_values_kept(client, make_user):
    make_user("taken", email="ada@example.org")
    response = client.post("/signup", data=form(email="ADA@example.org"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(r'id="email-error".*already exists', html, re.S)
    assert 'value="ada"' in html and 'value="Ada L."' in html  # nothing typed is lost
    assert STRONG not in html  # but the password is never echoed
    assert user_named("ada") is None


def test_duplicate_username_is_case_insensitive(client, make_user):
    make_user("ada")
    response = client.post("/signup", data=form(username="ADA", email="other@example.org"))
    assert response.status_code == 422
    assert re.search(r'id="username-error".*taken', response.get_data(as_text=True), re.S)
    assert db.session.scalar(db.select(db.func.count(User.id))) == 1


@pytest.mark.parametrize("password, fragment", [
    ("short1!", "at least 10"),
    ("aaaaaaaaaaaa", "Repeated characters"),
    ("password123", "too common"),
    ("Password2024!", "too common"),
    ("ada-is-my-best-name", "username"),
])
def test_weak_password_is_refused_with_a_clear_message(client, password, fragment):
    response = client.post("/signup", data=form(password=password))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(r'id="password-error".*' + re.escape(fragment), html, re.S)
    assert 'aria-invalid="true" aria-describedby="password-error"' in html
    assert user_named("ada") is None


def test_password_containing_email_name_is_refused(client):
    response = client.post("/signup", data=form(username="someone", email="lovelace@example.org",
                                                 password="lovelace rocks hard"))
    assert response.status_code == 422
    assert "email name" in response.get_data(as_text=True)


def test_adult_attestation_is_required(client):
    response = client.post("/signup", data=form(adult=None))
    assert response.status_code == 422
    assert re.search(r'id="adult-error".*18 or older', response.get_data(as_text=True), re.S)
    assert user_named("ada") is None


@pytest.mark.parametrize("field, value, fragment", [
    ("username", "ab", "3 to 32"),
    ("username", "a" * 33, "3 to 32"),
    ("username", "bad name!", "3 to 32"),
    ("username", "admin", "reserved"),
    ("email", "not-an-email", "valid email"),
    ("email", "a" * 250 + "@example.org", "at most 254"),
    ("display_name", "", "required"),
    ("display_name", "x" * 81, "at most 80"),
    ("country", "XX", "country from the list"),
    ("locale", "fr", "offered languages"),
])
def test_invalid_fields_are_reported_next_to_the_field(client, field, value, fragment):
    response = client.post("/signup", data=form(**{field: value}))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(rf'id="{field}-error".*{re.escape(fragment)}', html, re.S), html
    assert user_named("ada") is None


def test_missing_fields_are_each_reported(client):
    response = client.post("/signup", data={})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for field in ("email", "username", "display_name", "password"):
        assert f'id="{field}-error"' in html


def test_country_is_optional(client):
    client.post("/signup", data=form(country=""))
    assert user_named("ada").country is None


def test_signup_race_on_unique_username_gives_field_error_not_500(app, client, make_user, monkeypatch):
    """Validation passed, but someone else committed the same name just before us."""
    from core.schemas import users as schemas

    make_user("ada", email="first@example.org")
    monkeypatch.setattr(schemas.SignupSchema, "_username", lambda self, value, **kw: None)
    response = client.post("/signup", data=form(email="second@example.org"))
    assert response.status_code == 422
    assert re.search(r'id="username-error".*taken', response.get_data(as_text=True), re.S)
    assert db.session.scalar(db.select(db.func.count(User.id))) == 1


def test_unconfirmed_member_sees_notice_and_cannot_take_part(client, outbox):
    from core.permissions import is_active_member_account

    client.post("/signup", data=form())
    html = client.get("/").get_data(as_text=True)
    assert "Please confirm your email address" in html
    assert not is_active_member_account(user_named("ada"))


def test_confirmation_link_shows_a_button_and_post_confirms(client, outbox):
    client.post("/signup", data=form())
    link = confirm_link(outbox()[0])
    page = client.get(link)
    assert page.status_code == 200
    assert user_named("ada").email_confirmed_at is None  # a GET never writes
    response = client.post(link)
    assert response.status_code == 302
    assert user_named("ada").email_confirmed_at is not None
    assert "Please confirm your email address" not in client.get("/").get_data(as_text=True)


def test_confirmation_works_when_logged_out(app, client, outbox):
    client.post("/signup", data=form())
    link = confirm_link(outbox()[0])
    anonymous = app.test_client()
    assert anonymous.post(link).status_code == 302
    assert user_named("ada").email_confirmed


def test_tampered_confirmation_link_is_refused(client, outbox):
    client.post("/signup", data=form())
    link = confirm_link(outbox()[0])
    assert client.get(link + "x").status_code == 404
    assert client.post(link[:-3] + "abc").status_code == 404
    assert user_named("ada").email_confirmed_at is None


def test_expired_confirmation_link_is_refused(app, client, outbox, monkeypatch):
    from core.auth import tokens

    client.post("/signup", data=form())
    link = confirm_link(outbox()[0])
    monkeypatch.setattr(tokens, "CONFIRM_MAX_AGE", -1)
    response = client.post(link)
    assert response.status_code == 404
    assert "not valid" in response.get_data(as_text=True)
    assert user_named("ada").email_confirmed_at is None


def test_resend_confirmation_queues_a_new_mail(client, outbox):
    client.post("/signup", data=form())
    response = client.post("/confirm/resend", data={"next": "/settings/profile"})
    assert response.status_code == 302 and response.headers["Location"] == "/settings/profile"
    assert len(outbox()) == 2


def test_resend_confirmation_is_not_an_open_redirect(client, outbox):
    client.post("/signup", data=form())
    response = client.post("/confirm/resend", data={"next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_logged_in_member_visiting_signup_is_sent_home(member_client):
    assert member_client.get("/signup").status_code == 302
