"""The size of a help-center response tells an onlooker nothing.

HTTPS hides content, not length: the result page was 4,365 bytes for "I need support" and
5,565 for "I'm worried about someone", so the size on the wire gave away the path chosen. Every
HTML response of the help flow now has the same length, whoever asks, in whichever language,
whatever they chose and whatever happened (sent, limited, refused).
"""
from __future__ import annotations

import pytest

from plugins.helpcenter.padding import DEFAULT_BUCKET, padded


@pytest.fixture
def app_config():
    return {"HELPCENTER_RATELIMIT_MEMBER": "6 per hour"}  # the seventh use is limited


def test_every_path_and_outcome_of_the_help_flow_has_the_same_length(app, make_user, login, send_form):
    people = {"visitor": app.test_client(),
              "member": login(app.test_client(), make_user("confirmed")),
              "unconfirmed": login(app.test_client(), make_user("new", email_confirmed_at=None))}
    sizes: dict[tuple, int] = {}
    for who, client in people.items():
        for language in ("en", "de"):
            client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
            answers = [
                ("form", client.get("/help"), 200),
                ("support", send_form(client, path="support", country="DE", language=language), 200),
                ("worried, reminder", send_form(client, path="worried", country="DE", language=language, remind="y"),
                 200),
                ("worried, other country", send_form(client, path="worried", country="XK", language="fr"), 200),
                ("form errors", send_form(client, path="", country="DE", language=language), 400),
                *[(guide, client.get(f"/help/{guide}"), 200) for guide in ("get-help", "help-a-friend", "reporting")],
                ("unknown guide", client.get("/help/nothing-here"), 404),
            ]
            for what, response, status in answers:
                assert response.status_code == status, (who, language, what)
                sizes[who, language, what] = len(response.get_data())
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        limited = send_form(client, path="worried", country="DE", language="en")
        if who != "visitor":
            assert limited.status_code == 429
            sizes[who, "en", "limited"] = len(limited.get_data())
    assert len(sizes) > 50
    assert set(sizes.values()) == {DEFAULT_BUCKET}, sizes


def test_the_padding_is_a_comment_after_the_document(client):
    page = client.get("/help").get_data(as_text=True)
    document, padding = page.split("</html>", 1)
    assert padding.strip().startswith("<!--") and padding.strip().endswith("-->")
    assert padding.strip()[4:-3].strip() == ""


def test_a_page_larger_than_the_bucket_grows_to_the_next_multiple():
    assert len(padded(b"x" * 100, 64)) == 128
    assert len(padded(b"x" * 128, 64)) == 192  # the comment itself needs room
    assert len(padded(b"", 64)) == 64


def test_the_stylesheet_is_left_alone(client):
    response = client.get("/help/static/helpcenter.css")
    assert response.status_code == 200 and b"<!--" not in response.get_data()
