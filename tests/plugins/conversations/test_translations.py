"""German for every string the plugin shows, and pages that really use it."""
from __future__ import annotations

from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

import plugins.conversations

PLUGIN_DIR = Path(plugins.conversations.__file__).parent
METHODS = [("**/translations/**", "ignore"), ("**/migrations/**", "ignore"), ("**.py", "python"),
           ("**/templates/**.html", "jinja2"), ("**/templates/**.txt", "jinja2")]


def test_every_message_has_a_german_translation():
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    wanted = {message for _file, _line, message, _comments, _context in
              extract_from_dir(str(PLUGIN_DIR), METHODS, keywords=keywords)}
    with open(PLUGIN_DIR / "translations/de/LC_MESSAGES/messages.po", "rb") as handle:
        catalog = read_po(handle, locale="de")
    translated = {m.id: m.string for m in catalog if m.id}
    missing = sorted(str(m) for m in wanted if not translated.get(m))
    assert not missing, f"untranslated: {missing}"


def test_the_inbox_speaks_german(people, client_for):
    from core.plugin_api import db

    people.alice.locale = "de"
    db.session.commit()
    page = client_for(people.alice).get("/messages/").get_data(as_text=True)
    assert "Noch keine Unterhaltungen." in page and "Anfragen" in page
