"""Search within a hub and across hubs through the platform's search service, with filters."""
from __future__ import annotations

from core.extensions import db


def titles(response) -> str:
    """The page without the highlighting marks, so titles read as typed."""
    assert response.status_code == 200
    return response.get_data(as_text=True).replace("<mark>", "").replace("</mark>", "")


def test_a_published_resource_is_found_by_a_word_in_another_form(client, hub, make_resource):
    make_resource(title="Coping with grief", body="Talking helps when you are grieving.")
    page = titles(client.get("/resources/wellbeing/search?q=talked"))
    assert "Coping with grief" in page


def test_a_german_translation_is_found_by_a_german_word_in_another_form(client, hub, make_resource, translate):
    resource = make_resource(title="Coping with grief")
    translate(resource, "de", title="Mit Trauer umgehen", body="Gespräche mit Freundinnen helfen.")
    page = titles(client.get("/resources/wellbeing/search?q=Gespräch"))
    assert "Mit Trauer umgehen" in page
    target = client.get(f"/resources/texts/{_text_id(resource, 'de')}")
    assert target.status_code == 302 and target.headers["Location"].endswith(f"/r/{resource.id}?lang=de")


def _text_id(resource, locale):
    from plugins.resources.models import ResourceText

    return db.session.scalar(db.select(ResourceText.id).where(ResourceText.resource_id == resource.id,
                                                              ResourceText.locale == locale))


def test_unpublished_resources_and_draft_translations_are_never_found(app, login, client, hub, make_resource,
                                                                       translate, writer):
    make_resource(title="Secret draft", body="unpublishedword", published=False)
    resource = make_resource(title="Public")
    translate(resource, "de", title="Geheimer Entwurf", body="entwurfswort", published=False)
    for browser in (client, login(app.test_client(), writer)):
        assert "Secret draft" not in titles(browser.get("/resources/wellbeing/search?q=unpublishedword"))
        assert "Geheimer Entwurf" not in titles(browser.get("/resources/wellbeing/search?q=entwurfswort"))
        assert "Secret draft" not in titles(browser.get("/search?q=unpublishedword"))


def test_filters_by_topic_type_language_and_partner(client, hub, make_resource, translate):
    from plugins.resources.models import Partner, Topic

    money = db.session.scalar(db.select(Topic).where(Topic.slug == "money"))
    partner = Partner(slug="org", name="Org")
    db.session.add(partner)
    db.session.commit()
    grief = make_resource(title="Support article", kind="article")
    make_resource(title="Support helpline", kind="helpline", topic_id=money.id, partner_id=partner.id)
    translate(grief, "de", title="Unterstützung Support")
    base = "/resources/wellbeing/search?q=support"
    assert "Support helpline" in titles(client.get(base + f"&topic={money.id}"))
    assert "Support article" not in titles(client.get(base + f"&topic={money.id}"))
    assert "Support article" not in titles(client.get(base + "&type=helpline"))
    assert "Unterstützung Support" in titles(client.get(base + "&language=de"))
    assert "Support article" not in titles(client.get(base + "&language=de"))
    assert "Support article" not in titles(client.get(base + f"&partner={partner.id}"))
    assert "Support helpline" in titles(client.get(base + f"&partner={partner.id}"))


def test_search_across_hubs(client, hub, make_resource):
    from plugins.resources.models import Hub, Topic

    other = Hub(slug="other", title={"en": "Other hub"})
    db.session.add(other)
    db.session.flush()
    db.session.add(Topic(hub_id=other.id, slug="t", name={"en": "T"}))
    db.session.commit()
    make_resource(title="Breathing exercise")
    page = titles(client.get("/resources/search?q=breathing"))
    assert "Breathing exercise" in page and "Wellbeing" in page
    assert "Breathing exercise" not in titles(client.get("/resources/other/search?q=breathing"))


def test_bad_filters_get_a_message_at_the_field(client, hub):
    response = client.get("/resources/wellbeing/search?q=x&type=poem&language=xx")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="type-error"' in page and 'id="language-error"' in page


def test_search_page_query_count_is_constant(client, hub, make_resource, count_queries):
    make_resource(title="Grief one")
    client.get("/resources/wellbeing/search?q=grief")
    with count_queries() as few:
        client.get("/resources/wellbeing/search?q=grief")
    for i in range(10):
        make_resource(title=f"Grief {i}")
    with count_queries() as many:
        client.get("/resources/wellbeing/search?q=grief")
    assert len(few) == len(many) <= 7
