"""The API creates and changes hubs, topics and partners, saves a resource's facts and reverts revisions,
with the pages' permissions (404 for what you may not touch) and errors naming the field."""
from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image

from core.extensions import db

HUBS = "/api/v1/resource-hubs"


def field_errors(response) -> dict:
    return (response.get_json().get("errors") or {}).get("json", {})


@pytest.fixture
def writer_api(app, login, writer):
    return login(app.test_client(), writer)


@pytest.fixture
def reviewer_api(app, login, reviewer):
    return login(app.test_client(), reviewer)


@pytest.fixture
def owner_api(app, login, make_editor):
    return login(app.test_client(), make_editor("keeper", role="owner"))


@pytest.fixture
def garden(make_group, make_user, enable_plugin):
    gardener = make_user("gardener")
    group = make_group(owner=gardener, slug="garden", members=(make_user("sprout"),))
    enable_plugin("resources", group=group)
    return group


# --- hubs -------------------------------------------------------------------------------------


def test_a_site_admin_creates_a_site_hub(admin_client, app):
    response = admin_client.post(HUBS, json={"title_en": "Money matters", "title_de": "Geldfragen"})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["slug"] == "money-matters" and response.get_json()["group"] is None
    assert response.get_json()["title"] == {"en": "Money matters", "de": "Geldfragen"}


def test_a_member_cannot_create_a_site_hub_and_a_visitor_must_log_in(member_client, client):
    assert member_client.post(HUBS, json={"title_en": "Mine"}).status_code == 404
    assert client.post(HUBS, json={"title_en": "Mine"}).status_code == 401


def test_a_hub_needs_an_english_name(admin_client):
    response = admin_client.post(HUBS, json={"title_de": "Nur Deutsch"})
    assert response.status_code == 422 and "title_en" in field_errors(response)


def test_a_group_admin_creates_a_hub_in_their_group(app, login, garden, make_user):
    from core.models import User

    gardener = db.session.scalar(db.select(User).where(User.username == "gardener"))
    response = login(app.test_client(), gardener).post(HUBS, json={"title_en": "Plants", "group": "garden"})
    assert response.status_code == 201 and response.get_json()["group"] == "garden"


@pytest.mark.parametrize("group", ["garden", "nowhere"])
def test_a_hub_in_a_group_one_does_not_run_is_404_naming_the_field(app, login, garden, group):
    from core.models import User

    sprout = db.session.scalar(db.select(User).where(User.username == "sprout"))
    response = login(app.test_client(), sprout).post(HUBS, json={"title_en": "Plants", "group": group})
    assert response.status_code == 404 and "group" in field_errors(response)


def test_an_owner_changes_only_the_fields_sent(owner_api, hub):
    response = owner_api.patch(f"{HUBS}/wellbeing", json={"intro_de": "Hilfe nach Thema."})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["title"] == {"en": "Wellbeing", "de": "Wohlbefinden"}
    assert response.get_json()["intro"] == {"en": "Help by topic.", "de": "Hilfe nach Thema."}


def test_an_editor_who_does_not_own_the_hub_cannot_change_it(writer_api, hub):
    assert writer_api.patch(f"{HUBS}/wellbeing", json={"title_de": "Meins"}).status_code == 404


def test_a_hub_s_english_name_cannot_be_emptied(owner_api, hub):
    response = owner_api.patch(f"{HUBS}/wellbeing", json={"title_en": ""})
    assert response.status_code == 422 and "title_en" in field_errors(response)


# --- topics -----------------------------------------------------------------------------------


def test_an_owner_adds_a_topic_with_its_helplines(owner_api, client, hub):
    response = owner_api.post(f"{HUBS}/wellbeing/topics", json={"title_en": "Parenting", "helpline_topic": "family"})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["slug"] == "parenting" and response.get_json()["helpline_topic"] == "family"
    assert "parenting" in [t["slug"] for t in client.get(f"{HUBS}/wellbeing").get_json()["topics"]]


def test_an_unknown_helpline_topic_is_refused_at_the_field(owner_api, hub):
    response = owner_api.post(f"{HUBS}/wellbeing/topics", json={"title_en": "Odd", "helpline_topic": "astrology"})
    assert response.status_code == 422 and "helpline_topic" in field_errors(response)


def test_editors_who_do_not_own_the_hub_cannot_add_or_change_topics(writer_api, hub):
    assert writer_api.post(f"{HUBS}/wellbeing/topics", json={"title_en": "Mine"}).status_code == 404
    assert writer_api.patch(f"{HUBS}/wellbeing/topics/grief", json={"title_en": "Mine"}).status_code == 404


def test_an_owner_changes_a_topic(owner_api, hub):
    response = owner_api.patch(f"{HUBS}/wellbeing/topics/grief", json={"title_de": "Trauer", "helpline_topic": None})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["name"] == {"en": "Loss and grief", "de": "Trauer"}
    assert response.get_json()["helpline_topic"] is None
    assert owner_api.patch(f"{HUBS}/wellbeing/topics/nothing", json={"title_de": "X"}).status_code == 404


# --- partners ---------------------------------------------------------------------------------


def test_an_editor_adds_a_partner_but_cannot_verify_it(writer_api, hub):
    response = writer_api.post("/api/v1/resource-partners", json={"name": "Helpful Org", "country": "de",
                                                                  "languages": ["de"]})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["verified"] is False and response.get_json()["country"] == "DE"
    refused = writer_api.post("/api/v1/resource-partners", json={"name": "Other Org", "verified": True})
    assert refused.status_code == 403 and "verified" in field_errors(refused)


def test_a_site_admin_verifies_a_partner(admin_client, hub):
    created = admin_client.post("/api/v1/resource-partners", json={"name": "Helpful Org"}).get_json()
    response = admin_client.patch(f"/api/v1/resource-partners/{created['slug']}", json={"verified": True})
    assert response.status_code == 200 and response.get_json()["verified"] is True
    assert response.get_json()["name"] == "Helpful Org"


def test_a_member_without_a_hub_role_cannot_add_partners(member_client, hub):
    assert member_client.post("/api/v1/resource-partners", json={"name": "Mine"}).status_code == 404


@pytest.mark.parametrize("field, value", [("link", "javascript:alert(1)"), ("country", "XX"), ("languages", ["xx"]),
                                          ("name", "")])
def test_bad_partner_input_names_the_field(writer_api, hub, field, value):
    response = writer_api.post("/api/v1/resource-partners", json={"name": "Org", field: value})
    assert response.status_code == 422 and field in field_errors(response)


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 300), "teal").save(out, "PNG")
    return out.getvalue()


def test_a_partner_logo_is_uploaded_re_encoded_and_removed(writer_api, client, hub):
    slug = writer_api.post("/api/v1/resource-partners", json={"name": "Org"}).get_json()["slug"]
    response = writer_api.put(f"/api/v1/resource-partners/{slug}/logo", data={"logo": (io.BytesIO(_png()), "l.png")},
                              content_type="multipart/form-data")
    assert response.status_code == 200, response.get_json()
    logo = client.get(response.get_json()["logo_url"].split("localhost", 1)[-1])
    assert logo.status_code == 200 and max(Image.open(io.BytesIO(logo.data)).size) <= 400
    removed = writer_api.delete(f"/api/v1/resource-partners/{slug}/logo")
    assert removed.status_code == 200 and removed.get_json()["logo_url"] is None


def test_a_partner_logo_is_kept_by_the_clean_up_of_orphaned_files(app, writer_api, hub, stored_keys):
    """Its column is declared through ``stored_files``, so the sweep knows the file is in use."""
    from datetime import timedelta

    from core.models.base import utcnow
    from core.storage.orphans import sweep

    slug = writer_api.post("/api/v1/resource-partners", json={"name": "Org"}).get_json()["slug"]
    writer_api.put(f"/api/v1/resource-partners/{slug}/logo", data={"logo": (io.BytesIO(_png()), "l.png")},
                   content_type="multipart/form-data")
    logo_url = writer_api.get(f"/api/v1/resource-partners/{slug}").get_json()["logo_url"]
    sweep(now=utcnow() + timedelta(days=2))
    assert stored_keys() == [logo_url.split("/files/", 1)[1]]


def test_a_logo_that_is_not_an_image_is_refused_naming_the_field(writer_api, hub):
    slug = writer_api.post("/api/v1/resource-partners", json={"name": "Org"}).get_json()["slug"]
    response = writer_api.put(f"/api/v1/resource-partners/{slug}/logo",
                              data={"logo": (io.BytesIO(b"%PDF-1.4"), "l.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 422 and "logo" in response.get_json()["errors"]["files"]


# --- a resource's facts and reverting ---------------------------------------------------------


def test_an_editor_proposes_new_facts_that_apply_when_another_publishes(writer_api, reviewer_api, client, hub,
                                                                        make_resource):
    resource = make_resource(title="Grief line", kind="article")
    url = f"{HUBS}/wellbeing/resources/{resource.id}"
    draft = writer_api.put(url, json={"title": "Grief line", "topic_id": resource.topic_id, "kind": "helpline",
                                      "link": "https://example.org/line", "review_by": "2030-01-31", "version": 1})
    assert draft.status_code == 201, draft.get_json()
    assert client.get(url).get_json()["kind"] == "article"  # not before review
    assert reviewer_api.post(f"{HUBS}/wellbeing/revisions/{draft.get_json()['id']}/publish", json={}).status_code == 200
    shown = client.get(url).get_json()
    assert (shown["kind"], shown["link"], shown["review_by"]) == ("helpline", "https://example.org/line", "2030-01-31")


def test_facts_from_a_stale_version_are_a_409_and_a_foreign_topic_a_422(writer_api, hub, make_resource):
    resource = make_resource()
    url = f"{HUBS}/wellbeing/resources/{resource.id}"
    stale = writer_api.put(url, json={"title": "T", "topic_id": resource.topic_id, "version": 0})
    assert stale.status_code == 409 and "version" in field_errors(stale)
    foreign = writer_api.put(url, json={"title": "T", "topic_id": 999999, "version": 1})
    assert foreign.status_code == 422 and "topic_id" in field_errors(foreign)


def test_a_non_editor_cannot_save_facts(member_client, hub, make_resource):
    resource = make_resource()
    response = member_client.put(f"{HUBS}/wellbeing/resources/{resource.id}",
                                 json={"title": "T", "topic_id": resource.topic_id, "version": 1})
    assert response.status_code == 404


def _revisions(api, resource):
    return api.get(f"{HUBS}/wellbeing/resources/{resource.id}/texts/en/revisions").get_json()


def test_revert_makes_a_draft_with_the_old_words_for_another_editor(writer_api, reviewer_api, hub, make_resource):
    resource = make_resource(title="First words")
    url = f"{HUBS}/wellbeing/resources/{resource.id}/texts/en"
    assert writer_api.put(url, json={"title": "Second words", "version": 1}).status_code == 201
    first = _revisions(writer_api, resource)[-1]
    response = reviewer_api.post(f"{HUBS}/wellbeing/revisions/{first['id']}/revert", json={"version": 2})
    assert response.status_code == 201, response.get_json()
    draft = response.get_json()
    assert (draft["number"], draft["title"], draft["status"]) == (3, "First words", "draft")
    assert reviewer_api.post(f"{HUBS}/wellbeing/revisions/{draft['id']}/publish", json={}).status_code == 403
    assert writer_api.post(f"{HUBS}/wellbeing/revisions/{draft['id']}/publish", json={}).status_code == 200


def test_revert_from_a_stale_version_is_a_409_and_saves_nothing(writer_api, reviewer_api, hub, make_resource):
    resource = make_resource(title="First words")
    url = f"{HUBS}/wellbeing/resources/{resource.id}/texts/en"
    writer_api.put(url, json={"title": "Second words", "version": 1})
    first = _revisions(writer_api, resource)[-1]
    response = reviewer_api.post(f"{HUBS}/wellbeing/revisions/{first['id']}/revert", json={"version": 1})
    assert response.status_code == 409 and "version" in field_errors(response)
    assert len(_revisions(writer_api, resource)) == 2


def test_revert_is_404_for_non_editors_and_other_hubs_revisions(member_client, writer_api, hub, make_resource):
    resource = make_resource()
    revision_id = _revisions(writer_api, resource)[0]["id"]
    assert member_client.post(f"{HUBS}/wellbeing/revisions/{revision_id}/revert", json={}).status_code == 404
    assert writer_api.post(f"{HUBS}/wellbeing/revisions/999999/revert", json={}).status_code == 404


# --- what needs attention ---------------------------------------------------------------------


def test_editors_read_what_needs_attention(writer_api, member_client, hub, make_resource):
    resource = make_resource(title="Untranslated", review_by=date(2020, 1, 1))
    response = writer_api.get(f"{HUBS}/wellbeing/attention")
    assert response.status_code == 200
    assert response.get_json() == {"items": [{"resource_id": resource.id, "title": "Untranslated", "language": "en",
                                              "review_by": "2020-01-01", "stale": True,
                                              "translations": {"de": "missing"}, "drafts": []}], "next": None}
    assert member_client.get(f"{HUBS}/wellbeing/attention").status_code == 404
    assert writer_api.get(f"{HUBS}/wellbeing/attention?after=0").status_code == 422


def test_the_new_paths_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"post"} <= set(paths["/api/v1/resource-hubs"])
    assert {"patch"} <= set(paths["/api/v1/resource-hubs/{hub}"])
    assert {"post"} <= set(paths["/api/v1/resource-hubs/{hub}/topics"])
    assert {"patch"} <= set(paths["/api/v1/resource-hubs/{hub}/topics/{topic}"])
    assert {"put"} <= set(paths["/api/v1/resource-hubs/{hub}/resources/{resource_id}"])
    assert {"post"} <= set(paths["/api/v1/resource-hubs/{hub}/revisions/{revision_id}/revert"])
    assert {"get"} <= set(paths["/api/v1/resource-hubs/{hub}/attention"])
    assert {"post"} <= set(paths["/api/v1/resource-partners"])
    assert {"patch"} <= set(paths["/api/v1/resource-partners/{partner}"])
    assert {"put", "delete"} <= set(paths["/api/v1/resource-partners/{partner}/logo"])
