"""The JSON API: same rules as the pages, errors naming the field, documented in OpenAPI."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.extensions import db
from core.models import ApiToken
from plugins.reporting.models import Appeal, Block, Report


@pytest.fixture
def api(app):
    """``api(user)``: a client sending ``user``'s personal API token."""

    def make(user):
        _token, secret = ApiToken.issue(user, "tests")
        db.session.commit()
        client = app.test_client()
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
        return client

    return make


def post_report(client, content_type, content_id, category="harassment", **extra):
    return client.post("/api/v1/reports", json={"content_type": content_type, "content_id": content_id,
                                                "category": category, **extra})


def test_openapi_documents_the_reporting_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path in ("/api/v1/reports", "/api/v1/reports/{report_id}", "/api/v1/moderation/queue",
                 "/api/v1/moderation/cases/{case_id}", "/api/v1/moderation/cases/{case_id}/decisions",
                 "/api/v1/moderation/cases/{case_id}/notes", "/api/v1/moderation/cases/{case_id}/claim",
                 "/api/v1/moderation/appeals", "/api/v1/moderation/appeals/{appeal_id}/decision",
                 "/api/v1/moderation/audit", "/api/v1/decisions", "/api/v1/decisions/{decision_id}",
                 "/api/v1/decisions/{decision_id}/appeal", "/api/v1/blocks", "/api/v1/blocks/{username}"):
        assert path in paths, path


def test_report_through_the_api(community, api):
    response = post_report(api(community.alice), "post", community.post.id, rule="Be kind", note="mean")
    assert response.status_code == 201
    body = response.json
    assert body["status"] == "open" and body["category"] == "harassment" and body["support_resources"] == []
    mine = api(community.alice).get("/api/v1/reports").json
    assert [r["id"] for r in mine] == [body["id"]]
    assert api(community.alice).get(f"/api/v1/reports/{body['id']}").status_code == 200
    assert api(community.carol).get(f"/api/v1/reports/{body['id']}").status_code == 404


def test_self_harm_report_returns_help_at_once(community, api):
    body = post_report(api(community.alice), "post", community.post.id, category="self_harm").json
    assert body["support_resources"][0]["kind"] == "emergency"
    assert body["support_resources"][0]["phone"]


def test_api_report_errors(community, api, client, make_user, make_group, make_post):
    alice = api(community.alice)
    assert post_report(client, "post", community.post.id).status_code == 401
    assert post_report(alice, "post", 99999).status_code == 404
    assert post_report(alice, "gizmo", 1).status_code == 404
    insider = make_user("insider")
    secret = make_group(slug="secret", visibility="private", members=(insider,))
    assert post_report(alice, "post", make_post(secret, insider, "psst").id).status_code == 404
    too_long = post_report(alice, "post", community.post.id, note="n" * 1001)
    assert too_long.status_code == 422 and "note" in too_long.json["errors"]["json"]
    bad_rule = post_report(alice, "post", community.post.id, rule="Invented")
    assert bad_rule.status_code == 422 and "rule" in bad_rule.json["errors"]["json"]
    bad_category = post_report(alice, "post", community.post.id, category="meh")
    assert bad_category.status_code == 422 and "category" in bad_category.json["errors"]["json"]
    assert post_report(alice, "post", community.post.id).status_code == 201
    twice = post_report(alice, "post", community.post.id)
    assert twice.status_code == 409 and "already reported" in twice.json["message"]
    assert db.session.scalar(select(func.count(Report.id))) == 1


def test_api_rate_limit(community, api, make_post):
    from core.plugins import settings as plugin_settings

    plugin_settings.save_settings("reporting", {"reports_per_hour": 1})
    alice = api(community.alice)
    assert post_report(alice, "post", community.post.id).status_code == 201
    assert post_report(alice, "comment", community.comment.id).status_code == 429


def test_moderator_queue_case_notes_claim_and_decision(community, api):
    report_id = post_report(api(community.alice), "post", community.post.id).json["id"]
    mod = api(community.moderator)
    queue = mod.get("/api/v1/moderation/queue?group=garden")
    assert queue.status_code == 200
    [item] = queue.json["items"]
    assert item["report_count"] == 1 and item["author"]["username"] == "bob" and item["group"] == "garden"
    case_id = item["id"]
    detail = mod.get(f"/api/v1/moderation/cases/{case_id}").json
    assert detail["reports"][0]["reporter"]["username"] == "alice"
    assert mod.post(f"/api/v1/moderation/cases/{case_id}/claim").json["claimed_by"]["username"] == "mod"
    assert mod.delete(f"/api/v1/moderation/cases/{case_id}/claim").json["claimed_by"] is None
    note = mod.post(f"/api/v1/moderation/cases/{case_id}/notes", json={"text": "watch this"})
    assert note.status_code == 201 and note.json["text"] == "watch this"
    assert mod.post(f"/api/v1/moderation/cases/{case_id}/notes", json={"text": ""}).status_code == 422
    bad = mod.post(f"/api/v1/moderation/cases/{case_id}/decisions", json={"actions": ["keep", "hide"]})
    assert bad.status_code == 422 and "actions" in bad.json["errors"]["json"]
    no_why = mod.post(f"/api/v1/moderation/cases/{case_id}/decisions", json={"actions": ["warn"]})
    assert no_why.status_code == 422 and "explanation" in no_why.json["errors"]["json"]
    decided = mod.post(f"/api/v1/moderation/cases/{case_id}/decisions",
                       json={"actions": ["hide", "warn"], "explanation": "Not kind", "rule": "Be kind"})
    assert decided.status_code == 201 and decided.json["actions"] == ["hide", "warn"]
    assert mod.get("/api/v1/moderation/queue?group=garden").json["items"] == []
    resolved = mod.get("/api/v1/moderation/queue?group=garden&state=resolved").json["items"]
    assert resolved[0]["hidden"] is True and resolved[0]["outcome"] == "action"
    assert api(community.alice).get(f"/api/v1/reports/{report_id}").json["outcome"] == "action"


def test_non_moderators_get_404_from_every_moderation_endpoint(community, api, site_admin):
    post_report(api(community.alice), "post", community.post.id)
    case_id = api(community.moderator).get("/api/v1/moderation/queue?group=garden").json["items"][0]["id"]
    for person in (community.alice, community.bob, community.carol):
        client = api(person)
        assert client.get("/api/v1/moderation/queue?group=garden").status_code == 404
        assert client.get("/api/v1/moderation/queue").status_code == 404
        assert client.get(f"/api/v1/moderation/cases/{case_id}").status_code == 404
        assert client.post(f"/api/v1/moderation/cases/{case_id}/claim").status_code == 404
        assert client.post(f"/api/v1/moderation/cases/{case_id}/notes", json={"text": "x"}).status_code == 404
        assert client.post(f"/api/v1/moderation/cases/{case_id}/decisions",
                           json={"actions": ["keep"]}).status_code == 404
        assert client.get("/api/v1/moderation/audit?group=garden").status_code == 404
        assert client.get("/api/v1/moderation/appeals?group=garden").status_code == 404
    assert api(community.moderator).get("/api/v1/moderation/queue").status_code == 404
    assert api(site_admin).get("/api/v1/moderation/queue").status_code == 200


def test_decisions_and_appeals_through_the_api(community, api):
    post_report(api(community.alice), "post", community.post.id)
    mod = api(community.moderator)
    case_id = mod.get("/api/v1/moderation/queue?group=garden").json["items"][0]["id"]
    mod.post(f"/api/v1/moderation/cases/{case_id}/decisions", json={"actions": ["hide"], "explanation": "Rude"})
    bob = api(community.bob)
    [decision] = bob.get("/api/v1/decisions").json
    assert decision["actions"] == ["hide"] and decision["can_appeal"] is True and "moderator" not in decision
    assert api(community.alice).get(f"/api/v1/decisions/{decision['id']}").status_code == 404
    too_long = bob.post(f"/api/v1/decisions/{decision['id']}/appeal", json={"text": "z" * 2001})
    assert too_long.status_code == 422 and "text" in too_long.json["errors"]["json"]
    created = bob.post(f"/api/v1/decisions/{decision['id']}/appeal", json={"text": "It was a joke"})
    assert created.status_code == 201 and created.json["state"] == "pending"
    assert bob.post(f"/api/v1/decisions/{decision['id']}/appeal", json={"text": "again"}).status_code == 409
    assert db.session.scalar(select(func.count(Appeal.id))) == 1
    [pending] = api(community.moderator2).get("/api/v1/moderation/appeals?group=garden").json
    same = mod.post(f"/api/v1/moderation/appeals/{pending['id']}/decision", json={"outcome": "overturned"})
    assert same.status_code == 403
    assert bob.post(f"/api/v1/moderation/appeals/{pending['id']}/decision",
                    json={"outcome": "overturned"}).status_code == 404
    other = api(community.moderator2).post(f"/api/v1/moderation/appeals/{pending['id']}/decision",
                                           json={"outcome": "overturned", "response": "ok"})
    assert other.status_code == 200 and other.json["state"] == "overturned"
    assert bob.get(f"/api/v1/decisions/{decision['id']}").json["overturned"] is True


def test_audit_log_through_the_api(community, api, site_admin):
    post_report(api(community.alice), "post", community.post.id)
    mod = api(community.moderator)
    case_id = mod.get("/api/v1/moderation/queue?group=garden").json["items"][0]["id"]
    mod.post(f"/api/v1/moderation/cases/{case_id}/decisions", json={"actions": ["keep"]})
    entries = mod.get("/api/v1/moderation/audit?group=garden").json
    assert entries[0]["action"] == "decision" and entries[0]["actor"]["username"] == "mod"
    assert entries[0]["group"] == "garden"
    assert mod.get("/api/v1/moderation/audit").status_code == 404
    assert api(site_admin).get("/api/v1/moderation/audit").json[0]["action"] == "decision"


def test_blocks_through_the_api(community, api):
    alice = api(community.alice)
    created = alice.post("/api/v1/blocks", json={"username": "carol"})
    assert created.status_code == 201 and created.json["username"] == "carol"
    assert [b["username"] for b in alice.get("/api/v1/blocks").json] == ["carol"]
    myself = alice.post("/api/v1/blocks", json={"username": "alice"})
    assert myself.status_code == 422 and "username" in myself.json["errors"]["json"]
    assert alice.post("/api/v1/blocks", json={"username": "ghost"}).status_code == 404
    assert alice.post("/api/v1/blocks", json={}).status_code == 422
    assert api(community.carol).get("/api/v1/users/alice").status_code == 404
    assert alice.delete("/api/v1/blocks/carol").status_code == 204
    assert alice.delete("/api/v1/blocks/carol").status_code == 404
    assert db.session.scalar(select(func.count(Block.id))) == 0


@pytest.mark.parametrize("before", ["0", "201332208619985", "-1"])
def test_audit_cursor_out_of_range_is_a_422_naming_the_field(community, api, site_admin, before):
    response = api(site_admin).get(f"/api/v1/moderation/audit?before={before}")
    assert response.status_code == 422
    assert "before" in response.json["errors"]["query"]
