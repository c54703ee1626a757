"""Resource hubs in headless Chromium, with CSRF on: a German translation goes from draft to reader.

An editor drafts a German translation and cannot publish it herself; another editor publishes
it; a reader with a German browser sees it, with the helpline numbers taken live from the help
center's directory, and finds it by searching a German word in another form.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from core.extensions import db

PASSWORD = "correct horse battery"
SHOTS = "/tmp/res-shots"


@pytest.fixture
def app_plugins() -> list[str]:
    return ["plugins.resources", "plugins.helpcenter"]


@pytest.fixture
def app(app, enable_plugin):
    enable_plugin("helpcenter")
    enable_plugin("resources")
    return app


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/login")
    page.locator("#field-login").fill(username)
    page.locator("#field-password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("navigation", name=re.compile("Main|Haupt"))).to_contain_text(username.title())


@pytest.mark.browser
def test_a_german_translation_is_drafted_reviewed_by_another_editor_and_read(live_server, new_page, make_user):
    from plugins.resources.seed import seed_demo_hub

    make_user("admin", password=PASSWORD, is_site_admin=True)
    make_user("anna", password=PASSWORD)
    make_user("ben", password=PASSWORD)
    seed_demo_hub()
    from plugins.resources.models import Hub, HubRole, Resource

    hub = db.session.scalar(db.select(Hub))
    for name in ("anna", "ben"):
        from core.models import User

        user = db.session.scalar(db.select(User).where(User.username == name))
        db.session.add(HubRole(hub_id=hub.id, user_id=user.id, role="editor"))
    db.session.commit()
    # The sample helpline resource has no German text yet.
    resource = db.session.scalar(db.select(Resource).where(Resource.kind == "helpline"))
    url = f"{live_server}/resources/emotional-health/r/{resource.id}"

    anna = new_page()
    log_in(anna, live_server, "anna")
    anna.goto(url)
    anna.screenshot(path=f"{SHOTS}/1-editor-resource.png", full_page=True)
    anna.get_by_role("link", name="Translate").click()
    anna.get_by_label("Title").fill("Jemand zum Reden, Tag und Nacht")
    anna.get_by_label("Summary").fill("Kostenlose, anonyme Beratung am Telefon und im Chat.")
    anna.get_by_label("Text").fill("Hier erreichst du sofort Beratungsstellen:\n\n{{ helpline:DE }}")
    anna.get_by_role("button", name="Save draft").click()
    expect(anna.get_by_text("Draft saved.")).to_be_visible()
    anna.get_by_role("button", name="Publish").click()
    expect(anna.get_by_text("You wrote this draft: another editor has to review and publish it.")).to_be_visible()
    anna.screenshot(path=f"{SHOTS}/2-own-draft-refused.png", full_page=True)

    reader = new_page(locale="de-DE")
    reader.goto(url)
    expect(reader.get_by_role("heading", name="Jemand zum Reden, Tag und Nacht")).to_have_count(0)

    ben = new_page()
    log_in(ben, live_server, "ben")
    ben.goto(url)
    ben.get_by_role("link", name="History and review").nth(1).click()
    expect(ben.get_by_text("Jemand zum Reden, Tag und Nacht")).to_be_visible()
    ben.get_by_label("Review note").fill("Geprüft")
    ben.get_by_role("button", name="Publish").click()
    expect(ben.get_by_text("Published.")).to_be_visible()
    ben.screenshot(path=f"{SHOTS}/3-published-history.png", full_page=True)

    reader.goto(url)
    expect(reader.get_by_role("heading", name="Jemand zum Reden, Tag und Nacht", level=1)).to_be_visible()
    expect(reader.get_by_role("link", name="0800 111 0 111")).to_have_attribute("href", "tel:+498001110111")
    expect(reader.get_by_role("link", name="Jetzt Hilfe finden")).to_be_visible()
    reader.screenshot(path=f"{SHOTS}/4-german-reader.png", full_page=True)
    reader.goto(live_server + "/resources/emotional-health/")
    expect(reader.get_by_role("heading", name="Emotionale Gesundheit", level=1)).to_be_visible()
    reader.screenshot(path=f"{SHOTS}/5-german-hub.png", full_page=True)
    # "Beratungsstelle" (singular) finds the text that says "Beratungsstellen" (German stemming).
    reader.get_by_label("Diesen Bereich durchsuchen").fill("Beratungsstelle")
    reader.get_by_role("main").get_by_role("button", name="Suchen", exact=True).click()
    results = reader.get_by_role("region", name="Ergebnisse")
    expect(results.get_by_role("link", name="Jemand zum Reden, Tag und Nacht")).to_be_visible()
    reader.screenshot(path=f"{SHOTS}/6-german-search.png", full_page=True)
    results.get_by_role("link", name="Jemand zum Reden, Tag und Nacht").click()
    expect(reader.get_by_role("heading", name="Jemand zum Reden, Tag und Nacht", level=1)).to_be_visible()


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 360])
def test_an_editor_of_a_group_hub_works_through_what_needs_attention(live_server, new_page, make_user, make_group,
                                                                     enable_plugin, width):
    """Inside the group's header and tabs: the hub's list of missing translations leads to the translation form."""
    from datetime import timedelta

    from core.models.base import utcnow
    from plugins.resources.editing import create_resource, publish
    from plugins.resources.models import Hub, HubRole, ResourceText, Revision, Topic

    owner = make_user("gardener", password=PASSWORD)
    anna, ben = make_user("anna", password=PASSWORD), make_user("ben", password=PASSWORD)
    group = make_group(owner=owner, slug="garden", name="Garden friends", members=(anna, ben))
    enable_plugin("resources", group=group)
    hub = Hub(slug="garden-help", group_id=group.id, title={"en": "Garden help", "de": "Gartenhilfe"})
    db.session.add(hub)
    db.session.flush()
    topic = Topic(hub_id=hub.id, slug="grief", name={"en": "Loss and grief"}, helpline_topic="grief")
    db.session.add_all([topic, HubRole(hub_id=hub.id, user_id=anna.id), HubRole(hub_id=hub.id, user_id=ben.id)])
    db.session.flush()
    resource = create_resource(hub.id, {"title": "When a plant dies", "summary": "Grief is normal.", "body": "Be kind.",
                                        "topic_id": topic.id, "kind": "article", "language": "en",
                                        "review_by": utcnow().date() - timedelta(days=2)}, ben.id)
    text = db.session.scalar(db.select(ResourceText).where(ResourceText.resource_id == resource.id))
    publish(db.session.get(Revision, text.latest_revision_id), anna.id)
    db.session.commit()

    page = new_page(viewport={"width": width, "height": 800})
    log_in(page, live_server, "anna")
    page.goto(live_server + "/g/garden/resources/garden-help/")
    expect(page.get_by_role("heading", name="Garden friends", level=1)).to_be_visible()
    expect(page.get_by_role("navigation", name="Group sections").get_by_role("link", name="Resources")) \
        .to_have_attribute("aria-current", "page")
    page.get_by_role("link", name="Needs attention").click()
    row = page.get_by_role("row", name=re.compile("When a plant dies"))
    expect(row).to_contain_text("overdue")
    expect(row).to_contain_text("missing")
    page.screenshot(path=f"{SHOTS}/7-attention-{width}.png", full_page=True)
    row.get_by_role("link", name="Translate").click()
    page.get_by_label("Title").fill("Wenn eine Pflanze stirbt")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    page.goto(live_server + "/g/garden/resources/garden-help/attention")
    expect(page.get_by_role("row", name=re.compile("When a plant dies"))).to_contain_text("draft waiting for review")
