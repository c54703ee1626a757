"""A plugin's lazily translated validation messages read as sentences, on pages and in the API.

``_l(...)`` in ``error_messages``, ``raise ValidationError(_l(...))`` in a validator or a
whole-form check: marshmallow keeps such a message unwrapped, and it used to be rendered one
letter per line (``<li>T</li><li>h</li>...``).
"""
from __future__ import annotations

import re

import pytest

from core.schemas.error_messages import field_errors, message_list, plain_messages

FORMPLUGIN = "tests.plugins.fixtures.formplugin"


@pytest.fixture
def app_plugins():
    return [FORMPLUGIN]


@pytest.fixture(autouse=True)
def enabled(app, enable_plugin):
    enable_plugin("formplugin")


def field_messages(html: str, field: str) -> list[str]:
    block = re.search(rf'<ul class="field-errors" id="{field}-error">(.*?)</ul>', html, re.S)
    assert block is not None, f"no errors shown next to {field}"
    return re.findall(r"<li>(.*?)</li>", block.group(1))


def test_a_missing_field_says_so_in_a_sentence(client):
    response = client.post("/formplugin/", data={})
    assert response.status_code == 400
    assert field_messages(response.text, "title") == ["This field is required."]


def test_a_validators_lazy_message_is_one_sentence(client):
    assert field_messages(client.post("/formplugin/", data={"title": "HELLO"}).text, "title") == [
        "Not a valid value."]


def test_a_whole_form_check_is_one_sentence(client):
    html = client.post("/formplugin/", data={"title": "nothing"}).text
    assert field_messages(html, "_schema") == ["This field is required."]


def test_messages_are_in_the_members_language(app, client, login, make_user):
    login(client, make_user("dora", locale="de"))
    html = client.post("/formplugin/", data={"count": "many"}).text
    assert field_messages(html, "title") == ["Dieses Feld ist erforderlich."]
    assert field_messages(html, "count") == ["Kein gültiger Wert."]


def test_the_api_names_each_field_with_a_list_of_sentences(client):
    response = client.post("/api/v1/formplugin/entries", json={"title": "HELLO", "count": "x"})
    assert response.status_code == 422
    assert response.json["errors"] == {"json": {"title": ["Not a valid value."], "count": ["Not a valid value."]}}
    response = client.post("/api/v1/formplugin/entries", json={})
    assert response.json["errors"] == {"json": {"title": ["This field is required."]}}


def test_plain_messages_keep_nested_errors_and_flatten_nothing_else(app):
    from flask_babel import lazy_gettext as _l

    messages = {"title": _l("Not a valid value."), "tags": {0: [_l("This field is required.")]}, "_schema": ["x"]}
    assert plain_messages(messages) == {"title": ["Not a valid value."], "tags": {0: ["This field is required."]},
                                        "_schema": ["x"]}
    assert message_list({0: ["a"], 1: ["b", "c"]}) == ["a", "b", "c"]
    from marshmallow import ValidationError

    assert field_errors(ValidationError(_l("Not a valid value."))) == {"_schema": ["Not a valid value."]}
