"""Phone numbers: stored in E.164, shown the way people dial them inside the country."""
from __future__ import annotations

import re


class InvalidPhoneNumber(ValueError):
    """Not a diallable number for the given country."""


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def normalise(typed: str, country: str) -> tuple[str, str]:
    """Parse ``typed`` (national or international) for ``country``; returns (E.164, display).

    The display keeps the organisation's own grouping ("0800 111 0 111") when it is the
    national form of the same number, and falls back to the standard national format.
    """
    # Its metadata and patterns are imported when a number is first entered, not by every process.
    import phonenumbers
    from phonenumbers import NumberParseException, PhoneNumberFormat

    try:
        number = phonenumbers.parse(typed, country or None)
    except NumberParseException as err:
        raise InvalidPhoneNumber(typed) from err
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhoneNumber(typed)
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    national = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    if phonenumbers.region_code_for_number(number) != (country or "").upper():
        return e164, phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
    cleaned = " ".join(typed.split())
    grouped = not cleaned.isdigit()
    if grouped and not cleaned.startswith("+") and _digits(cleaned) == _digits(national):
        return e164, cleaned
    return e164, national
