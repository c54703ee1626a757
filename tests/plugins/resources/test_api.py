"""The JSON API: hubs, topics, resources, translations, revisions and partners under /api/v1."""
from __future__ import annotations

from core.extensions import db


def test_hubs_and_topics(client, hub):
    hubs = client.get("/api/v1/resource-hubs").get_json()
    assert [h["slug"] for h in hubs] == ["wellbeing"]
    detail = client.get("/api/v1/resource-hubs/wellbeing").get_json()
    assert [t["slug"] for t in detail["topics"]] == ["grief", "money"]


def test_resources_in_the_readers_language_with_fallback(client, hub, make_resource, translate):
    translated, plain = make_resource(title="Grief"), make_resource(title="Money")
    translate(translated, "de", title="Trauer")
    found = client.get("/api/v1/resource-hubs/wellbeing/resources?lang=de").get_json()
    by_id = {r["id"]: r for r in found}
    assert by_id[translated.id]["title"] == "Trauer" and by_id[translated.id]["fallback"] is False
    assert by_id[plain.id]["title"] == "Money" and by_id[plain.id]["fallback"] is True


def test_unpublished_resource_is_404_for_non_editors(app, client, member_client, login, hub, make_resource, writer):
    resource = make_resource(published=False)
    url = f"/api/v1/resource-hubs/wellbeing/resources/{resource.id}"
    assert client.get(url).status_code == 404
    assert member_client.get(url).status_code == 404
    assert login(app.test_client(), writer).get(url).status_code == 200
    assert resource.id not in [r["id"] for r in client.get("/api/v1/resource-hubs/wellbeing/resources").get_json()]


def test_translation_draft_publish_by_another_editor(app, login, client, hub, make_resource, writer, reviewer):
    resource = make_resource(title="Grief")
    writer_api, reviewer_api = login(app.test_client(), writer), login(app.test_client(), reviewer)
    saved = writer_api.put(f"/api/v1/resource-hubs/wellbeing/resources/{resource.id}/texts/de",
                           json={"title": "Trauer", "body": "Text", "version": 0})
    assert saved.status_code == 201, saved.get_json()
    revision_id = saved.get_json()["id"]
    own = writer_api.post(f"/api/v1/resource-hubs/wellbeing/revisions/{revision_id}/publish", json={})
    assert own.status_code == 403
    published = reviewer_api.post(f"/api/v1/resource-hubs/wellbeing/revisions/{revision_id}/publish",
                                  json={"note": "ok"})
    assert published.status_code == 200 and published.get_json()["status"] == "published"
    assert client.get(f"/api/v1/resource-hubs/wellbeing/resources/{resource.id}?lang=de").get_json()["title"] == \
        "Trauer"
    revisions = reviewer_api.get(f"/api/v1/resource-hubs/wellbeing/resources/{resource.id}/texts/de/revisions")
    assert [r["number"] for r in revisions.get_json()] == [1]


def test_concurrent_save_is_a_409_naming_the_field(app, login, hub, make_resource, writer, reviewer):
    resource = make_resource()
    url = f"/api/v1/resource-hubs/wellbeing/resources/{resource.id}/texts/en"
    assert login(app.test_client(), writer).put(url, json={"title": "A", "version": 1}).status_code == 201
    late = login(app.test_client(), reviewer).put(url, json={"title": "B", "version": 1})
    assert late.status_code == 409 and "version" in late.get_json()["errors"]["json"]


def test_bad_input_names_the_field(app, login, hub, topic, writer):
    api = login(app.test_client(), writer)
    response = api.post("/api/v1/resource-hubs/wellbeing/resources",
                        json={"title": "X", "topic_id": topic.id, "link": "javascript:alert(1)",
                              "body": "{{ nope }}"})
    assert response.status_code == 422
    errors = response.get_json()["errors"]["json"]
    assert "link" in errors and "body" in errors


def test_create_needs_an_editor(member_client, hub, topic):
    response = member_client.post("/api/v1/resource-hubs/wellbeing/resources", json={"title": "X",
                                                                                   "topic_id": topic.id})
    assert response.status_code == 404


def test_partners(client, hub):
    from plugins.resources.models import Partner

    db.session.add(Partner(slug="org", name="Org", verified=True))
    db.session.commit()
    assert [p["slug"] for p in client.get("/api/v1/resource-partners").get_json()] == ["org"]
    assert client.get("/api/v1/resource-partners/org").get_json()["verified"] is True
    assert client.get("/api/v1/resource-partners/none").status_code == 404


def test_paths_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("/api/v1/resource-hubs", "/api/v1/resource-hubs/{hub}/resources",
                 "/api/v1/resource-hubs/{hub}/resources/{resource_id}/texts/{locale}",
                 "/api/v1/resource-hubs/{hub}/revisions/{revision_id}/publish", "/api/v1/resource-partners"):
        assert path in paths, path
