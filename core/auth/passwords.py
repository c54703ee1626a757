"""The password strength rule, in one place for sign-up, reset, change and the CLI.

Length matters most, so the rule is simple: at least 10 characters, not mostly one
character, not containing your username or email name, and not a well-known password
(also when it only differs by digits or symbols at either end).
"""
from __future__ import annotations

import re
from collections import Counter

from flask_babel import gettext as _

MIN_LENGTH = 10
MAX_LENGTH = 1024  # hashing cost grows with length; nobody types more than this

# Well-known passwords of 10+ characters (from public breach top lists), lower-case.
COMMON_PASSWORDS = frozenset({
    "1234567890", "0123456789", "0987654321", "1111111111", "1234512345", "1234554321", "1029384756",
    "1q2w3e4r5t", "1q2w3e4r5t6y", "q1w2e3r4t5", "1qaz2wsx3edc", "zaq12wsxcde3", "qwertyuiop", "qwerty1234",
    "qwerty12345", "qwerty123456", "1234qwerty", "123456qwerty", "asdfghjkl1", "asdfghjkl;", "zxcvbnm123",
    "qazwsxedc123", "password12", "password123", "password1234", "password12345", "password!1",
    "passw0rd123", "p@ssw0rd123", "iloveyou12", "iloveyou123", "letmein123", "welcome123", "welcome1234",
    "administrator", "abcdefghij", "abcdefghijk", "abc1234567", "abcd123456", "a1b2c3d4e5", "aaaaaaaaaa",
    "football123", "baseball123", "basketball", "monkey1234", "dragon1234", "sunshine123", "princess123",
    "superman123", "starwars123", "trustno1234", "michael123", "charlie123", "jennifer123", "1234567891",
    "12345678910", "123456789a", "123456789q", "a123456789", "q123456789", "987654321a", "changeme123",
    "computer123", "internet123", "whatever123", "freedom123", "shadow1234", "master1234", "hello12345",
    "helloworld", "helloworld1", "helloworld123", "loveyou123", "summer2024", "winter2024", "spring2024",
    "autumn2024", "summer2025", "winter2025", "passwort123", "passwort1234", "hallo12345", "schalke04",
    "ichliebedich", "fussball123", "commonground", "correcthorse", "correcthorsebatterystaple",
})

# Words that are weak however many digits or symbols are put before or after them.
COMMON_WORDS = frozenset({
    "password", "passwort", "passw0rd", "p@ssw0rd", "qwerty", "qwertz", "asdf", "asdfgh", "letmein", "welcome",
    "iloveyou", "admin", "administrator", "monkey", "dragon", "football", "fussball", "baseball", "sunshine",
    "princess", "superman", "starwars", "master", "shadow", "hello", "hallo", "secret", "geheim", "changeme",
    "login", "abc", "abcdef", "test", "user", "commonground", "summer", "winter", "spring", "autumn",
})

_EDGE = re.compile(r"^[\d\W_]+|[\d\W_]+$")


def _is_common(password: str) -> bool:
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS:
        return True
    core = _EDGE.sub("", lowered)
    return core == "" or core in COMMON_WORDS


def _too_repetitive(password: str) -> bool:
    counts = Counter(password.lower())
    return counts.most_common(1)[0][1] * 2 > len(password) or len(counts) < 5


def password_problems(password: str, username: str | None = None, email: str | None = None) -> list[str]:
    """Everything wrong with ``password``, as messages for the person choosing it (empty: fine)."""
    if len(password) < MIN_LENGTH:
        return [_("Use at least %(n)d characters; a few unrelated words make a strong password.", n=MIN_LENGTH)]
    if len(password) > MAX_LENGTH:
        return [_("Use at most %(n)d characters.", n=MAX_LENGTH)]
    problems = []
    if _too_repetitive(password):
        problems.append(_("This password repeats too few characters; mix in more different ones."))
    lowered = password.lower()
    names = [username or "", (email or "").split("@", 1)[0]]
    if any(len(name) >= 3 and name.lower() in lowered for name in names):
        problems.append(_("Don't use your username or email name in your password."))
    if _is_common(password):
        problems.append(_("This password is too common and easy to guess; choose something less predictable."))
    return problems
