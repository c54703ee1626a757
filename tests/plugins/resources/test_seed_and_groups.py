"""The demo hub, and hubs that belong to a group."""
from __future__ import annotations

from core.extensions import db


def test_demo_hub_has_five_topics_and_samples_in_english_and_german(app, make_user, client):
    from plugins.resources.seed import seed_demo_hub

    make_user("admin", is_site_admin=True)
    make_user("editor")
    seed_demo_hub()
    seed_demo_hub()  # harmless twice
    db.session.commit()
    page = client.get("/resources/emotional-health/").get_data(as_text=True)
    for name in ("Financial stress", "Parenting", "Loss and grief", "Substance use", "Emotional health"):
        assert name in page
    assert "Sample: Grieving after a loss" in page and "samples" in page
    german = client.get("/resources/emotional-health/", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert "Beispiel: Trauern nach einem Verlust" in german and "Finanzielle Sorgen" in german


def test_a_groups_hub_lives_under_the_group_and_follows_the_group_switch(app, client, make_group, enable_plugin,
                                                                        login):
    from core.plugins import state
    from plugins.resources.models import Hub

    group = make_group(slug="garden")
    enable_plugin("resources", group=group)
    db.session.add(Hub(slug="garden-help", group_id=group.id, title={"en": "Garden help"}))
    db.session.commit()
    assert client.get("/g/garden/resources/garden-help/").status_code == 200
    assert client.get("/resources/garden-help/").status_code == 404  # not at the site-wide address
    assert "Garden help" in client.get("/g/garden/resources/").get_data(as_text=True)
    state.set_group_enabled("resources", group, False)
    assert client.get("/g/garden/resources/garden-help/").status_code == 404


def test_group_admins_own_their_groups_hub(app, make_group, make_user, enable_plugin, login):
    from plugins.resources.models import Hub

    owner = make_user("gardener")
    group = make_group(owner=owner, slug="garden")
    enable_plugin("resources", group=group)
    db.session.add(Hub(slug="garden-help", group_id=group.id, title={"en": "Garden help"}))
    db.session.commit()
    assert login(app.test_client(), owner).get("/g/garden/resources/garden-help/editors").status_code == 200


def test_site_admins_start_hubs_and_add_topics(admin_client, client):
    response = admin_client.post("/resources/new-hub", data={"title_en": "Money matters", "title_de": "Geld"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/resources/money-matters/")
    assert admin_client.post("/resources/money-matters/new-topic", data={"title_en": "Debt"}).status_code == 302
    assert "Debt" in client.get("/resources/money-matters/").get_data(as_text=True)


def test_members_cannot_start_site_hubs_and_a_name_is_required(member_client, admin_client):
    assert member_client.get("/resources/new-hub").status_code == 404
    response = admin_client.post("/resources/new-hub", data={"title_en": ""})
    assert response.status_code == 400 and 'id="title_en-error"' in response.get_data(as_text=True)


def test_group_admins_start_their_groups_hubs(app, make_group, make_user, enable_plugin, login, client):
    owner = make_user("gardener")
    group = make_group(owner=owner, slug="garden")
    enable_plugin("resources", group=group)
    response = login(app.test_client(), owner).post("/g/garden/resources/new-hub", data={"title_en": "Plants"})
    assert response.status_code == 302 and "/g/garden/resources/plants/" in response.headers["Location"]
    from plugins.resources.models import Hub

    assert db.session.scalar(db.select(Hub.group_id).where(Hub.slug == "plants")) == group.id


def test_switching_the_plugin_on_brings_the_demo_hub_once(app, make_user):
    from core.plugins import state
    from plugins.resources.models import Hub

    make_user("admin", is_site_admin=True)
    state.set_enabled("resources", False)
    state.set_enabled("resources", True)
    db.session.commit()
    assert db.session.scalars(db.select(Hub.slug)).all() == ["emotional-health"]
