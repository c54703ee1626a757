"""Search within a hub and across hubs through the platform's search service, with filters."""
from __future__ import annotations

import pytest

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


@pytest.mark.parametrize("filters", ["", "&type=article&language=en", "&topic=1&partner=1"])
@pytest.mark.parametrize("who", ["visitor", "editor"])
def test_search_page_query_count_is_constant(app, client, login, writer, hub, make_resource, count_queries, filters,
                                             who):
    client = client if who == "visitor" else login(app.test_client(), writer)
    make_resource(title="Grief one")
    path = "/resources/wellbeing/search?q=grief" + filters
    client.get(path)
    with count_queries() as few:
        client.get(path)
    for i in range(25):
        make_resource(title=f"Grief {i}")
    with count_queries() as many:
        assert client.get(path).status_code == 200
    assert len(few) == len(many) <= 6


def test_a_filtered_match_ranked_below_a_hundred_unfiltered_hits_is_found(app, client, hub, make_resource):
    """The filters narrow core's ranked query itself, not the first hits it returned."""
    from core.search import search
    from plugins.resources.models import ResourceText

    for i in range(105):
        make_resource(title=f"Support group {i}", body="Support support support.", kind="article")
    wanted = make_resource(title="Night line", kind="helpline",
                           body="Call us any time. " * 40 + "We support you.")
    text_id = db.session.scalar(db.select(ResourceText.id).where(ResourceText.resource_id == wanted.id))
    with app.test_request_context():
        first_hundred = search(None, "support", types=["resources"], limit=100).items
    assert len(first_hundred) == 100
    assert text_id not in {hit.object_id for hit in first_hundred}  # it ranks below all the articles
    assert "Night line" in titles(client.get("/resources/wellbeing/search?q=support&type=helpline"))
    assert "Night line" in titles(client.get("/resources/search?q=support&type=helpline"))


def test_results_come_in_pages_with_a_link_to_the_next(client, hub, make_resource):
    import re

    for i in range(23):
        make_resource(title=f"Breathing exercise {i:02d}")
    first = titles(client.get("/resources/wellbeing/search?q=breathing&type=article"))
    shown_first = set(re.findall(r"Breathing exercise (\d\d)", first))
    assert len(shown_first) == 20
    next_link = re.search(r'href="([^"]+)" rel="next"', first).group(1).replace("&amp;", "&")
    assert "type=article" in next_link
    second = titles(client.get(next_link))
    shown_second = set(re.findall(r"Breathing exercise (\d\d)", second))
    assert len(shown_second) == 3 and not shown_first & shown_second and 'rel="next"' not in second


def test_a_forged_page_cursor_gets_a_message_at_the_field(client, hub, make_resource):
    make_resource(title="Breathing exercise")
    response = client.get("/resources/wellbeing/search?q=breathing&after=forged")
    assert response.status_code == 400 and 'id="after-error"' in response.get_data(as_text=True)


def test_group_hubs_are_left_out_of_the_search_across_hubs(client, app, hub, make_group, make_resource, enable_plugin):
    from plugins.resources.models import Hub

    group = make_group(slug="garden")
    enable_plugin("resources", group)
    db.session.execute(db.update(Hub).where(Hub.id == hub.id).values(group_id=group.id))
    db.session.commit()
    make_resource(title="Breathing exercise")
    assert "Breathing exercise" not in titles(client.get("/resources/search?q=breathing"))
    assert "Breathing exercise" in titles(client.get("/g/garden/resources/wellbeing/search?q=breathing"))
