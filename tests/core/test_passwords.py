"""Password strength is estimated by zxcvbn, with one plain, translated reason for a refusal."""
from __future__ import annotations

import pytest
from flask_babel import force_locale

from core.auth import passwords as passwords_module
from core.auth.passwords import password_problems


@pytest.fixture
def request_context(app):
    with app.test_request_context():
        yield


@pytest.mark.parametrize(("password", "reason"), [
    ("qwertyuiopasdf", "too common"),
    ("zxcvbnmasdfghjkl", "too common"),
    ("Jennifer1987", "Names are easy to guess"),
    ("abcdefghijkl", "Sequences like"),
    ("aaaaaaaaaaaa", "Repeated characters"),
    ("abcabcabcabc", "Repeated characters"),
    ("ichliebedich", "too common"),
    ("Passwort2024!", "too common"),
    ("Sonnenschein", "too common"),
])
def test_a_guessable_password_is_refused_with_its_reason(request_context, password, reason):
    problems = password_problems(password, "someone", "someone@example.org")
    assert len(problems) == 1 and reason in problems[0], problems


@pytest.mark.parametrize("password", [
    "correct horse battery", "lantern river pebble 42", "velvet compass morning", "Mein Hund heißt Bello!",
])
def test_a_few_unrelated_words_are_strong(request_context, password):
    assert password_problems(password, "someone", "someone@example.org") == []


def test_the_username_and_email_name_are_still_refused_by_name(request_context):
    assert password_problems("grace and more words", "grace", "g@example.org") == [
        "Don't use your username or email name in your password."]
    assert password_problems("lovelace rocks hard", "ada", "lovelace@example.org") == [
        "Don't use your username or email name in your password."]


def test_the_reason_is_given_in_german(request_context):
    with force_locale("de"):
        (problem,) = password_problems("qwertzuiopas", "someone", "someone@example.org")
        assert "leicht zu erraten" in problem
        (problem,) = password_problems("kurz", None, None)
        assert "mindestens 10 Zeichen" in problem


def test_only_the_start_of_a_long_password_is_rated(request_context, monkeypatch):
    """zxcvbn's cost grows steeply with length (seconds for a crafted string of look-alike
    symbols), so it sees only the first ``RATED_LENGTH`` characters; the real estimator still runs."""
    seen: list[int] = []
    real = passwords_module.zxcvbn

    def recording(password, user_inputs=None):
        seen.append(len(password))
        return real(password, user_inputs=user_inputs)

    monkeypatch.setattr(passwords_module, "zxcvbn", recording)
    password_problems(("4@8({[<3=6&#!1|7+%$5$2" * 46)[:1024])
    assert seen == [passwords_module.RATED_LENGTH]
