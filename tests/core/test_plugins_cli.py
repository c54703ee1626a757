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

    def run(*args: str):
        return runner.invoke(args=["plugins", *args])

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
