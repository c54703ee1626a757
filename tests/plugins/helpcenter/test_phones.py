"""Phone numbers: E.164 for storage, the national form people dial for display."""
from __future__ import annotations

import pytest

from plugins.helpcenter.phones import InvalidPhoneNumber, normalise

pytestmark = pytest.mark.database_independent  # pure: make test runs it once, in the SQLite run


@pytest.mark.parametrize(("typed", "expected"), [
    ("0800 111 0 111", ("+498001110111", "0800 111 0 111")),
    ("0800/111 0 222", ("+498001110222", "0800/111 0 222")),
    ("08001110111", ("+498001110111", "0800 1110111")),
    ("+49 800 1110111", ("+498001110111", "0800 1110111")),
    ("  0800   111 0 111 ", ("+498001110111", "0800 111 0 111")),
])
def test_german_numbers(typed, expected):
    assert normalise(typed, "DE") == expected


def test_a_foreign_number_is_shown_in_international_form():
    assert normalise("+43 1 234567890", "DE") == ("+431234567890", "+43 1 234567890")


@pytest.mark.parametrize("typed", ["0800 12", "abc", "", "+999 123", "112"])
def test_invalid_numbers_are_refused(typed):
    with pytest.raises(InvalidPhoneNumber):
        normalise(typed, "DE")
