"""A group's hubs are drawn inside the group's header and tabs (core's ``render_group_page``)."""
from __future__ import annotations

import re

import pytest

from core.extensions import db


@pytest.fixture
def garden(make_group, make_user, enable_plugin, hub):
    """The ``hub`` fixture's hub, moved into the public group "garden" (owned by ``gardener``)."""
    from plugins.resources.models import Hub

    group = make_group(owner=make_user("gardener"), slug="garden", name="Garden friends")
    enable_plugin("resources", group=group)
    db.session.execute(db.update(Hub).where(Hub.id == hub.id).values(group_id=group.id))
    db.session.commit()
    return group


def group_frame(page: str) -> bool:
    """The group's header (its name as the page's h1) and its tabs, the Resources tab current."""
    header = re.search(r'<header class="group-header">\s*<h1><a href="/g/garden">Garden friends</a></h1>', page)
    current = re.search(r'<a[^>]*aria-current="page"[^>]*>\s*Resources', page)
    return bool(header and current) and page.count("<h1") == 1


@pytest.mark.parametrize("path", ["/g/garden/resources/", "/g/garden/resources/wellbeing/",
                                  "/g/garden/resources/wellbeing/t/grief/",
                                  "/g/garden/resources/wellbeing/search?q=grief"])
def test_group_hub_pages_show_the_group_header_and_tabs(client, garden, make_resource, path):
    make_resource(title="Coping with grief")
    response = client.get(path)
    assert response.status_code == 200 and group_frame(response.get_data(as_text=True))


def test_a_group_resource_page_shows_the_group_frame_and_the_title_names_the_group(client, garden, make_resource):
    resource = make_resource(title="Coping with grief")
    page = client.get(f"/g/garden/resources/wellbeing/r/{resource.id}").get_data(as_text=True)
    assert group_frame(page) and "<title>Coping with grief · Garden friends" in page
    assert '<h2>Coping with grief</h2>' in page


def test_editor_pages_of_a_group_hub_show_the_group_frame(app, login, garden, make_resource, writer):
    resource = make_resource()
    editor = login(app.test_client(), writer)
    for path in (f"/g/garden/resources/wellbeing/r/{resource.id}/edit/de",
                 f"/g/garden/resources/wellbeing/r/{resource.id}/history/en", "/g/garden/resources/wellbeing/new"):
        response = editor.get(path)
        assert response.status_code == 200 and group_frame(response.get_data(as_text=True)), path


def test_site_hub_pages_keep_their_own_frame(client, hub, make_resource):
    page = client.get("/resources/wellbeing/").get_data(as_text=True)
    assert 'class="group-header"' not in page and "<h1>Wellbeing</h1>" in page


@pytest.mark.parametrize("who", ["visitor", "member", "editor"])
def test_group_hub_pages_have_constant_query_counts_within_budget(app, client, login, garden, make_resource,
                                                                 translate, writer, make_user, count_queries, who):
    browser = {"visitor": client, "member": login(app.test_client(), make_user("reader")),
               "editor": login(app.test_client(), writer)}[who]
    first = make_resource(title="Resource 0")
    paths = ["/g/garden/resources/", "/g/garden/resources/wellbeing/", "/g/garden/resources/wellbeing/t/grief/",
             f"/g/garden/resources/wellbeing/r/{first.id}?lang=de"]

    def counted() -> dict[str, int]:
        found = {}
        for path in paths:
            browser.get(path)
            with count_queries() as statements:
                assert browser.get(path).status_code == 200, path
            found[path] = len(statements)
        return found

    few = counted()
    for i in range(1, 12):
        translate(make_resource(title=f"Resource {i}"), "de", title=f"Ressource {i}")
    many = counted()
    assert few == many
    assert all(count <= 6 for count in many.values()), many
