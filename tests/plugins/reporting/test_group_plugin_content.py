"""A group-scope plugin's content is reportable where the plugin is on in its group, and nowhere
else – core refuses it, reporting does not have to know about plugin switches."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from core.extensions import db
from core.plugins import state as plugin_state
from plugins.reporting.models import Case
from tests.plugins.fixtures import groupnotes


@pytest.fixture
def app_plugins():
    return ["plugins.reporting", "tests.plugins.fixtures.groupnotes"]


@pytest.fixture
def note(community):
    groupnotes.reset()
    plugin_state.set_enabled("groupnotes", True)
    plugin_state.set_group_enabled("groupnotes", community.group, True)
    groupnotes.NOTES[7] = groupnotes.Note(7, community.group.id, community.bob.id, "Buy my seeds, cheap!")
    yield groupnotes.NOTES[7]
    groupnotes.reset()


def test_a_group_plugins_item_is_reported_where_the_plugin_is_on(community, client_for, note):
    alice = client_for(community.alice)
    assert "Buy my seeds, cheap!" in alice.get("/report/groupnote/7").text
    assert alice.post("/report/groupnote/7", data={"category": "spam"}).status_code == 302
    assert db.session.scalar(select(Case.content_type)) == "groupnote"


def test_where_the_group_switched_the_plugin_off_its_item_cannot_be_reported(community, client_for, note):
    plugin_state.set_group_enabled("groupnotes", community.group, False)
    alice = client_for(community.alice)
    assert alice.get("/report/groupnote/7").status_code == 404
    assert alice.post("/report/groupnote/7", data={"category": "spam"}).status_code == 404
    assert db.session.scalar(select(Case)) is None


def test_an_item_of_a_plugin_switched_off_since_it_was_reported_is_left_untouched(community, client_for, note):
    client_for(community.alice).post("/report/groupnote/7", data={"category": "spam"})
    case = db.session.scalar(select(Case))
    plugin_state.set_group_enabled("groupnotes", community.group, False)
    response = client_for(community.moderator).post(f"/moderation/cases/{case.id}/decide",
                                                    data={"actions": ["delete"], "explanation": "Spam"})
    assert response.status_code in (400, 422)
    assert "no longer exists" in response.text
    assert 7 in groupnotes.NOTES  # the feature is off there: its data is kept as it was
