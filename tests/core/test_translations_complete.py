"""Every string of the core is translated into German (extracted the way ``babel.cfg`` says).

A new ``_("...")`` without a German entry fails here. To fix it:

    .venv/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o /tmp/messages.pot core
    .venv/bin/pybabel update -i /tmp/messages.pot -d core/translations
    # translate the new entries in core/translations/de/LC_MESSAGES/messages.po (no fuzzy ones)
    .venv/bin/pybabel compile -d core/translations
"""
from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

pytestmark = pytest.mark.database_independent  # pure: make test runs it once, in the SQLite run

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "core"
PO = CORE / "translations" / "de" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}


def extracted() -> dict:
    """msgid -> first location, for every string in core's code and templates."""
    with open(ROOT / "babel.cfg") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found: dict = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(CORE), method_map, options_map, keywords=KEYWORDS):
        found.setdefault(message, f"core/{filename}:{lineno}")
    return found


@pytest.fixture(scope="module")
def german() -> Catalog:
    with open(PO, "rb") as handle:
        return read_po(handle, locale="de")


def _translated(entry) -> bool:
    strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
    return bool(entry.string) and all(s.strip() for s in strings)


def test_extraction_finds_the_core_strings():
    messages = extracted()
    assert len(messages) > 300
    assert "Notifications" in messages  # a template
    assert "Someone comments on your post" in messages  # a lazy_gettext label
    assert ("%(num)s member", "%(num)s members") in messages  # a plural


def test_every_core_string_has_a_german_translation(german):
    missing = []
    for message, where in extracted().items():
        key = message[0] if isinstance(message, tuple) else message
        entry = german.get(key)
        if entry is None or not _translated(entry) or entry.fuzzy:
            missing.append(f"{where}: {message!r}")
    assert missing == [], "untranslated (see this module's docstring):\n" + "\n".join(missing)


def test_translations_keep_their_placeholders(german):
    problems = [f"{entry.id!r}: {error}" for entry, errors in german.check() for error in errors]
    assert problems == []


def test_the_compiled_catalog_is_up_to_date(german):
    """`make` compiles the .mo; a stale one means the running site shows English."""
    if not MO.exists():
        pytest.fail(f"{MO} is missing: run `.venv/bin/pybabel compile -d core/translations`")
    with open(MO, "rb") as handle:
        compiled = read_mo(handle)
    def text(string) -> tuple:
        return (string,) if isinstance(string, str) else tuple(string)

    stale = [entry.id for entry in german if entry.id and _translated(entry)
             and (compiled.get(entry.id) is None or text(compiled.get(entry.id).string) != text(entry.string))]
    assert stale == [], "run `.venv/bin/pybabel compile -d core/translations`"
