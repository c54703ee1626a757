"""Every text of the plugin has a German translation (extracted the way ``babel.cfg`` says)."""
from __future__ import annotations

from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "commonground_events" / "translations" / "de" / "LC_MESSAGES" / "messages.po"


def test_every_text_has_a_german_translation():
    with open(ROOT / "babel.cfg") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = {message[0] if isinstance(message, tuple) else message
             for _file, _line, message, _comments, _context in
             extract_from_dir(str(ROOT), method_map, options_map, keywords={**DEFAULT_KEYWORDS, "_l": None})}
    with open(PO, "rb") as handle:
        german = read_po(handle, locale="de")
    missing = sorted(m for m in found if german.get(m) is None or not german.get(m).string or german.get(m).fuzzy)
    assert len(found) > 40 and missing == []
    assert [f"{entry.id!r}: {errors}" for entry, errors in german.check()] == []
