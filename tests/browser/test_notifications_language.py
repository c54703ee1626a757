"""A German member reads every notification in German, core's and the reporting plugin's.

Everything that notifies her is done by English speakers, in English requests: a sentence
frozen when it was created would be English. She then opens her notifications in Chromium.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from core.extensions import db
from core.groups import content_actions, membership_actions
from core.models import User

PASSWORD = "correct horse battery"

pytestmark = pytest.mark.plugins("plugins.reporting")


def as_english_speaker(app):
    return app.test_request_context("/", headers={"Accept-Language": "en"})


@pytest.fixture
def greta_notified(app, enable_plugin, make_user, make_group, make_post):
    """Greta (German) gets core's and reporting's notifications, all caused by English speakers."""
    from plugins.reporting.content import load_item
    from plugins.reporting.models import Case
    from plugins.reporting.moderation import decide
    from plugins.reporting.reports import file_report

    enable_plugin("reporting")
    greta = make_user("greta", display_name="Greta Gärtner", locale="de")
    olga, eve, bob = (make_user(name, display_name=f"{name.title()} Smith") for name in ("olga", "eve", "bob"))
    own = make_group(owner=greta, slug="beet", name="Hochbeet", join_mode="request")
    allotment = make_group(owner=olga, slug="allotment", name="Allotment", members=(greta, eve, bob))
    hers, bobs = make_post(allotment, greta, "My beans"), make_post(allotment, bob, "Buy my seeds!!!")
    with as_english_speaker(app):
        membership_actions.join(eve, own, answer="I like beds")                      # join_request
        content_actions.create_comment(eve, hers, "Lovely beans")                     # post_reply
        membership_actions.change_role(olga, allotment, "greta", "moderator")         # role_changed
        other = make_group(owner=eve, slug="orchard", name="Orchard")
        membership_actions.invite(eve, other, "greta")                               # invitation
        file_report(eve, load_item("post", bobs.id), {"category": "self_harm"})       # reporting_urgent_case
        file_report(greta, load_item("post", bobs.id), {"category": "harassment"})
        file_report(eve, load_item("post", hers.id), {"category": "spam"})
        db.session.commit()
        cases = {case.content_id: case for case in db.session.scalars(db.select(Case))}
        olga = db.session.get(User, olga.id)
        decide(olga, cases[bobs.id], {"actions": ["hide"], "explanation": "Not okay"})          # reporting_outcome
        decide(olga, cases[hers.id], {"actions": ["warn"], "rule": "Be kind", "explanation": "Please"})  # decision
        db.session.commit()
    return greta


# Newest first.
EXPECTED = [
    "Die Moderation hat etwas von dir geprüft (Beitrag): du hast eine Verwarnung erhalten. Regel: Be kind",
    "Deine Meldung (Belästigung oder Mobbing) wurde geprüft: Wir haben Maßnahmen ergriffen.",
    "Dringend: Eine Sorge wegen Selbstverletzung oder Suizid wurde gemeldet und braucht jetzt Aufmerksamkeit.",
    "Eve Smith hat dich eingeladen, Orchard beizutreten.",
    "Deine Rolle in Allotment ist jetzt: Moderator.",
    "Eve Smith hat deinen Beitrag in Allotment kommentiert.",
    "Eve Smith möchte Hochbeet beitreten.",
]


def log_in_german(page: Page, base: str, username: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("E-Mail-Adresse oder Benutzername").fill(username)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()


def test_a_german_member_reads_every_notification_in_german(live_server, new_page, greta_notified):
    page = new_page("de-DE")
    log_in_german(page, live_server, "greta")
    page.get_by_role("link", name="Benachrichtigungen").first.click()
    items = page.locator("ol.notifications > li")
    expect(items).to_have_count(len(EXPECTED))
    for item, sentence in zip(items.all(), EXPECTED, strict=True):
        expect(item.locator("p").first).to_contain_text(sentence)
    body = page.locator("main").inner_text()
    for english in ("was reviewed", "moderation queue", "Urgent", "commented on", "asked to join", "is now"):
        assert english not in body
    assert "Olga" not in body  # moderation notices never name the moderator
