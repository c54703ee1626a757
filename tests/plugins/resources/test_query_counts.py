"""Hub, topic, partner and resource pages run a fixed number of queries, whatever the data size."""
from __future__ import annotations

import pytest

from core.extensions import db


@pytest.fixture
def partner(app):
    from plugins.resources.models import Partner

    partner = Partner(slug="org", name="Org")
    db.session.add(partner)
    db.session.commit()
    return partner


def fill(make_resource, translate, partner, n):
    made = []
    for i in range(n):
        resource = make_resource(title=f"Resource {i}", partner_id=partner.id)
        translate(resource, "de", title=f"Ressource {i}")
        translate(resource, "de", title=f"Ressource {i} neu")
        made.append(resource)
    return made


def queries(client, path, count_queries):
    client.get(path)
    with count_queries() as statements:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(statements)


@pytest.mark.parametrize("who", ["visitor", "editor"])
def test_pages_have_constant_query_counts(app, login, client, hub, make_resource, translate, partner, writer,
                                          count_queries, who):
    browser = client if who == "visitor" else login(app.test_client(), writer)
    first = fill(make_resource, translate, partner, 1)[0]
    paths = ["/resources/wellbeing/", "/resources/wellbeing/t/grief/", "/resources/partners/org",
             f"/resources/wellbeing/r/{first.id}?lang=de"]
    few = {p: queries(browser, p, count_queries) for p in paths}
    fill(make_resource, translate, partner, 12)
    many = {p: queries(browser, p, count_queries) for p in paths}
    assert few == many
    assert all(count <= 6 for count in many.values()), many
