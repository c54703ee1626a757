"""JSON API: groups, members and roles, join requests and invitations."""
from __future__ import annotations

import pytest

from core.extensions import db
from core.models import ApiToken, Group, Invitation, JoinRequest, Membership, Notification


@pytest.fixture
def bearer(app):
    """``bearer(user)``: headers with a fresh personal API token for ``user``."""

    def make(user) -> dict[str, str]:
        _token, secret = ApiToken.issue(user, "tests")
        db.session.commit()
        return {"Authorization": f"Bearer {secret}"}

    return make


def _role(group, user):
    db.session.expire_all()
    return db.session.scalar(
        db.select(Membership.role).where(Membership.group_id == group.id, Membership.user_id == user.id)
    )


NEW_GROUP = {"slug": "api-club", "name": "API Club", "description": "Made by a script", "rules": ["Be nice"],
             "visibility": "public", "join_mode": "open"}


# --- groups --------------------------------------------------------------------------------------


def test_create_group_with_token(client, member, bearer):
    response = client.post("/api/v1/groups", json=NEW_GROUP, headers=bearer(member))
    assert response.status_code == 201
    body = response.get_json()
    assert body["slug"] == "api-club" and body["rules"] == ["Be nice"] and body["viewer_role"] == "owner"
    assert body["member_count"] == 1
    assert response.headers["Location"].endswith("/api/v1/groups/api-club")
    group = db.session.scalar(db.select(Group))
    assert _role(group, member) == "owner"


def test_create_group_needs_authentication(client):
    response = client.post("/api/v1/groups", json=NEW_GROUP)
    assert response.status_code == 401
    assert db.session.scalar(db.select(Group.id)) is None


@pytest.mark.parametrize(("change", "field"), [
    ({"name": ""}, "name"),
    ({"name": "x" * 101}, "name"),
    ({"slug": "Bad Slug!"}, "slug"),
    ({"slug": "new"}, "slug"),
    ({"rules": [f"rule {n}" for n in range(11)]}, "rules"),
    ({"rules": ["x" * 201]}, "rules"),
    ({"visibility": "hidden"}, "visibility"),
    ({"join_mode": "request"}, "join_question"),
    ({"join_mode": "request", "join_question": "q" * 301}, "join_question"),
    ({"unexpected": 1}, "unexpected"),
])
def test_invalid_group_is_422_naming_the_field(member_client, change, field):
    response = member_client.post("/api/v1/groups", json={**NEW_GROUP, **change})
    assert response.status_code == 422
    assert field in response.get_json()["errors"]["json"]
    assert db.session.scalar(db.select(Group.id)) is None


def test_missing_required_fields_are_named(member_client):
    response = member_client.post("/api/v1/groups", json={})
    assert response.status_code == 422
    assert set(response.get_json()["errors"]["json"]) == {"slug", "name"}


def test_duplicate_slug_is_422_naming_slug(member_client, make_group):
    make_group(slug="api-club")
    response = member_client.post("/api/v1/groups", json=NEW_GROUP)
    assert response.status_code == 422
    body = response.get_json()
    assert "already taken" in body["errors"]["json"]["slug"][0]
    assert "already taken" in body["message"]


def test_malformed_json_is_400(member_client):
    response = member_client.post("/api/v1/groups", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.is_json


def test_unconfirmed_account_gets_403_with_reason(client, make_user, bearer):
    user = make_user("fresh", email_confirmed_at=None)
    response = client.post("/api/v1/groups", json=NEW_GROUP, headers=bearer(user))
    assert response.status_code == 403
    assert "Confirm your email" in response.get_json()["message"]


def test_list_groups_searches_and_paginates(client, make_group):
    for n in range(5):
        make_group(slug=f"garden-{n}", name=f"Garden {n}")
    make_group(slug="books", name="Books", visibility="private", description="Secret readers")
    first = client.get("/api/v1/groups?q=garden&limit=3").get_json()
    assert len(first["items"]) == 3
    second = client.get(f"/api/v1/groups?q=garden&limit=3&after={first['next']}").get_json()
    assert len(second["items"]) == 2
    # Best match first; equally good ones newest first, each once.
    assert sorted(g["slug"] for g in first["items"] + second["items"]) == [f"garden-{n}" for n in range(5)]
    assert second["next"] is None
    private = client.get("/api/v1/groups?q=secret").get_json()["items"]
    assert private[0]["name"] == "Books" and private[0]["rules"] is None


def test_list_groups_with_forged_cursor_is_422(client):
    response = client.get("/api/v1/groups?after=garbage")
    assert response.status_code == 422
    assert "after" in response.get_json()["errors"]["query"]


def test_get_group_hides_rules_of_private_group_from_non_members(client, member_client, member, make_group):
    make_group(slug="hidden", visibility="private", rules=["Secret"])
    assert client.get("/api/v1/groups/hidden").get_json()["rules"] is None
    assert client.get("/api/v1/groups/nope").status_code == 404


def test_patch_group_by_admin(client, login, make_user, make_group):
    admin = make_user("admin1")
    group = make_group(slug="club", members=[(admin, "admin")])
    login(client, admin)
    response = client.patch("/api/v1/groups/club", json={"description": "Updated", "visibility": "private"})
    assert response.status_code == 200
    assert response.get_json()["description"] == "Updated"
    db.session.expire_all()
    assert db.session.get(Group, group.id).visibility == "private"


def test_patch_to_request_mode_needs_a_question(client, login, make_user, make_group):
    owner = make_user("owner")
    make_group(owner=owner, slug="club")
    login(client, owner)
    response = client.patch("/api/v1/groups/club", json={"join_mode": "request"})
    assert response.status_code == 422
    assert "join_question" in response.get_json()["errors"]["json"]
    ok = client.patch("/api/v1/groups/club", json={"join_mode": "request", "join_question": "Why?"})
    assert ok.status_code == 200


def test_patch_group_by_member_is_404(member_client, member, make_group):
    make_group(slug="club", members=[member])
    assert member_client.patch("/api/v1/groups/club", json={"name": "Mine now"}).status_code == 404


def test_slug_cannot_be_patched(client, login, make_user, make_group):
    owner = make_user("owner")
    make_group(owner=owner, slug="club")
    login(client, owner)
    response = client.patch("/api/v1/groups/club", json={"slug": "other"})
    assert response.status_code == 422 and "slug" in response.get_json()["errors"]["json"]


# --- members -------------------------------------------------------------------------------------


def test_join_open_group_and_list_members(member_client, member, make_group):
    group = make_group(slug="club")
    response = member_client.post("/api/v1/groups/club/members", json={})
    assert response.status_code == 201
    assert response.get_json()["status"] == "joined"
    assert response.get_json()["membership"]["user"]["username"] == "member"
    members = member_client.get("/api/v1/groups/club/members").get_json()
    assert [m["role"] for m in members["items"]] == ["owner", "member"]
    assert _role(group, member) == "member"


def test_joining_twice_is_409(member_client, member, make_group):
    make_group(slug="club", members=[member])
    response = member_client.post("/api/v1/groups/club/members", json={})
    assert response.status_code == 409
    assert "already a member" in response.get_json()["message"]


def test_request_needs_answer_then_waits(member_client, member, make_group):
    group = make_group(slug="circle", join_mode="request", join_question="Why?")
    missing = member_client.post("/api/v1/groups/circle/members", json={})
    assert missing.status_code == 422 and "answer" in missing.get_json()["errors"]["json"]
    response = member_client.post("/api/v1/groups/circle/members", json={"answer": "Because"})
    assert response.status_code == 202
    assert response.get_json() == {"status": "requested", "membership": None}
    assert _role(group, member) is None


def test_private_member_list_is_404_for_non_members(client, member_client, make_group):
    make_group(slug="hidden", visibility="private")
    assert member_client.get("/api/v1/groups/hidden/members").status_code == 404
    assert client.get("/api/v1/groups/hidden/members").status_code == 404


def test_leave_with_members_me(member_client, member, make_group):
    group = make_group(slug="club", members=[member])
    assert member_client.delete("/api/v1/groups/club/members/me").status_code == 204
    assert _role(group, member) is None


def test_last_owner_leaving_is_409_with_message(client, login, make_user, make_group):
    owner = make_user("owner")
    group = make_group(owner=owner, slug="club")
    login(client, owner)
    response = client.delete("/api/v1/groups/club/members/me")
    assert response.status_code == 409
    assert "only owner" in response.get_json()["message"]
    assert _role(group, owner) == "owner"


def test_change_role_and_remove(client, login, make_user, make_group):
    owner, person = make_user("owner"), make_user("person")
    group = make_group(owner=owner, slug="club", members=[person])
    login(client, owner)
    response = client.patch("/api/v1/groups/club/members/person", json={"role": "moderator"})
    assert response.status_code == 200 and response.get_json()["role"] == "moderator"
    assert client.patch("/api/v1/groups/club/members/person", json={"role": "king"}).status_code == 422
    assert client.delete("/api/v1/groups/club/members/person").status_code == 204
    assert _role(group, person) is None
    assert client.delete("/api/v1/groups/club/members/person").status_code == 404


def test_member_cannot_change_roles(member_client, member, make_user, make_group):
    other = make_user("other")
    group = make_group(slug="club", members=[member, other])
    assert member_client.patch("/api/v1/groups/club/members/other", json={"role": "admin"}).status_code == 404
    assert member_client.delete("/api/v1/groups/club/members/other").status_code == 404
    assert _role(group, other) == "member"


def test_transfer_ownership(client, login, make_user, make_group):
    owner, heir = make_user("owner"), make_user("heir")
    group = make_group(owner=owner, slug="club", members=[heir])
    login(client, owner)
    response = client.post("/api/v1/groups/club/owner", json={"username": "heir"})
    assert response.status_code == 200 and response.get_json()["role"] == "owner"
    assert _role(group, owner) == "admin"


# --- requests ------------------------------------------------------------------------------------


def test_moderator_lists_and_approves_requests(client, login, member, member_client, make_user, make_group):
    mod = make_user("mod")
    group = make_group(slug="circle", join_mode="request", join_question="Why?", members=[(mod, "moderator")])
    member_client.post("/api/v1/groups/circle/members", json={"answer": "Reasons"})
    assert member_client.get("/api/v1/groups/circle/requests").status_code == 404
    login(client, mod)
    listing = client.get("/api/v1/groups/circle/requests").get_json()
    [item] = listing["items"]
    assert item["answer"] == "Reasons" and item["user"]["username"] == "member"
    response = client.post(f"/api/v1/groups/circle/requests/{item['id']}/approve")
    assert response.status_code == 200 and response.get_json()["status"] == "approved"
    assert _role(group, member) == "member"
    again = client.post(f"/api/v1/groups/circle/requests/{item['id']}/deny")
    assert again.status_code == 409


def test_deny_request(client, login, member, member_client, make_user, make_group):
    owner = make_user("owner")
    make_group(owner=owner, slug="circle", join_mode="request", join_question="Why?")
    member_client.post("/api/v1/groups/circle/members", json={"answer": "Reasons"})
    request_id = db.session.scalar(db.select(JoinRequest.id))
    login(client, owner)
    assert client.post(f"/api/v1/groups/circle/requests/{request_id}/deny").get_json()["status"] == "denied"
    assert db.session.scalar(db.select(Notification.kind).where(Notification.user_id == member.id)) == \
        "request_denied"


def test_withdraw_own_request(member_client, make_group):
    make_group(slug="circle", join_mode="request", join_question="Why?")
    member_client.post("/api/v1/groups/circle/members", json={"answer": "Reasons"})
    assert member_client.delete("/api/v1/groups/circle/requests/me").status_code == 204
    assert member_client.delete("/api/v1/groups/circle/requests/me").status_code == 404


# --- invitations ---------------------------------------------------------------------------------


def test_invite_accept_flow(client, login, make_user, make_group, bearer):
    inviter, invitee = make_user("inviter"), make_user("invitee")
    group = make_group(slug="club", members=[inviter])
    response = client.post("/api/v1/groups/club/invitations", json={"username": "invitee"}, headers=bearer(inviter))
    assert response.status_code == 201
    invitation = response.get_json()
    assert invitation["group"]["slug"] == "club" and invitation["invited_by"]["username"] == "inviter"
    headers = bearer(invitee)
    mine = client.get("/api/v1/invitations", headers=headers).get_json()
    assert [i["id"] for i in mine] == [invitation["id"]]
    other = client.post(f"/api/v1/invitations/{invitation['id']}/accept", headers=bearer(make_user("stranger")))
    assert other.status_code == 404
    accepted = client.post(f"/api/v1/invitations/{invitation['id']}/accept", headers=headers)
    assert accepted.status_code == 200 and accepted.get_json()["role"] == "member"
    assert _role(group, invitee) == "member"
    assert client.post(f"/api/v1/invitations/{invitation['id']}/decline", headers=headers).status_code == 404


def test_decline_invitation(client, make_user, make_group, bearer):
    inviter, invitee = make_user("inviter"), make_user("invitee")
    make_group(slug="club", members=[inviter])
    client.post("/api/v1/groups/club/invitations", json={"username": "invitee"}, headers=bearer(inviter))
    invitation_id = db.session.scalar(db.select(Invitation.id))
    response = client.post(f"/api/v1/invitations/{invitation_id}/decline", headers=bearer(invitee))
    assert response.status_code == 200 and response.get_json()["status"] == "declined"


def test_invite_unknown_user_is_422_naming_username(member_client, member, make_group):
    make_group(slug="club", members=[member])
    response = member_client.post("/api/v1/groups/club/invitations", json={"username": "ghost"})
    assert response.status_code == 422
    assert "username" in response.get_json()["errors"]["json"]


def test_openapi_documents_group_endpoints(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    for path in ("/api/v1/groups", "/api/v1/groups/{slug}", "/api/v1/groups/{slug}/members",
                 "/api/v1/groups/{slug}/members/{username}", "/api/v1/groups/{slug}/requests",
                 "/api/v1/groups/{slug}/invitations", "/api/v1/invitations/{invitation_id}/accept"):
        assert path in spec["paths"], path
    assert "Group" in spec["components"]["schemas"]
