"""Countries as ISO 3166-1 alpha-2 codes, named in the reader's language (from Babel's CLDR data)."""
from __future__ import annotations

from functools import cache

from babel import Locale

# CLDR lists a few codes that are not countries (EU, UN, private-use and unknown).
_NOT_COUNTRIES = frozenset({"EU", "EZ", "QO", "UN", "XA", "XB", "ZZ"})


@cache
def country_codes() -> frozenset[str]:
    """Every two-letter code a member may pick."""
    territories = Locale("en").territories
    return frozenset(code for code in territories if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES)


@cache
def country_choices(locale: str) -> tuple[tuple[str, str], ...]:
    """(code, name) pairs sorted by name in ``locale``, for a select box."""
    try:
        names = Locale.parse(locale).territories
    except (ValueError, TypeError):
        names = Locale("en").territories
    return tuple(sorted(((code, names.get(code, code)) for code in country_codes()), key=lambda pair: pair[1]))


def country_name(code: str | None, locale: str) -> str:
    """A country's name in ``locale`` (the code itself if unknown; "" for none)."""
    if not code:
        return ""
    return dict(country_choices(locale)).get(code.upper(), code)
