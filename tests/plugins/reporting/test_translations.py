"""German for every string the plugin shows, and pages that really use it."""
from __future__ import annotations

from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

import plugins.reporting

PLUGIN_DIR = Path(plugins.reporting.__file__).parent
METHODS = [("**/translations/**", "ignore"), ("**.py", "python"), ("**/templates/**.html", "jinja2"),
           ("**/templates/**.txt", "jinja2")]


def test_every_message_has_a_german_translation():
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    wanted = {message for _file, _line, message, _comments, _context in
              extract_from_dir(str(PLUGIN_DIR), METHODS, keywords=keywords)}
    with open(PLUGIN_DIR / "translations/de/LC_MESSAGES/messages.po", "rb") as handle:
        catalog = read_po(handle, locale="de")
    translated = {m.id: m.string for m in catalog if m.id}
    missing = sorted(str(m) for m in wanted if not translated.get(m))
    assert not missing, f"untranslated: {missing}"


def test_pages_and_notices_speak_german(community, client_for, make_user, add_member):
    from sqlalchemy import select

    from core.extensions import db
    from core.models import Notification

    community.alice.locale = "de"
    community.bob.locale = "de"
    db.session.commit()
    alice = client_for(community.alice)
    form = alice.get(f"/report/post/{community.post.id}").text
    assert "Belästigung oder Mobbing" in form and "Meldung senden" in form
    response = alice.post(f"/report/post/{community.post.id}", data={"category": "self_harm"})
    assert "Hilfe gibt es jetzt sofort" in alice.get(response.headers["Location"]).text
    assert "Von dir blockierte Personen" in alice.get("/blocks").text
    case_id = db.session.scalar(select(Notification.data).where(Notification.kind == "reporting_urgent_case"))
    assert case_id is not None
    moderator = client_for(community.moderator)
    from plugins.reporting.models import Case

    case = db.session.scalar(select(Case))
    moderator.post(f"/moderation/cases/{case.id}/decide", data={"actions": ["hide"], "explanation": "x"})
    notice = db.session.scalar(select(Notification).where(Notification.user_id == community.bob.id,
                                                          Notification.kind == "reporting_decision"))
    bob = client_for(community.bob)
    assert "der Inhalt wurde ausgeblendet" in bob.get("/notifications/").text
    assert "Der Inhalt wurde ausgeblendet" in bob.get(notice.url).text


def test_notices_are_read_and_mailed_in_each_readers_language(community, client_for, outbox):
    """Sent in one English request, a decision reads in German for Bob and in English for Alice."""
    from core.extensions import db

    community.bob.locale = "de"
    db.session.commit()
    alice = client_for(community.alice)
    alice.post(f"/report/post/{community.post.id}", data={"category": "harassment"})
    from plugins.reporting.models import Case

    case = db.session.scalar(db.select(Case))
    client_for(community.moderator).post(f"/moderation/cases/{case.id}/decide",
                                         data={"actions": ["warn"], "rule": "Be kind", "explanation": "Bitte"},
                                         headers={"Accept-Language": "en"})
    to_bob = [m for m in outbox() if m.to_addr == community.bob.email]
    to_alice = [m for m in outbox() if m.to_addr == community.alice.email]
    assert [m.subject for m in to_bob] == ["Die Moderation hat einen Inhalt von dir geprüft"]
    assert "du hast eine Verwarnung erhalten. Regel: Be kind" in to_bob[0].body_text
    assert [m.subject for m in to_alice] == ["Your report was reviewed"]
    assert "Your report (Harassment or bullying) was reviewed: We took action." in to_alice[0].body_text
    assert "du hast eine Verwarnung erhalten" in client_for(community.bob).get("/notifications/").text
    assert "We took action" in client_for(community.alice).get("/api/v1/notifications").json["items"][0]["text"]
