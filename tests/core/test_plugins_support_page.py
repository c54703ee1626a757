"""/support: where ``support_resources`` are shown, for the viewer's language and country."""
from __future__ import annotations

import re

import pytest

from core.plugins import state as plugin_state
from tests.plugins.fixtures import recorder


@pytest.fixture
def app_plugins():
    return ["tests.plugins.fixtures.recorder"]


@pytest.fixture(autouse=True)
def fresh_recorder():
    recorder.reset()


def resources(html: str) -> list[str]:
    return re.findall(r'<li class="card support-(\w+)">\s*<h2>([^<]+)</h2>', html)


def test_without_plugins_the_page_still_shows_the_emergency_number(client):
    response = client.get("/support?country=GB")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert resources(html) == [("emergency", "Emergency services")]
    assert 'href="tel:999"' in html


def test_plugin_resources_are_shown_after_the_emergency_number(client):
    plugin_state.set_enabled("recorder", True)
    html = client.get("/support?country=AT").get_data(as_text=True)
    assert resources(html) == [("emergency", "Emergency services"), ("helpline", "Recorder line AT en")]
    assert "0800 111" in html and "free of charge" in html and "anonymous" in html and "24/7" in html


def test_country_comes_from_the_member_profile_and_the_language_from_the_page(app, make_user, login):
    plugin_state.set_enabled("recorder", True)
    client = login(app.test_client(), make_user("lena", country="CH", locale="de"))
    client.get("/support")
    assert recorder.calls("support_resources")[-1] == {"locale": "de", "context": {"country": "CH",
                                                                                  "reason": "general"}}


def test_visitors_get_the_site_default_country(app, client):
    plugin_state.set_enabled("recorder", True)
    html = client.get("/support").get_data(as_text=True)
    assert recorder.calls("support_resources")[-1]["context"]["country"] == app.config["DEFAULT_COUNTRY"]
    assert f'<option value="{app.config["DEFAULT_COUNTRY"]}" selected>' in html


def test_unknown_country_and_odd_reason_fall_back_safely(app, client):
    plugin_state.set_enabled("recorder", True)
    response = client.get("/support?country=XX&reason=<script>")
    assert response.status_code == 200
    assert recorder.calls("support_resources")[-1]["context"] == {"country": app.config["DEFAULT_COUNTRY"],
                                                                  "reason": "general"}


def test_a_reason_is_passed_to_plugins_and_kept_by_the_country_form(client):
    plugin_state.set_enabled("recorder", True)
    html = client.get("/support?reason=self_harm&country=DE").get_data(as_text=True)
    assert recorder.calls("support_resources")[-1]["context"]["reason"] == "self_harm"
    assert '<input type="hidden" name="reason" value="self_harm">' in html


def test_every_page_links_to_the_support_page(client):
    assert '<a href="/support">Get help</a>' in client.get("/").get_data(as_text=True)


@pytest.mark.plugins("tests.plugins.fixtures.broken")
def test_a_failing_plugin_leaves_the_emergency_number(client):
    plugin_state.set_enabled("broken", True)
    response = client.get("/support?country=US")
    assert response.status_code == 200
    assert 'href="tel:911"' in response.get_data(as_text=True)


def test_countries_are_named_in_the_page_language(client):
    html = client.get("/support?country=AT", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert '<option value="AT" selected>Österreich</option>' in html
