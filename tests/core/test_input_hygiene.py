"""Input no database column can hold is refused up front, the same way on SQLite and PostgreSQL.

NUL characters (PostgreSQL refuses them in text), lone surrogates (no driver can encode them)
and integers beyond the 32-bit id range (they overflow the column inside the query) were each a
500 found by fuzzing the API on PostgreSQL; now they are a 422 naming the field (API), a 400
page (forms) or a 404 (in the URL), and nothing is stored.
"""
from __future__ import annotations

import pytest

from core.extensions import db
from core.models import ApiToken, Group, User
from core.routing import MAX_ID

UNSTORABLE = "Remove the control character (NUL) or broken Unicode from this text."


def reload(user) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


@pytest.fixture
def token_client(app, member):
    _token, secret = ApiToken.issue(member, "tests")
    db.session.commit()
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return client


def test_nul_in_a_json_field_is_422_naming_the_field_and_nothing_is_stored(client):
    response = client.post("/api/v1/auth/signup", json={
        "email": "nul@example.org", "username": "nully", "display_name": "Nul\x00ly",
        "password": "velvet compass morning", "adult": True,
    })
    assert response.status_code == 422
    assert response.json["errors"] == {"json": {"display_name": [UNSTORABLE]}}
    assert db.session.scalar(db.select(User).where(User.username == "nully")) is None


def test_lone_surrogate_in_json_is_422_and_the_profile_is_kept(token_client, member):
    response = token_client.patch("/api/v1/me", data=b'{"bio": "half a pair \\ud800"}',
                                  content_type="application/json")
    assert response.status_code == 422
    assert response.json["errors"]["json"] == {"bio": [UNSTORABLE]}
    assert reload(member).bio == ""


def test_nested_values_are_named_by_their_position(token_client):
    response = token_client.post("/api/v1/groups", json={"name": "Nul", "slug": "nul",
                                                         "rules": ["Be kind", "No\x00pe"]})
    assert response.status_code == 422
    assert response.json["errors"]["json"] == {"rules": {"1": [UNSTORABLE]}}
    assert db.session.scalar(db.select(Group).where(Group.slug == "nul")) is None


def test_integers_beyond_the_id_range_in_json_are_422(token_client):
    response = token_client.post("/api/v1/auth/tokens", json={"name": 2**40})
    assert response.status_code == 422
    assert response.json["errors"]["json"]["name"] == [f"Use a number between {-MAX_ID} and {MAX_ID}."]
    assert token_client.post("/api/v1/auth/tokens", json={"name": MAX_ID}).status_code == 422  # a number, not text


def test_ordinary_unicode_tabs_and_newlines_pass(token_client, member):
    response = token_client.patch("/api/v1/me", json={"display_name": "Zoë 🌱", "bio": "line one\n\tline two"})
    assert response.status_code == 200
    assert (reload(member).display_name, reload(member).bio) == ("Zoë 🌱", "line one\n\tline two")


def test_nul_in_the_query_is_422_for_the_api_and_400_for_pages(admin_client):
    api = admin_client.get("/api/v1/users?q=a%00b")
    assert api.status_code == 422 and api.json["errors"] == {"query": {"q": [UNSTORABLE]}}
    page = admin_client.get("/g/?q=a%00b")
    assert page.status_code == 400 and page.mimetype == "text/html"
    assert "Bad request" in page.get_data(as_text=True)


def test_nul_in_a_form_field_is_400_and_changes_nothing(member_client, member):
    response = member_client.post("/settings/profile", data={"display_name": "Mem\x00ber", "bio": "new",
                                                             "locale": "en"})
    assert response.status_code == 400
    user = reload(member)
    assert (user.display_name, user.bio) == ("Member", "")


def test_nul_in_the_url_is_404(client, member):
    assert client.get("/u/mem%00ber").status_code == 404
    response = client.get("/api/v1/users/mem%00ber")
    assert response.status_code == 404 and response.is_json


@pytest.mark.parametrize("path", ["/api/v1/posts/99999999999999999999", f"/api/v1/posts/{MAX_ID + 1}",
                                  f"/api/v1/notifications/{2**63}/read", "/admin/users/99999999999999999999"])
def test_ids_beyond_the_integer_range_in_urls_are_404(admin_client, path):
    method = admin_client.post if path.endswith("/read") else admin_client.get
    assert method(path).status_code == 404


def test_the_largest_id_is_still_routed(admin_client):
    response = admin_client.get(f"/api/v1/posts/{MAX_ID}")
    assert response.status_code == 404 and response.json["message"] != "Not Found"  # the view answered


def test_openapi_documents_the_id_range(client):
    spec = client.get("/api/v1/openapi.json").json
    (param,) = spec["paths"]["/api/v1/posts/{post_id}"]["parameters"]
    assert param["schema"] == {"type": "integer", "minimum": 0, "maximum": MAX_ID}


@pytest.mark.parametrize("after", ["-1", "0", str(MAX_ID + 1), "100000000000000000001"])
def test_user_search_cursor_out_of_range_is_refused(admin_client, after):
    api = admin_client.get(f"/api/v1/users?after={after}")
    assert api.status_code == 422 and "after" in api.json["errors"]["query"]
    assert admin_client.get(f"/admin/users?after={after}").status_code == 400


def test_admin_user_list_with_a_forged_cursor_is_400_with_the_page_layout(admin_client):
    response = admin_client.get("/admin/users?after=abc")
    assert response.status_code == 400 and "<main" in response.get_data(as_text=True)
