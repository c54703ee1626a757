"""The hook runner (``core.plugins.runner``): every hook call goes through it.

A failing implementation of an event hook is rolled back alone (its own SAVEPOINT) while
the member's write lands; ``firstresult`` stops at the first answer; policy hooks fail
closed because their spec says so; core calling a hook wrongly raises at once instead of
looking like a plugin's fault; a plugin asking for an argument a hook does not have is
refused at start-up naming the plugin, the hook and the argument; hooks run in load order.
"""
from __future__ import annotations

import logging
import types

import pytest
from sqlalchemy import text

from core import create_app
from core.extensions import db
from core.models import Notification, Post
from core.plugins import PluginError, PluginMeta, get_plugins
from core.plugins import specs as hookspecs
from core.plugins import state as plugin_state
from core.plugins.runner import HookCallError, fills_slots
from core.plugins.specs import hookimpl


def throwaway_plugin(plugin_id: str, **hooks) -> types.ModuleType:
    """A plugin module made in the test: ``META`` plus the given functions as hook implementations."""
    module = types.ModuleType(f"throwaway_{plugin_id}")
    module.META = PluginMeta(id=plugin_id, name=plugin_id.title(), version="1")
    for name, function in hooks.items():
        marker = hookimpl(**function.marks) if hasattr(function, "marks") else hookimpl
        setattr(module, name, marker(function))
    return module


def note_for(user_id: int, kind: str) -> None:
    db.session.add(Notification(user_id=user_id, kind=kind, data={}))


def failing_post_created(post):
    """Writes a row, then runs SQL that fails (as a plugin with a missing table would)."""
    note_for(post.author_id, "from_failing_plugin")
    db.session.flush()
    db.session.execute(text("INSERT INTO no_such_table (id) VALUES (1)"))


def duplicate_key_post_created(post):
    """Adds a row whose primary key already exists: the failure comes when the savepoint flushes."""
    db.session.add(Notification(id=db.session.scalar(db.select(db.func.max(Notification.id))), user_id=post.author_id,
                                kind="duplicate", data={}))


def working_post_created(post):
    note_for(post.author_id, "from_working_plugin")


FAILING = throwaway_plugin("failing", post_created=failing_post_created)
DUPLICATE = throwaway_plugin("duplicate", post_created=duplicate_key_post_created)
WORKING = throwaway_plugin("working", post_created=working_post_created)


@pytest.fixture
def group(make_group, member, make_user):
    return make_group(slug="allotment", name="Allotment", owner=make_user("owner"), members=(member,))


def kinds_stored() -> set[str]:
    db.session.expire_all()
    return set(db.session.scalars(db.select(Notification.kind)))


@pytest.mark.plugins(FAILING, WORKING)
def test_a_post_created_hook_whose_sql_fails_is_rolled_back_alone_and_the_post_lands(group, member, member_client,
                                                                                     caplog):
    plugin_state.set_enabled("failing", True)
    plugin_state.set_enabled("working", True)
    with caplog.at_level(logging.ERROR, logger="commonground.plugins"):
        response = member_client.post("/g/allotment/posts", data={"body": "Beans are up"})
    assert response.status_code == 302
    assert db.session.scalar(db.select(Post.body_source)) == "Beans are up"
    assert kinds_stored() == {"from_working_plugin"}  # the failing plugin's own row went with its savepoint
    assert "plugin failing failed in hook post_created; its contribution is dropped" in caplog.text


@pytest.mark.plugins(DUPLICATE, WORKING)
def test_a_hook_whose_pending_rows_fail_to_flush_does_not_lose_the_post_either(group, member, member_client,
                                                                               make_user):
    note_for(make_user("someone").id, "existing")
    db.session.commit()
    plugin_state.set_enabled("duplicate", True)
    plugin_state.set_enabled("working", True)
    response = member_client.post("/g/allotment/posts", data={"body": "Still here"})
    assert response.status_code == 302
    assert db.session.scalar(db.select(Post.body_source)) == "Still here"
    assert kinds_stored() == {"existing", "from_working_plugin"}


@pytest.mark.plugins(FAILING, WORKING)
def test_the_api_write_lands_too(group, member, login, app):
    plugin_state.set_enabled("failing", True)
    client = login(app.test_client(), member)
    response = client.post("/api/v1/groups/allotment/posts", json={"body": "Via the API"})
    assert response.status_code == 201, response.get_json()
    assert db.session.scalar(db.select(Post.body_source)) == "Via the API"


SCHEMA_CALLS: list[str] = []


def first_schema():
    SCHEMA_CALLS.append("first")
    return "first answer"


def second_schema():
    SCHEMA_CALLS.append("second")
    return "second answer"


@pytest.mark.plugins(throwaway_plugin("first", settings_schema=first_schema),
                     throwaway_plugin("second", settings_schema=second_schema))
def test_firstresult_hooks_stop_at_the_first_answer(app):
    SCHEMA_CALLS.clear()
    assert get_plugins().call("settings_schema") == ["first answer"]
    assert SCHEMA_CALLS == ["first"]


def test_a_core_call_with_an_unknown_or_missing_argument_raises_instead_of_blaming_a_plugin(app, member):
    plugins = get_plugins()
    wrong = r"post_created with unknown argument\(s\) pots; missing argument\(s\) post"
    with pytest.raises(HookCallError, match=wrong):
        plugins.call("post_created", pots=member)
    with pytest.raises(HookCallError, match="missing argument"):
        plugins.call_policy("can_interact", actor=member)
    with pytest.raises(HookCallError, match="'no_such_hook', which is not a hook"):
        plugins.call("no_such_hook")


def test_policy_hooks_fail_closed_because_their_spec_says_so():
    contracts = {name: hookspecs.contract_of(getattr(hookspecs, name)) for name in ("can_interact", "can_join_group")}
    assert all(c.fails_closed for c in contracts.values())
    assert not hookspecs.contract_of(hookspecs.nav_items).fails_closed


def test_only_a_hook_declared_to_fail_closed_can_be_asked_as_a_policy(app, member):
    with pytest.raises(HookCallError, match="nav_items is not a policy hook"):
        get_plugins().call_policy("nav_items", user=member)


def silent_column(viewer, content_type, id_column):
    return None


def broken_column(viewer, content_type, id_column):
    raise RuntimeError("this plugin's column is broken")


def plain_column(viewer, content_type, id_column):
    return f"{content_type} column"


@pytest.mark.plugins(throwaway_plugin("silent", list_columns=silent_column),
                     throwaway_plugin("broken", list_columns=broken_column),
                     throwaway_plugin("plain", list_columns=plain_column))
def test_answers_names_each_plugin_that_answered_leaving_out_silence_and_failures(app, member, caplog):
    for plugin_id in ("silent", "broken", "plain"):
        plugin_state.set_enabled(plugin_id, True)
    with caplog.at_level(logging.ERROR, logger="commonground.plugins"):
        found = get_plugins().runner.answers("list_columns", viewer=member, content_type="post", id_column=Post.id)
    assert found == [("plain", "post column")]
    assert "plugin broken failed in hook list_columns" in caplog.text


@pytest.mark.plugins(throwaway_plugin("plain", list_columns=plain_column))
def test_answers_reach_only_enabled_plugins(app, member):
    assert get_plugins().runner.answers("list_columns", viewer=member, content_type="post", id_column=Post.id) == []


def test_every_hookspec_declares_its_contract():
    marker = f"{hookspecs.PROJECT}_spec"
    for name, obj in vars(hookspecs).items():
        if callable(obj) and hasattr(obj, marker):
            assert hasattr(obj, hookspecs.CONTRACT_ATTRIBUTE), f"hook {name} has no @contract(...)"


def moody_post_created(post, mood):
    return None


def test_a_hook_implemented_with_an_unknown_argument_stops_start_up_naming_plugin_hook_and_argument(database_url):
    moody = throwaway_plugin("moody", post_created=moody_post_created)
    with pytest.raises(PluginError) as err:
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "x"}, plugins=[moody])
    message = str(err.value)
    assert "plugin 'moody'" in message and "post_created" in message and "'mood'" in message
    assert "post" in message  # what the hook does offer


ORDER: list[str] = []


def nav_by(label: str, **marks):
    def nav_items(user):
        ORDER.append(label)

    nav_items.marks = marks
    return nav_items


@pytest.mark.plugins(throwaway_plugin("zulu", nav_items=nav_by("zulu")),
                     throwaway_plugin("alpha", nav_items=nav_by("alpha")),
                     throwaway_plugin("eager", nav_items=nav_by("eager", tryfirst=True)))
def test_implementations_run_in_load_order_with_tryfirst_ahead_and_core_defaults_last(app, member):
    for pid in ("zulu", "alpha", "eager"):
        plugin_state.set_enabled(pid, True)
    ORDER.clear()
    get_plugins().call("nav_items", user=member)
    assert ORDER == ["eager", "zulu", "alpha"]
    impls = get_plugins().runner.hook("support_resources").impls
    assert impls[-1].plugin_id == "core"


SLOT_CALLS: list[tuple[str, str]] = []


def slot_recorder(plugin_id: str, *declared: str):
    def template_slot(name, context):
        SLOT_CALLS.append((plugin_id, name))
        return None

    return fills_slots(*declared)(template_slot) if declared else template_slot


@pytest.mark.plugins(throwaway_plugin("declared", template_slot=slot_recorder("declared", "footer")),
                     throwaway_plugin("undeclared", template_slot=slot_recorder("undeclared")))
def test_a_plugin_that_declares_its_slots_is_asked_for_those_only(app):
    for pid in ("declared", "undeclared"):
        plugin_state.set_enabled(pid, True)
    SLOT_CALLS.clear()
    with app.test_request_context("/"):
        get_plugins().runner.render_slot("footer")
        get_plugins().runner.render_slot("sidebar")
    assert SLOT_CALLS == [("declared", "footer"), ("undeclared", "footer"), ("undeclared", "sidebar")]


def test_declaring_an_unknown_slot_fails_at_once_naming_it():
    with pytest.raises(ValueError, match="'fotoer'"):
        fills_slots("footer", "fotoer")
    with pytest.raises(ValueError, match="none named"):
        fills_slots()


def test_the_same_wrong_call_raises_every_time_not_only_the_first(app, member):
    for _ in range(2):
        with pytest.raises(HookCallError, match="unknown argument"):
            get_plugins().call("post_created", pots=member)


def list_slot(name, items):
    return [None for _ in items]


def test_a_list_slot_implementation_must_declare_its_slots(database_url):
    vague = throwaway_plugin("vague", template_slot_list=list_slot)
    with pytest.raises(PluginError, match="template_slot_list does not declare its slots"):
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "x"}, plugins=[vague])


def test_a_list_slot_implementation_may_declare_list_slots_only(database_url):
    sidebar = throwaway_plugin("sidebar", template_slot_list=fills_slots("post_actions", "sidebar")(list_slot))
    with pytest.raises(PluginError, match="'sidebar', which are not list slots"):
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "x"}, plugins=[sidebar])


def tab_of_group_plugin(group, user):
    return [f"tab in {group.slug}"]


GROUP_SCOPED = throwaway_plugin("grouped", group_tabs=tab_of_group_plugin)
GROUP_SCOPED.META = PluginMeta(id="grouped", name="Grouped", version="1", scope="group")


@pytest.mark.plugins(GROUP_SCOPED)
def test_the_implementations_asked_for_a_group_follow_each_switch_of_the_plugin(app, member, make_group, make_user):
    """The runner remembers whom a call reaches per group; every switch (site, group) is seen at once."""
    owner = make_user("owner")
    garden, kitchen = make_group(slug="garden", owner=owner), make_group(slug="kitchen", owner=owner)

    def answers() -> tuple[list, list]:
        runner = get_plugins().runner
        return (runner.call("group_tabs", group=garden, user=member),
                runner.call("group_tabs", group=kitchen, user=member))

    assert answers() == ([], [])
    plugin_state.set_enabled("grouped", True)
    plugin_state.set_group_enabled("grouped", garden, True)
    assert answers() == ([["tab in garden"]], [])
    plugin_state.set_group_enabled("grouped", kitchen, True)
    assert answers() == ([["tab in garden"]], [["tab in kitchen"]])
    plugin_state.set_group_enabled("grouped", garden, False)
    assert answers() == ([], [["tab in kitchen"]])
    plugin_state.set_enabled("grouped", False)
    assert answers() == ([], [])
