"""API: /api/v1/notifications (session or token), marking read, email preferences."""
from __future__ import annotations

import pytest

from core.extensions import db
from core.models import ApiToken, Notification, NotificationPreference
from core.notifications.core_kinds import core_email_kinds
from core.notify import notify

# Core's email kinds members can switch off (plugins add theirs to the app's registry).
CORE_EMAIL_KINDS = tuple(kind.name for kind in core_email_kinds() if kind.label is not None)


@pytest.fixture
def people(make_user, make_group):
    owner = make_user("olga", display_name="Olga Owner")
    actor = make_user("paul", display_name="Paul")
    group = make_group(owner=owner, slug="garden-club", name="Garden Club")
    return owner, actor, group


@pytest.fixture
def token_headers(app, people):
    owner = people[0]
    _, secret = ApiToken.issue(owner, "cli")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def add_notes(user, actor, group, count):
    for n in range(count):
        db.session.add(Notification(user_id=user.id, kind="post_reply", actor_id=actor.id, group_id=group.id,
                                    url=f"/g/{group.slug}/posts/{n}"))
    db.session.commit()


def test_listing_needs_authentication(client):
    response = client.get("/api/v1/notifications")
    assert response.status_code == 401
    assert response.json["message"].startswith("Authentication required")


def test_list_with_a_token(client, people, token_headers):
    owner, actor, group = people
    notify(owner, "join_request", actor=actor, group=group, url="/g/garden-club/requests")
    db.session.commit()
    response = client.get("/api/v1/notifications", headers=token_headers)
    assert response.status_code == 200
    [item] = response.json["items"]
    assert item["kind"] == "join_request"
    assert item["text"] == "Paul asked to join Garden Club."
    assert item["url"] == "/g/garden-club/requests"
    assert item["actor"] == {"username": "paul", "display_name": "Paul", "avatar_url": None}
    assert item["group"] == {"slug": "garden-club", "name": "Garden Club"}
    assert item["read"] is False and item["read_at"] is None
    assert response.json["next"] is None
    assert response.json["unread_count"] == 1


def test_list_pages_with_before_and_filters_unread(client, login, people):
    owner, actor, group = people
    add_notes(owner, actor, group, 5)
    login(client, owner)
    first = client.get("/api/v1/notifications?limit=3").json
    assert [i["url"][-1] for i in first["items"]] == ["4", "3", "2"]
    second = client.get(f"/api/v1/notifications?limit=3&before={first['next']}").json
    assert [i["url"][-1] for i in second["items"]] == ["1", "0"] and second["next"] is None

    client.post(f"/api/v1/notifications/{first['items'][0]['id']}/read")
    unread = client.get("/api/v1/notifications?unread=1").json
    assert [i["url"][-1] for i in unread["items"]] == ["3", "2", "1", "0"]
    assert unread["unread_count"] == 4


def test_bad_arguments_name_the_field(client, login, people):
    login(client, people[0])
    response = client.get("/api/v1/notifications?before=nonsense")
    assert response.status_code == 422 and response.json["errors"]["query"]["before"] == ["Invalid cursor."]
    response = client.get("/api/v1/notifications?limit=1000")
    assert response.status_code == 422 and "limit" in response.json["errors"]["query"]
    response = client.get("/api/v1/notifications?unread=perhaps")
    assert response.status_code == 422 and "unread" in response.json["errors"]["query"]


def test_mark_one_read(client, login, people):
    owner, actor, group = people
    add_notes(owner, actor, group, 1)
    note = db.session.scalar(db.select(Notification))
    login(client, owner)
    response = client.post(f"/api/v1/notifications/{note.id}/read")
    assert response.status_code == 200
    assert response.json["read"] is True and response.json["read_at"]


def test_someone_elses_notification_is_404(client, login, people):
    owner, actor, group = people
    add_notes(actor, owner, group, 1)
    note = db.session.scalar(db.select(Notification))
    login(client, owner)
    assert client.post(f"/api/v1/notifications/{note.id}/read").status_code == 404
    db.session.expire_all()
    assert db.session.get(Notification, note.id).read_at is None


def test_read_all_reports_how_many(client, people, token_headers):
    owner, actor, group = people
    add_notes(owner, actor, group, 3)
    add_notes(actor, owner, group, 2)
    response = client.post("/api/v1/notifications/read-all", headers=token_headers)
    assert response.json == {"marked": 3}
    assert client.post("/api/v1/notifications/read-all", headers=token_headers).json == {"marked": 0}


def test_session_posts_need_csrf_but_token_posts_do_not(app, client, login, people, token_headers):
    app.config["WTF_CSRF_ENABLED"] = True
    login(client, people[0])
    response = client.post("/api/v1/notifications/read-all")
    assert response.status_code == 400 and "csrf_token" in response.json["errors"]
    assert client.post("/api/v1/notifications/read-all", headers=token_headers).status_code == 200


def test_preferences_default_to_email_on_and_carry_labels(client, people, token_headers):
    response = client.get("/api/v1/notifications/preferences", headers=token_headers)
    assert response.json["email"] == {kind: True for kind in CORE_EMAIL_KINDS}
    assert response.json["labels"]["post_reply"] == "Someone comments on your post"


def test_put_changes_only_the_kinds_sent(client, people, token_headers):
    response = client.put("/api/v1/notifications/preferences", json={"email": {"post_reply": False}},
                          headers=token_headers)
    assert response.status_code == 200
    assert response.json["email"] == {kind: kind != "post_reply" for kind in CORE_EMAIL_KINDS}
    prefs = db.session.scalars(db.select(NotificationPreference)).all()
    assert [(p.kind, p.email_enabled) for p in prefs] == [("post_reply", False)]
    response = client.put("/api/v1/notifications/preferences", json={"email": {}}, headers=token_headers)
    assert response.json["email"]["post_reply"] is False


def test_put_rejects_unknown_kinds_and_non_booleans_naming_the_field(client, people, token_headers):
    def put(body):
        return client.put("/api/v1/notifications/preferences", json=body, headers=token_headers)

    response = put({"email": {"gossip": True, "post_reply": False}})
    assert response.status_code == 422
    assert response.json["errors"]["json"]["email"] == {"gossip": ["Unknown kind of notification."]}
    response = put({"email": {"invitation": "maybe"}})
    assert response.status_code == 422 and "invitation" in response.json["errors"]["json"]["email"]
    response = put({"post_reply": False})
    assert response.status_code == 422 and set(response.json["errors"]["json"]) == {"email", "post_reply"}
    response = client.put("/api/v1/notifications/preferences", data="{oops", headers=token_headers,
                          content_type="application/json")
    assert response.status_code == 400 and "json" in response.json["errors"]
    assert db.session.scalars(db.select(NotificationPreference)).all() == []


def test_preferences_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert {"get", "put"} <= set(paths["/api/v1/notifications/preferences"])
    assert "/api/v1/notifications/{notification_id}/read" in paths
