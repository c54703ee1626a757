"""Content another plugin registers through ``content_types`` is reportable and moderated the same way."""
from __future__ import annotations

import pytest
from flask import render_template_string
from sqlalchemy import select

from core.extensions import db
from plugins.reporting.models import Case
from tests.plugins.reporting import notes_plugin


@pytest.fixture
def app_plugins():
    return ["plugins.reporting", "tests.plugins.reporting.notes_plugin"]


@pytest.fixture
def note(community, enable_plugin):
    enable_plugin("testnotes")
    notes_plugin.NOTES.clear()
    found = notes_plugin.TestNote(id=7, author_id=community.bob.id, group_id=community.group.id,
                                  text="a private note", readers=(community.bob.id, community.alice.id))
    notes_plugin.NOTES[7] = found
    yield found
    notes_plugin.NOTES.clear()


def test_another_plugins_content_can_be_reported_and_deleted(community, client_for, note):
    alice = client_for(community.alice)
    assert "a private note" in alice.get("/report/testnote/7").text
    assert alice.post("/report/testnote/7", data={"category": "harassment"}).status_code == 302
    case = db.session.scalar(select(Case))
    assert (case.content_type, case.group_id, case.author_id) == ("testnote", community.group.id, community.bob.id)
    moderator = client_for(community.moderator)
    page = moderator.get(f"/moderation/cases/{case.id}").text
    assert "a private note" in page and 'value="delete"' in page
    moderator.post(f"/moderation/cases/{case.id}/decide", data={"actions": ["delete"], "explanation": "Nasty"})
    assert 7 not in notes_plugin.NOTES


def test_content_you_cannot_see_is_404_even_for_other_types(community, client_for, note):
    assert client_for(community.carol).get("/report/testnote/7").status_code == 404
    assert client_for(community.carol).post("/report/testnote/7", data={"category": "spam"}).status_code == 404


def test_report_link_for_any_content_type_through_the_content_actions_slot(community, app, login, note):
    from flask_login import login_user

    with app.test_request_context():
        login_user(community.alice)
        html = render_template_string(
            '{{ slot("content_actions", content_type="testnote", content_id=7, author_id=author) }}',
            author=community.bob.id)
    assert 'href="/report/testnote/7"' in html and f'href="/blocks/confirm/{community.bob.id}"' in html


def test_another_plugins_content_is_gone_when_that_plugin_is_disabled(community, client_for, note):
    from core.plugins import state as plugin_state

    plugin_state.set_enabled("testnotes", False)
    assert client_for(community.alice).get("/report/testnote/7").status_code == 404
