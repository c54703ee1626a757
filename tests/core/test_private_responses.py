"""Responses carrying a secret or a person's data are never stored by a browser or a proxy.

The page that shows a new API token's secret, and the API's token creation and data export,
lacked ``Cache-Control: no-store``: the back button, a shared computer's disk cache or a
caching proxy could keep a copy.
"""
from __future__ import annotations

import pytest

from core.extensions import db
from core.models import ApiToken


@pytest.fixture
def token_client(app, member):
    _token, secret = ApiToken.issue(member, "tests")
    db.session.commit()
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return client


def test_the_page_showing_a_new_token_is_not_stored(member_client):
    response = member_client.post("/settings/tokens", data={"name": "backup script"})
    assert response.status_code == 200 and "cg_" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"


def test_the_token_list_page_is_not_stored_either(member_client):
    assert member_client.get("/settings/tokens").headers["Cache-Control"] == "no-store"


def test_creating_a_token_through_the_api_is_not_stored(token_client):
    response = token_client.post("/api/v1/auth/tokens", json={"name": "ci"})
    assert response.status_code == 201 and response.json["token"]
    assert response.headers["Cache-Control"] == "no-store"


def test_the_api_data_export_is_not_stored(token_client, member):
    response = token_client.get("/api/v1/me/export")
    assert response.status_code == 200 and response.json["account"]["username"] == member.username
    assert response.headers["Cache-Control"] == "no-store"


def test_the_download_of_the_data_export_is_not_stored(member_client):
    assert member_client.get("/settings/data/export").headers["Cache-Control"] == "no-store"
