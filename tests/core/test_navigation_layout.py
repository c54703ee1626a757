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


def test_entries_escape_a_text_label_and_keep_an_html_one_even_when_both_read_the_same():
    from markupsafe import Markup

    from core.ui import NavLink, nav_entries

    as_text = nav_entries([NavLink("<b>Mine</b>", "/mine?a=1&b=2", None)])
    as_html = nav_entries([NavLink(Markup("<b>Mine</b>"), "/mine", None)])
    assert as_text == '<li><a href="/mine?a=1&amp;b=2">&lt;b&gt;Mine&lt;/b&gt;</a></li>'
    assert as_html == '<li><a href="/mine"><b>Mine</b></a></li>'
    again_as_text = nav_entries([NavLink("<b>Mine</b>", "/mine", None)])
    assert again_as_text == '<li><a href="/mine">&lt;b&gt;Mine&lt;/b&gt;</a></li>'


def test_a_badge_above_99_shows_as_99_plus():
    from core.ui import NavLink, nav_entries

    assert nav_entries([NavLink("Inbox", "/in", 100), NavLink("Out", "/out", 7)]) == (
        '<li><a href="/in">Inbox <span class="badge">99+</span></a></li>\n'
        '<li><a href="/out">Out <span class="badge">7</span></a></li>')


def test_tab_entries_mark_the_current_page():
    from core.groups.loading import Tab
    from core.ui import tab_entries

    html = tab_entries([Tab("Feed", "/g/a", True), Tab("Requests", "/g/a/requests", False, badge=2)])
    assert html == ('<li><a href="/g/a" aria-current="page">Feed</a></li>\n'
                    '<li><a href="/g/a/requests">Requests <span class="badge">2</span></a></li>')
    assert tab_entries([Tab("Feed", "/g/a", False)]) == '<li><a href="/g/a">Feed</a></li>'
