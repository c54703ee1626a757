"""One handler answers a refused action (``ActionError``) for every page and API view."""
from __future__ import annotations

import pytest

from core.groups.errors import Conflict, InvalidInput, NotAllowed, NotFound

REFUSALS = {
    "not-found": NotFound(),
    "not-allowed": NotAllowed("Confirm your email address first."),
    "conflict": Conflict("You are already a member."),
    "invalid": InvalidInput("That name is taken.", field="slug"),
}

pytestmark = pytest.mark.fresh_app  # the tests add routes that raise each refusal


@pytest.fixture
def client(app):
    def refuse(kind: str):
        raise REFUSALS[kind]

    app.add_url_rule("/refuse/<kind>", "refuse_page", refuse)
    app.add_url_rule("/api/v1/refuse/<kind>", "refuse_api", refuse)
    return app.test_client()


@pytest.mark.parametrize(("kind", "status"), [("not-found", 404), ("not-allowed", 403), ("conflict", 409),
                                              ("invalid", 422)])
def test_the_api_answers_json_with_the_actions_status_and_message(client, kind, status):
    response = client.get(f"/api/v1/refuse/{kind}")
    assert response.status_code == status
    body = response.get_json()
    assert body["code"] == status
    assert body["message"] == ("Not found" if kind == "not-found" else REFUSALS[kind].message)


def test_the_api_names_the_field_of_invalid_input(client):
    assert client.get("/api/v1/refuse/invalid").get_json()["errors"] == {"json": {"slug": ["That name is taken."]}}


def test_pages_show_the_refusal_and_never_reveal_what_is_not_found(client):
    assert client.get("/refuse/not-found").status_code == 404
    forbidden = client.get("/refuse/not-allowed")
    assert forbidden.status_code == 403 and "Confirm your email address first." in forbidden.get_data(as_text=True)
    clash = client.get("/refuse/conflict")
    assert clash.status_code == 409 and "You are already a member." in clash.get_data(as_text=True)
