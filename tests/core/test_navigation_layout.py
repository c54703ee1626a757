"""Navigation answered with tuples (``nav_items``): laid out once per answer, language, host and mount
point, and each page still shows the count and the language of that page."""
from __future__ import annotations

import re

import pytest

import core.ui
from core.plugins import state as plugin_state
from tests.plugins.fixtures import navtuple


@pytest.fixture
def app_config() -> dict:
    return {"PAGE_CACHE_BYTES": 0}  # every request renders its navigation


@pytest.fixture
def app_plugins():
    return ["tests.plugins.fixtures.navtuple"]


@pytest.fixture(autouse=True)
def switched_on(app):
    plugin_state.set_enabled("navtuple", True)
    navtuple.COUNT[0] = 3
    yield
    navtuple.COUNT[0] = 3


@pytest.fixture
def layouts(monkeypatch) -> list[int]:
    """One entry per time core laid the plugins' answers out."""
    found: list[int] = []
    lay_out = core.ui._nav_entries

    def counted(answers):
        found.append(len(answers))
        return lay_out(answers)

    monkeypatch.setattr(core.ui, "_nav_entries", counted)
    core.ui._MERGED.clear()
    return found


def entry(html: str) -> str:
    """The plugin's menu entry: its label and badge."""
    found = re.findall(r'<li><a href="/g/">([^<]+)(?: <span class="badge">(\d+)</span>)?</a></li>', html)
    return " ".join(part for part in found[-1] if part)


def page(client, url: str = "/") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.text


def test_the_same_answer_is_laid_out_once(member_client, layouts):
    assert entry(page(member_client)) == "Groups 3"
    assert entry(page(member_client, "/search")) == "Groups 3"
    assert layouts == [1]


def test_a_new_count_shows_on_the_next_page(member_client, layouts):
    assert entry(page(member_client)) == "Groups 3"
    navtuple.COUNT[0] = 12
    assert entry(page(member_client)) == "Groups 12"
    navtuple.COUNT[0] = 0
    assert entry(page(member_client)) == "Groups"
    assert layouts == [1, 1, 1]


def test_each_language_gets_its_own_layout(member_client, member, layouts):
    assert entry(page(member_client)) == "Groups 3"
    member.locale = "de"
    from core.extensions import db

    db.session.commit()
    assert entry(page(member_client)) == "Gruppen 3"
    assert layouts == [1, 1]


def test_a_list_answer_is_laid_out_on_every_page(member_client, layouts, monkeypatch):
    monkeypatch.setattr(navtuple, "items", lambda count: [navtuple.NavItem(label="Listed", endpoint="groups.directory",
                                                                            badge=count)])
    assert entry(page(member_client)) == "Listed 3"
    assert entry(page(member_client)) == "Listed 3"
    assert layouts == [1, 1]
