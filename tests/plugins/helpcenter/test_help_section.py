"""The help section in English and German; helpline numbers in it always come from the directory."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from core.extensions import db

PLUGIN = Path(__file__).parents[3] / "plugins" / "helpcenter"
CATALOG = PLUGIN / "translations" / "de" / "LC_MESSAGES" / "messages.po"

GUIDES = {
    "get-help": ("How to get help", "So bekommst du Hilfe"),
    "help-a-friend": ("How to help a friend", "So kannst du anderen helfen"),
    "reporting": ("What happens when you report something", "Was passiert, wenn du etwas meldest"),
}


@pytest.mark.parametrize("article", GUIDES)
@pytest.mark.parametrize(("language", "index"), [("en", 0), ("de", 1)])
def test_guides_read_in_english_and_german(client, article, language, index):
    response = client.get(f"/help/{article}", headers={"Accept-Language": language})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"<h1>{GUIDES[article][index]}</h1>" in page
    assert f'<html lang="{language}">' in page
    assert 'href="tel:112"' in page


def test_help_form_links_every_guide(client):
    page = client.get("/help").get_data(as_text=True)
    for article in GUIDES:
        assert f'href="/help/{article}"' in page


def test_unknown_guide_is_404(client):
    assert client.get("/help/nothing-here").status_code == 404


def test_guides_show_helplines_from_the_directory_so_a_correction_reaches_them(client, telefonseelsorge):
    assert "0800 111 0 111" in client.get("/help/get-help").get_data(as_text=True)
    phone = telefonseelsorge.channels[0]
    phone.value, phone.display = "+498001110999", "0800 111 0 999"
    db.session.commit()
    for article in ("get-help", "help-a-friend"):
        page = client.get(f"/help/{article}").get_data(as_text=True)
        assert "0800 111 0 999" in page and "0800 111 0 111" not in page


def test_guides_follow_the_members_country(app, make_user, login):
    client = login(app.test_client(), make_user("lea", country="FR", locale="en"))
    page = client.get("/help/get-help").get_data(as_text=True)
    assert "Call the emergency number in France now" in page
    assert "TelefonSeelsorge" not in page


def _texts() -> dict[str, str]:
    """What readers see: template text outside Jinja tags, and every message of the catalog."""
    jinja = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
    templates = {str(p): jinja.sub("", p.read_text(encoding="utf-8")) for p in (PLUGIN / "templates").rglob("*.*")}
    catalog = read_po(CATALOG.open("rb"))
    messages = {f"msgstr {m.id!r}": str(m.string) for m in catalog if m.id}
    messages.update({f"msgid {m.id!r}": str(m.id) for m in catalog if m.id})
    return {**templates, **messages}


def test_no_phone_number_is_written_into_a_template_or_the_catalog():
    for where, text in _texts().items():
        assert not re.search(r"\d{3,}", text), f"a number is written into {where}"


def test_every_string_of_the_plugin_has_a_german_translation():
    method_map = [("**.py", "python"), ("templates/**.html", "jinja2"), ("templates/**.txt", "jinja2")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}
    found = {msg for _file, _line, msg, _comments, _context in extract_from_dir(
        str(PLUGIN), method_map, keywords=keywords)}
    catalog = {m.id if isinstance(m.id, str) else tuple(m.id): m for m in read_po(CATALOG.open("rb")) if m.id}
    missing = [msg for msg in found if msg not in catalog or not all(catalog[msg].string)]
    assert len(found) > 150 and not missing, missing
    assert not [m for m in catalog.values() if m.fuzzy]
