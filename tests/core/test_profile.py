"""Profile pages, profile editing, the settings pages and API tokens on the web."""
from __future__ import annotations

import re

import pytest

from core.extensions import db
from core.models import ApiToken, User


def reload(user) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def test_profile_shows_name_bio_and_public_groups(client, make_user, make_group):
    ada = make_user("ada", display_name="Ada Lovelace", bio="Counting machines.\nAnd poetry.")
    make_group(slug="engines", name="Analytical Engines", members=(ada,))
    make_group(slug="secret", name="Secret Society", visibility="private", members=(ada,))
    html = client.get("/u/ada").get_data(as_text=True)
    assert "Ada Lovelace" in html and "@ada" in html
    assert "<p>Counting machines.</p>" in html and "<p>And poetry.</p>" in html
    assert "Analytical Engines" in html
    assert "Secret Society" not in html


def test_profile_shows_private_groups_to_fellow_members_and_to_themselves(app, make_user, make_group, login):
    ada, bob = make_user("ada"), make_user("bob")
    make_group(slug="secret", name="Secret Society", visibility="private", members=(ada, bob))
    assert "Secret Society" in login(app.test_client(), bob).get("/u/ada").get_data(as_text=True)
    assert "Secret Society" in login(app.test_client(), ada).get("/u/ada").get_data(as_text=True)
    outsider = login(app.test_client(), make_user("carol"))
    assert "Secret Society" not in outsider.get("/u/ada").get_data(as_text=True)


def test_profile_bio_is_escaped(client, make_user):
    make_user("ada", bio="<script>alert(1)</script>")
    html = client.get("/u/ada").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_unknown_profile_is_404(client):
    assert client.get("/u/nobody").status_code == 404


@pytest.mark.plugins("tests.core.account_probe")
def test_profile_hidden_by_a_plugin_is_404(app, make_user, enable_plugin, login):
    from tests.core import account_probe

    enable_plugin("account_probe")
    ada = make_user("ada")
    viewer = login(app.test_client(), make_user("bob"))
    account_probe.hidden.add(ada.id)
    try:
        assert viewer.get("/u/ada").status_code == 404
    finally:
        account_probe.hidden.clear()
    assert viewer.get("/u/ada").status_code == 200


def test_profile_url_is_case_insensitive(client, make_user):
    make_user("ada")
    assert client.get("/u/ADA").status_code == 200


def test_profile_page_uses_few_queries(app, client, make_user, make_group, count_queries):
    ada = make_user("ada")
    for i in range(12):
        make_group(slug=f"g{i}", members=(ada,))
    client.get("/u/ada")  # once-per-worker loads (plugin state, site profile) are not the page's cost
    with count_queries() as queries:
        assert client.get("/u/ada").status_code == 200
    assert len(queries) <= 6


def test_edit_profile_saves_and_shows(member_client, member):
    response = member_client.post("/settings/profile", data={
        "display_name": "  New Name  ", "bio": "Hello there", "locale": "de", "country": "de"})
    assert response.status_code == 302
    user = reload(member)
    assert (user.display_name, user.bio, user.locale, user.country) == ("New Name", "Hello there", "de", "DE")


@pytest.mark.parametrize("field, value, fragment", [
    ("bio", "x" * 1001, "at most 1000"),
    ("display_name", "", "required"),
    ("display_name", "x" * 81, "at most 80"),
    ("locale", "xx", "offered languages"),
    ("country", "QQ", "country from the list"),
])
def test_edit_profile_reports_bad_input_and_keeps_values(member_client, member, field, value, fragment):
    data = {"display_name": "Kept Name", "bio": "Kept bio", "locale": "en", "country": ""}
    data[field] = value
    response = member_client.post("/settings/profile", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(rf'id="{field}-error".*{fragment}', html, re.S)
    if field != "bio":
        assert "Kept bio" in html
    assert reload(member).display_name == "Member"


def test_settings_pages_share_a_navigation(member_client):
    html = member_client.get("/settings/profile").get_data(as_text=True)
    for path in ("/settings/profile", "/settings/password", "/settings/tokens", "/settings/data"):
        assert f'href="{path}"' in html
    assert 'aria-current="page"' in html


def test_settings_need_login(client):
    for path in ("/settings/profile", "/settings/password", "/settings/tokens", "/settings/data"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_api_token_secret_is_shown_once_and_stored_hashed(member_client, member):
    response = member_client.post("/settings/tokens", data={"name": "backup script"})
    assert response.status_code == 200
    secret = re.search(r'id="new-token" type="text" readonly value="(cg_[^"]+)"', response.get_data(as_text=True))
    assert secret
    secret = secret.group(1)
    token = db.session.scalar(db.select(ApiToken).where(ApiToken.user_id == member.id))
    assert token.name == "backup script" and token.token_hash == ApiToken.hash_secret(secret)
    assert secret not in token.token_hash
    listing = member_client.get("/settings/tokens").get_data(as_text=True)
    assert "backup script" in listing and token.prefix in listing and secret not in listing


def test_api_token_name_is_required(member_client):
    response = member_client.post("/settings/tokens", data={"name": ""})
    assert response.status_code == 422
    assert 'id="name-error"' in response.get_data(as_text=True)


def test_revoking_a_token_deletes_it(member_client, member):
    token, _secret = ApiToken.issue(member, "old")
    db.session.commit()
    assert member_client.post(f"/settings/tokens/{token.id}/revoke").status_code == 302
    assert db.session.scalar(db.select(db.func.count(ApiToken.id))) == 0


def test_someone_elses_token_cannot_be_revoked(member_client, make_user):
    other = make_user("other")
    token, _secret = ApiToken.issue(other, "theirs")
    db.session.commit()
    assert member_client.post(f"/settings/tokens/{token.id}/revoke").status_code == 404
    assert db.session.scalar(db.select(db.func.count(ApiToken.id))) == 1


def test_signup_and_profile_pages_are_accessible_forms(client, member_client):
    for c, path in ((client, "/signup"), (client, "/login"), (client, "/password/forgot"),
                    (member_client, "/settings/profile"), (member_client, "/settings/password"),
                    (member_client, "/settings/tokens"), (member_client, "/settings/data")):
        html = c.get(path).get_data(as_text=True)
        ids = re.findall(r'<(?:input|select|textarea)[^>]*\bid="(field-[a-z_]+)"', html)
        assert ids, path
        for field_id in ids:
            assert f'for="{field_id}"' in html, (path, field_id)
        # The forms need no script; the only ones are the site's deferred enhancements, never inline.
        assert all(re.fullmatch(r'<script src="/static/[\w.-]+\.js" defer>', tag)
                   for tag in re.findall(r"<script[^>]*>", html)), path
