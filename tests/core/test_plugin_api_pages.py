"""A group-scope plugin's page inside a group, drawn with ``core.plugin_api.render_group_page``:
the group's header and tabs come from core, the plugin writes only its own part."""
from __future__ import annotations

import re

import pytest

from core.extensions import db
from core.plugins import state as plugin_state
from tests.plugins.fixtures import grouptab


@pytest.fixture
def app_plugins():
    return ["tests.plugins.fixtures.grouptab"]


@pytest.fixture
def group(app, make_group, member, make_user):
    grouptab.create_tables()
    group = make_group(slug="allotment", name="Allotment friends", members=(member,), owner=make_user("owner"))
    db.session.execute(grouptab.notes.insert().values(group_id=group.id, text="Water the beans"))
    db.session.commit()
    plugin_state.set_enabled("grouptab", True)
    plugin_state.set_group_enabled("grouptab", group, True)
    yield group
    db.session.remove()
    grouptab.drop_tables()


def test_plugin_page_has_the_group_header_and_tabs_with_its_own_tab_current(member_client, group):
    html = member_client.get("/g/allotment/notes").get_data(as_text=True)
    assert '<h1><a href="/g/allotment">Allotment friends</a></h1>' in html
    assert "You are a member here" in html  # the viewer's role, from the header's own helpers
    tabs = re.search(r'<ul class="tabs">.*?</ul>', html, re.S).group(0)
    assert '<a href="/g/allotment">Feed</a>' in tabs
    assert '<a href="/g/allotment/notes" aria-current="page">Notes</a>' in tabs
    assert "Water the beans" in html
    assert "<title>Notes · Allotment friends" in html


def test_plugin_page_of_a_private_group_is_404_for_outsiders(app, group, make_user, login):
    group.visibility = "private"
    db.session.commit()
    outsider = login(app.test_client(), make_user("outsider"))
    assert outsider.get("/g/allotment/notes").status_code == 404


def test_a_plugin_template_drawing_group_parts_itself_gets_the_helpers(app, group, member, login):
    """``perms`` and ``role_label`` are there for every template, not only the groups blueprint's."""
    from flask import render_template_string
    from flask_login import login_user

    from core.plugin_api import group_or_404

    with app.test_request_context("/grouptab/"):
        login_user(member)
        context = group_or_404("allotment")
        html = render_template_string(
            '{% from "groups/_macros.html" import group_header with context %}{{ group_header(context, []) }}'
            '{{ role_label(context.membership.role) }} {{ perms.can_post(current_user, group) }}',
            context=context, group=context.group)
    assert "You are a member here" in html and "member True" in html
