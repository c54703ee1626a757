"""German for every string the plugin shows (and the pages really use it)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

import plugins.mentorship
from core.plugin_api import db

PLUGIN_DIR = Path(plugins.mentorship.__file__).parent
METHODS = [
    ("**/translations/**", "ignore"),
    ("**/matching/**", "ignore"),
    ("**.py", "python"),
    ("**/templates/**.html", "jinja2"),
    ("**/templates/**.txt", "jinja2"),
]


def test_every_message_has_a_german_translation():
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    wanted = {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(str(PLUGIN_DIR), METHODS, keywords=keywords)
    }
    with open(PLUGIN_DIR / "translations/de/LC_MESSAGES/messages.po", "rb") as handle:
        catalog = read_po(handle, locale="de")
    translated = {m.id: m.string for m in catalog if m.id}
    missing = sorted(
        str(m) for m in wanted if not translated.get(m) or (isinstance(m, tuple) and not all(translated[m]))
    )
    assert not missing, f"untranslated: {missing}"


def test_the_pair_page_speaks_german(circle, pair, client_for):
    circle.mentee.locale = "de"
    db.session.commit()
    page = client_for(circle.mentee).get(f"/g/parents/mentorship/pairs/{pair.id}").get_data(as_text=True)
    assert "Nur ihr beide könnt diese Seite sehen." in page and "Woche 1 von 4" in page
    assert "Mia Mentor begleitet dich" in page
