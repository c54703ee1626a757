"""Group-scope plugins as first-class: every hook about something in a group receives the group,
and core itself keeps a group plugin's content and answers out of groups that have it off."""
from __future__ import annotations

import pytest

from core.extensions import db
from core.plugin_api import content_types
from core.plugins import state as plugin_state
from tests.plugins.fixtures import groupnotes


@pytest.fixture
def app_plugins():
    return ["tests.plugins.fixtures.groupnotes"]


@pytest.fixture(autouse=True)
def fresh_notes():
    groupnotes.reset()
    yield
    groupnotes.reset()


@pytest.fixture
def groups(app, make_group, make_user, member):
    """``on`` has the plugin switched on, ``off`` not; ``member`` belongs to both."""
    owner = make_user("owner")
    on = make_group(slug="on", owner=owner, members=(member,), join_mode="open")
    off = make_group(slug="off", owner=owner, members=(member,), join_mode="open")
    plugin_state.set_enabled("groupnotes", True)
    plugin_state.set_group_enabled("groupnotes", on, True)
    groupnotes.SEEN.clear()
    return on, off


def note_in(group, author, note_id):
    groupnotes.NOTES[note_id] = groupnotes.Note(note_id, group.id, author.id, f"note {note_id}")
    return groupnotes.NOTES[note_id]


def kind(name, group=None):
    return {ct.name: ct for ct in content_types(group)}[name]


def test_each_content_type_says_which_plugin_declared_it(groups):
    declared = {ct.name: ct.plugin_id for ct in content_types()}
    assert declared["groupnote"] == "groupnotes" and declared["post"] == "core" and declared["profile"] == "core"


def test_an_item_of_a_group_plugin_is_found_only_where_the_plugin_is_on(groups, member):
    on, off = groups
    note_in(on, member, 1)
    note_in(off, member, 2)
    notes = kind("groupnote")
    assert notes.load(1) is groupnotes.NOTES[1] and notes.visible_to(groupnotes.NOTES[1], member)
    assert notes.load(2) is None and not notes.visible_to(groupnotes.NOTES[2], member)
    plugin_state.set_group_enabled("groupnotes", on, False)
    assert kind("groupnote").load(1) is None


def test_content_types_for_a_group_leave_out_plugins_off_there(groups):
    on, off = groups
    assert "groupnote" in {ct.name for ct in content_types(on)}
    assert "groupnote" not in {ct.name for ct in content_types(off)}
    assert ("content_types", "on") in groupnotes.SEEN and ("content_types", "off") not in groupnotes.SEEN


def test_event_hooks_receive_the_group(groups, member, make_user, login, app):
    on, _off = groups
    client = login(app.test_client(), member)
    client.post("/g/on/posts", data={"body": "Hello"})
    from core.models import Post

    post = db.session.scalars(db.select(Post)).one()
    client.post(f"/g/on/p/{post.id}/comments", data={"body": "Reply"})
    login(app.test_client(), make_user("newcomer")).post("/g/on/join")
    assert {("post_created", "on"), ("comment_created", "on"), ("member_joined", "on")} <= set(groupnotes.SEEN)


def test_page_hooks_receive_the_group(groups, member, login, app, make_post):
    on, _off = groups
    make_post(on, member, "Beans")
    login(app.test_client(), member).get("/g/on")
    assert ("content_placeholders:post", "on") in groupnotes.SEEN
    assert ("template_slot:group_sidebar", "on") in groupnotes.SEEN


def test_a_group_plugins_policy_applies_where_it_is_on_and_only_there(groups, member, make_user, make_post, login,
                                                                      app):
    on, off = groups
    from core.plugin_api import can_interact

    author = make_user("author")

    groupnotes.DENY.add("all")
    assert can_interact(member, author, on) is False
    assert can_interact(member, author, off) is True
    assert ("can_interact", "on") in groupnotes.SEEN and ("can_interact", "off") not in groupnotes.SEEN
    post_on, post_off = make_post(on, author, "on"), make_post(off, author, "off")
    client = login(app.test_client(), member)
    assert client.post(f"/g/on/p/{post_on.id}/comments", data={"body": "Hi"}).status_code == 403
    assert client.post(f"/g/off/p/{post_off.id}/comments", data={"body": "Hi"}).status_code == 302
