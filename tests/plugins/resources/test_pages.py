"""Readers' pages: hub, topic, resource and partner pages; the "get help now" banner; languages."""
from __future__ import annotations


def test_hub_page_lists_topics_and_published_resources(client, hub, make_resource):
    make_resource(title="Coping with grief")
    make_resource(title="Secret draft", published=False)
    page = client.get("/resources/wellbeing/").get_data(as_text=True)
    assert "Loss and grief" in page and "Financial stress" in page
    assert "Coping with grief" in page
    assert "Secret draft" not in page


def test_hub_page_shows_get_help_now_when_the_help_center_is_on(client, hub):
    page = client.get("/resources/wellbeing/").get_data(as_text=True)
    assert "Get help now" in page and 'href="/help"' in page


def test_no_help_banner_when_the_help_center_is_off(app, client, hub):
    from core.plugins import state

    state.set_enabled("helpcenter", False)
    page = client.get("/resources/wellbeing/").get_data(as_text=True)
    assert "Get help now" not in page


def test_resource_page_shows_the_published_text(client, hub, make_resource):
    resource = make_resource(title="Coping with grief", body="**Talk** to someone.")
    page = client.get(f"/resources/wellbeing/r/{resource.id}").get_data(as_text=True)
    assert "Coping with grief" in page and "<strong>Talk</strong>" in page


def test_unpublished_resource_is_404_for_readers(client, member_client, hub, make_resource):
    resource = make_resource(published=False)
    assert client.get(f"/resources/wellbeing/r/{resource.id}").status_code == 404
    assert member_client.get(f"/resources/wellbeing/r/{resource.id}").status_code == 404


def test_unpublished_resource_is_shown_to_editors_marked_as_draft(app, login, hub, make_resource, reviewer):
    resource = make_resource(published=False)
    page = login(app.test_client(), reviewer).get(f"/resources/wellbeing/r/{resource.id}").get_data(as_text=True)
    assert "Draft – not published" in page


def test_topic_page_lists_its_resources_and_filters_by_type(client, hub, make_resource):
    make_resource(title="An article", kind="article")
    make_resource(title="A helpline", kind="helpline")
    page = client.get("/resources/wellbeing/t/grief/").get_data(as_text=True)
    assert "An article" in page and "A helpline" in page
    page = client.get("/resources/wellbeing/t/grief/?type=helpline").get_data(as_text=True)
    assert "A helpline" in page and "An article" not in page


def test_german_reader_sees_the_published_german_translation(client, hub, make_resource, translate):
    resource = make_resource(title="Coping with grief")
    translate(resource, "de", title="Mit Trauer umgehen", body="Sprich mit jemandem.")
    page = client.get(f"/resources/wellbeing/r/{resource.id}", headers={"Accept-Language": "de"}).get_data(
        as_text=True)
    assert "Mit Trauer umgehen" in page and "Coping with grief" not in page


def test_untranslated_resource_is_shown_in_the_original_with_a_note(client, hub, make_resource):
    resource = make_resource(title="Coping with grief")
    page = client.get(f"/resources/wellbeing/r/{resource.id}?lang=de").get_data(as_text=True)
    assert "Coping with grief" in page
    assert "noch nicht in deiner Sprache" in page or "not available in your language" in page


def test_a_draft_translation_is_not_shown_to_readers(client, hub, make_resource, translate):
    resource = make_resource(title="Coping with grief")
    translate(resource, "de", title="Entwurf auf Deutsch", published=False)
    page = client.get(f"/resources/wellbeing/r/{resource.id}?lang=de").get_data(as_text=True)
    assert "Entwurf auf Deutsch" not in page and "Coping with grief" in page


def test_unknown_locale_falls_back_with_a_note(client, hub, make_resource):
    resource = make_resource(title="Coping with grief")
    response = client.get(f"/resources/wellbeing/r/{resource.id}?lang=xx")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Coping with grief" in page and "“xx”" in page


def test_partner_page_lists_its_published_resources(client, hub, make_resource):
    from core.extensions import db
    from plugins.resources.models import Partner

    partner = Partner(slug="grief-org", name="Grief Org", description="Helping since 1990", verified=True)
    db.session.add(partner)
    db.session.commit()
    make_resource(title="From the partner", partner_id=partner.id)
    make_resource(title="Partner draft", partner_id=partner.id, published=False)
    page = client.get("/resources/partners/grief-org").get_data(as_text=True)
    assert "Grief Org" in page and "Verified partner" in page
    assert "From the partner" in page and "Partner draft" not in page


def test_unknown_hub_topic_resource_and_partner_are_404(client, hub):
    for url in ("/resources/nope/", "/resources/wellbeing/t/nope/", "/resources/wellbeing/r/999",
                "/resources/partners/nope"):
        assert client.get(url).status_code == 404, url


def test_pages_are_404_while_the_plugin_is_off(app, client, hub):
    from core.plugins import state

    state.set_enabled("resources", False)
    assert client.get("/resources/wellbeing/").status_code == 404


def test_the_hub_shows_five_per_topic_and_links_to_the_rest(client, hub, make_resource):
    for i in range(7):
        make_resource(title=f"Grief guide {i}")
    make_resource(title="Hidden draft", published=False)
    page = client.get("/resources/wellbeing/").get_data(as_text=True)
    assert [f"Grief guide {i}" in page for i in range(7)] == [True] * 5 + [False] * 2
    assert 'href="/resources/wellbeing/t/grief/">All resources on Loss and grief' in page


def test_a_topic_lists_its_resources_in_pages(client, hub, make_resource):
    import re

    made = [make_resource(title=f"Grief guide {i:02d}") for i in range(23)]
    first = client.get("/resources/wellbeing/t/grief/").get_data(as_text=True)
    assert len(re.findall(r"Grief guide \d\d", first)) == 20
    next_link = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    assert next_link.endswith(f"after={made[19].id}")
    second = client.get(next_link).get_data(as_text=True)
    assert re.findall(r"Grief guide \d\d", second) == ["Grief guide 20", "Grief guide 21", "Grief guide 22"]
    assert 'rel="next"' not in second


def test_the_api_lists_resources_in_pages(client, hub, make_resource):
    made = [make_resource(title=f"Guide {i}") for i in range(5)]
    url = "/api/v1/resource-hubs/wellbeing/resources"
    first = client.get(url, query_string={"limit": 3}).get_json()
    rest = client.get(url, query_string={"limit": 3, "after": first[-1]["id"]}).get_json()
    assert [r["id"] for r in first + rest] == [r.id for r in made]
    assert client.get(url, query_string={"limit": 0}).status_code == 422
