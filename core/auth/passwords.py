"""The password strength rule, in one place for sign-up, reset, change and the CLI.

Length matters most: at least 10 characters. Beyond that, zxcvbn (Dropbox's estimator) guesses
how many attempts an attacker needs, knowing common passwords, words, names, keyboard walks,
repeats, sequences and dates, plus the person's own username and email and a few words of this
site and of German (zxcvbn's lists are English). A password it rates below "safely
unguessable" is refused with one plain, translated reason, chosen from what made it weak.
"""
from __future__ import annotations

import threading

from flask_babel import gettext as _

MIN_LENGTH = 10
MAX_LENGTH = 1024  # hashing cost grows with length; nobody types more than this
#: zxcvbn's scale: 3 is "safely unguessable: moderate protection from an offline slow-hash attack".
MIN_SCORE = 3
#: zxcvbn rates the first 24 characters: its matching cost grows steeply with length (a crafted
#: string of look-alike symbols took 0.3 s at 24 characters, 0.9 s at 32 and 2.8 s at zxcvbn's own
#: limit of 72), and a weak password shows its weakness long before that.
RATED_LENGTH = 24

#: Words weak in any language this site speaks, which zxcvbn's English lists do not know.
SITE_WORDS = (
    "commonground", "passwort", "kennwort", "geheim", "hallo", "willkommen", "ichliebedich", "schatz",
    "fussball", "schalke", "sommer", "winter", "frühling", "herbst", "qwertz",
)

# zxcvbn keeps the user inputs of a call in a module-level dict: one call at a time.
_lock = threading.Lock()


def _names(username: str | None, email: str | None) -> list[str]:
    return [name.lower() for name in (username or "", (email or "").split("@", 1)[0]) if len(name) >= 3]


def zxcvbn(password: str, user_inputs: list[str] | None = None) -> dict:
    """Dropbox's estimator; its word lists are imported when a password is first rated, not by every process."""
    from zxcvbn import zxcvbn as estimate

    return estimate(password, user_inputs=user_inputs)


def _rate(password: str, names: list[str]) -> dict:
    with _lock:
        return zxcvbn(password[:RATED_LENGTH], user_inputs=[*names, *SITE_WORDS])


def _weakness(result: dict, names: list[str]) -> str | None:
    """Why zxcvbn found it guessable, from its longest weak part (as zxcvbn's own feedback picks it).

    None when that part is the person's own name: the name message already says so.
    """
    sequence = result.get("sequence") or []
    match = max(sequence, key=lambda m: len(m["token"]), default={"pattern": "bruteforce"})
    pattern = match["pattern"]
    if pattern == "dictionary":
        dictionary = match.get("dictionary_name")
        if dictionary == "user_inputs" and match.get("matched_word") in names:
            return None
        if dictionary in ("passwords", "user_inputs"):
            return _("This password is too common and easy to guess; choose something less predictable.")
        if dictionary in ("surnames", "male_names", "female_names"):
            return _("Names are easy to guess, also with numbers added; add a few unrelated words.")
        return _("A single word is easy to guess; add a few more unrelated words.")
    if pattern == "spatial":
        return _("Keyboard patterns like “qwertz” are easy to guess.")
    if pattern == "repeat":
        return _("Repeated characters or words, like “aaa” or “abcabc”, are easy to guess.")
    if pattern == "sequence":
        return _("Sequences like “abc” or “6543” are easy to guess.")
    if pattern in ("date", "regex"):
        return _("Dates and years are easy to guess, especially ones that have to do with you.")
    return _("This password is easy to guess; a few unrelated words make a strong one.")


def password_problems(password: str, username: str | None = None, email: str | None = None) -> list[str]:
    """Everything wrong with ``password``, as messages for the person choosing it (empty: fine)."""
    if len(password) < MIN_LENGTH:
        return [_("Use at least %(n)d characters; a few unrelated words make a strong password.", n=MIN_LENGTH)]
    if len(password) > MAX_LENGTH:
        return [_("Use at most %(n)d characters.", n=MAX_LENGTH)]
    problems = []
    names = _names(username, email)
    if any(name in password.lower() for name in names):
        problems.append(_("Don't use your username or email name in your password."))
    result = _rate(password, names)
    weakness = _weakness(result, names) if result["score"] < MIN_SCORE else None
    if weakness is not None or (result["score"] < MIN_SCORE and not problems):
        problems.append(weakness or _("This password is easy to guess; a few unrelated words make a strong one."))
    return problems
