"""``answers_by_blueprint``: a page slot's answer remembered per blueprint, language, host and plugin
state, beside implementations asked on every page."""
from __future__ import annotations

import re

import pytest

from core.plugin_api import answers_by_blueprint
from core.plugins import state as plugin_state
from tests.plugins.fixtures import byblueprint, byblueprint_live

PLUGINS = ("tests.plugins.fixtures.byblueprint_live", "tests.plugins.fixtures.byblueprint")  # the live one first

MARKED = re.compile(r'<link rel="stylesheet" href="/byblueprint.css" title="([^"]*)">')


@pytest.fixture
def app_config() -> dict:
    return {"PAGE_CACHE_BYTES": 0}  # every request renders its head


@pytest.fixture
def app_plugins():
    return list(PLUGINS)


@pytest.fixture(autouse=True)
def switched_on(app):
    plugin_state.set_enabled("byblueprint", True)
    plugin_state.set_enabled("byblueprint_live", True)
    byblueprint.reset()
    byblueprint_live.CALLS.clear()
    yield
    byblueprint.reset()
    byblueprint_live.CALLS.clear()


def head(client, url: str, **headers: str) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True).split("</head>", 1)[0]


def test_a_marked_answer_is_asked_once_per_blueprint(client):
    assert MARKED.search(head(client, "/byblueprint/a")).group(1) == "Settings"
    assert MARKED.search(head(client, "/byblueprint/b")).group(1) == "Settings"
    assert MARKED.search(head(client, "/")) is None
    assert MARKED.search(head(client, "/")) is None
    assert byblueprint.CALLS == ["byblueprint", "web"]


def test_unmarked_answers_are_asked_on_every_page_and_joined_in_plugin_order(client):
    first, second = head(client, "/byblueprint/a"), head(client, "/byblueprint/a")
    assert '<meta name="live-head" content="1">\n<link rel="stylesheet" href="/byblueprint.css"' in first
    assert '<meta name="live-head" content="2">\n<link rel="stylesheet" href="/byblueprint.css"' in second
    assert len(byblueprint_live.CALLS) == 2 and len(byblueprint.CALLS) == 1


def test_the_remembered_answer_follows_the_language(client):
    assert MARKED.search(head(client, "/byblueprint/a")).group(1) == "Settings"
    assert MARKED.search(head(client, "/byblueprint/a", **{"Accept-Language": "de"})).group(1) == "Einstellungen"
    assert MARKED.search(head(client, "/byblueprint/a")).group(1) == "Settings"
    assert len(byblueprint.CALLS) == 2


def test_switching_the_plugin_off_and_on_asks_again(client):
    head(client, "/byblueprint/a")
    plugin_state.set_enabled("byblueprint", False)
    assert MARKED.search(head(client, "/")) is None
    plugin_state.set_enabled("byblueprint", True)
    assert MARKED.search(head(client, "/byblueprint/a")) is not None
    assert byblueprint.CALLS == ["byblueprint", "byblueprint"]


def test_an_answer_while_a_plugin_failed_is_not_remembered(app, client):
    app.config["PLUGINS_RAISE_ERRORS"] = False
    byblueprint.FAIL.append(True)
    assert MARKED.search(head(client, "/byblueprint/a")) is None
    byblueprint.FAIL.clear()
    assert MARKED.search(head(client, "/byblueprint/a")) is not None
    assert MARKED.search(head(client, "/byblueprint/a")) is not None
    assert len(byblueprint.CALLS) == 2


def test_only_page_slots_may_be_marked():
    with pytest.raises(ValueError, match="group_sidebar"):
        answers_by_blueprint("group_sidebar")
    with pytest.raises(ValueError):
        answers_by_blueprint()
