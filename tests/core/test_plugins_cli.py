"""`flask plugins list|enable|disable [--group SLUG]`."""
from __future__ import annotations

import pytest

from core.plugins import get_plugins


@pytest.fixture
def app_plugins():
    return ["tests.plugins.fixtures.grouptab", "tests.plugins.fixtures.recorder"]


@pytest.fixture
def flask(app):
    runner = app.test_cli_runner()

    def run(*args: str, **options):
        return runner.invoke(args=["plugins", *args], **options)

    return run


def test_list_shows_each_plugin_with_version_scope_state_and_hooks(flask):
    result = flask("list")
    assert result.exit_code == 0, result.output
    assert "grouptab  2.1.0  [group]  disabled" in result.output
    assert "recorder  1.0.0  [site]  disabled" in result.output
    assert "Group notes: Short notes pinned to a group." in result.output
    assert "hooks:" in result.output and "group_tabs" in result.output


def test_enable_and_disable_site_wide(flask, app):
    result = flask("enable", "recorder")
    assert result.exit_code == 0 and "recorder enabled site-wide." in result.output
    assert get_plugins().is_enabled("recorder")
    assert "recorder  1.0.0  [site]  enabled" in flask("list").output
    assert "already enabled" in flask("enable", "recorder").output
    result = flask("disable", "recorder")
    assert result.exit_code == 0 and "recorder disabled site-wide." in result.output
    assert not get_plugins().is_enabled("recorder")


def test_a_change_from_the_cli_reaches_a_running_worker(flask, app, make_app):
    worker = make_app().test_client()
    assert worker.get("/recorder/ping").status_code == 404
    flask("enable", "recorder")
    assert worker.get("/recorder/ping").status_code == 200


def test_group_switch_from_the_cli(flask, app, make_group):
    group = make_group(slug="allotment")
    result = flask("enable", "grouptab", "--group", "allotment")
    assert result.exit_code != 0 and "disabled site-wide; enable it first" in result.output
    flask("enable", "grouptab")
    result = flask("enable", "grouptab", "--group", "allotment")
    assert result.exit_code == 0 and "grouptab enabled for group allotment." in result.output
    assert get_plugins().is_enabled("grouptab", group)
    assert "grouptab  2.1.0  [group]  on" in flask("list", "--group", "allotment").output
    assert "recorder" not in flask("list", "--group", "allotment").output
    assert "enabled, on in 1 group(s)" in flask("list").output
    result = flask("disable", "grouptab", "--group", "allotment")
    assert result.exit_code == 0 and not get_plugins().is_enabled("grouptab", group)


def test_mistakes_exit_with_a_message(flask, make_group):
    make_group(slug="allotment")
    result = flask("enable", "nope")
    assert result.exit_code != 0 and "No installed plugin 'nope'" in result.output and "grouptab" in result.output
    result = flask("enable", "grouptab", "--group", "nowhere")
    assert result.exit_code != 0 and "No group with the slug 'nowhere'" in result.output
    flask("enable", "recorder")
    result = flask("enable", "recorder", "--group", "allotment")
    assert result.exit_code != 0 and "cannot be switched per group" in result.output
    result = flask("list", "--group", "nowhere")
    assert result.exit_code != 0


# --- forget: the state an uninstalled plugin left behind ---------------------------------------


@pytest.fixture
def uninstalled(app, make_group):
    """State of a plugin ``gone`` that is no longer installed: its site row and a group's switch."""
    from core.extensions import db
    from core.models import GroupPluginState, PluginState

    group = make_group(slug="allotment")
    db.session.add_all([PluginState(plugin_id="gone", enabled=True, settings={"colour": "green"}),
                        GroupPluginState(group_id=group.id, plugin_id="gone", enabled=True)])
    db.session.commit()


def _state_of(plugin_id: str) -> list:
    from core.extensions import db
    from core.models import GroupPluginState, PluginState

    db.session.expire_all()
    return [*db.session.scalars(db.select(PluginState).where(PluginState.plugin_id == plugin_id)),
            *db.session.scalars(db.select(GroupPluginState).where(GroupPluginState.plugin_id == plugin_id))]


def test_forget_deletes_the_state_an_uninstalled_plugin_left(flask, uninstalled):
    result = flask("forget", "gone", "--yes")
    assert result.exit_code == 0, result.output
    assert "gone forgotten" in result.output and "clean-up of stored files no longer waits" in result.output
    assert _state_of("gone") == []


def test_forget_asks_first_and_keeps_the_state_when_told_no(flask, uninstalled):
    result = flask("forget", "gone", input="n\n")
    assert result.exit_code != 0
    assert len(_state_of("gone")) == 2


def test_forget_refuses_an_installed_plugin(flask):
    flask("enable", "recorder")
    result = flask("forget", "recorder", "--yes")
    assert result.exit_code != 0 and "recorder is installed" in result.output
    assert len(_state_of("recorder")) == 1


def test_forget_refuses_a_blocked_plugin_it_may_come_back(app, make_app, uninstalled):
    blocked = make_app(PLUGINS_BLOCKED=["gone"])
    with blocked.app_context():
        result = blocked.test_cli_runner().invoke(args=["plugins", "forget", "gone", "--yes"])
    assert result.exit_code != 0 and "gone is installed" in result.output
    assert len(_state_of("gone")) == 2


def test_forget_says_when_there_is_nothing_to_forget(flask):
    result = flask("forget", "never-heard-of", "--yes")
    assert result.exit_code != 0 and "Nothing to forget" in result.output
