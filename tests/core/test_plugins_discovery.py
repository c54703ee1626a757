"""Finding plugins: entry points, blocking, import failures, contract checks at start-up."""
from __future__ import annotations

import configparser
import importlib
import logging
import sys
import types
from pathlib import Path

import pytest

from core.plugins import ENTRY_POINT_GROUP, PluginError, PluginMeta, get_plugins
from core.plugins.specs import hookimpl

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def distribution(tmp_path, monkeypatch):
    """``distribution(entry, module, source)``: a tiny installed distribution in ``tmp_path``
    declaring ``entry = module`` in the ``commonground.plugins`` entry-point group."""
    made: list[str] = []

    def make(entry: str, module: str, source: str) -> Path:
        (tmp_path / f"{module}.py").write_text(source)
        info = tmp_path / f"{module.replace('_', '-')}-0.1.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {module.replace('_', '-')}\nVersion: 0.1\n")
        (info / "entry_points.txt").write_text(f"[{ENTRY_POINT_GROUP}]\n{entry} = {module}\n")
        made.append(module)
        importlib.invalidate_caches()
        return info

    monkeypatch.syspath_prepend(str(tmp_path))
    yield make
    for module in made:
        sys.modules.pop(module, None)


EXPLODING = "raise RuntimeError('this plugin must never be imported')\n"
FINE = (
    "from core.plugins.specs import NavItem, hookimpl\n"
    "from core.plugins import PluginMeta\n"
    "META = PluginMeta(id='fine', name='Fine', version='1.2.3', description='Installed for real.')\n"
    "@hookimpl\n"
    "def nav_items(user):\n"
    "    return [NavItem(label='Fine link', endpoint='web.index')]\n"
)


def test_entry_point_group_in_setup_cfg_is_the_one_core_reads():
    parser = configparser.ConfigParser()
    parser.read(ROOT / "setup.cfg")
    assert ENTRY_POINT_GROUP in parser["options.entry_points"]


def test_every_plugin_declared_in_setup_cfg_has_meta_with_the_entry_point_name():
    parser = configparser.ConfigParser()
    parser.read(ROOT / "setup.cfg")
    declared = [line.split("=", 1) for line in parser["options.entry_points"][ENTRY_POINT_GROUP].splitlines()
                if line.strip()]
    for name, target in declared:
        module = importlib.import_module(target.strip().split(":")[0])
        assert module.META.id == name.strip()


def test_installed_plugin_is_discovered_through_its_entry_point(make_app, distribution, client):
    distribution("fine", "cg_fine_plugin", FINE)
    other = make_app(plugins=None, PLUGINS=["fine"])
    plugins = get_plugins(other)
    assert list(plugins.installed) == ["fine"]
    assert plugins.installed["fine"].meta.version == "1.2.3"
    assert plugins.hooks_of("fine") == ["nav_items"]


def test_blocked_plugin_is_never_imported_and_the_app_starts(make_app, distribution, monkeypatch):
    distribution("boom", "cg_boom_plugin", EXPLODING)
    monkeypatch.setenv("COMMONGROUND_PLUGINS_BLOCKED", "boom, other")
    other = make_app(plugins=None, PLUGINS=["boom"])
    plugins = get_plugins(other)
    assert "cg_boom_plugin" not in sys.modules
    assert plugins.blocked == {"boom", "other"}
    assert "boom" not in plugins.installed and "boom" not in plugins.failed
    assert other.test_client().get("/").status_code == 200


def test_plugin_that_fails_to_import_is_logged_and_skipped(make_app, distribution, caplog):
    distribution("boom", "cg_boom_plugin", EXPLODING)
    with caplog.at_level(logging.ERROR, logger="commonground.plugins"):
        other = make_app(plugins=None, PLUGINS=["boom"])
    plugins = get_plugins(other)
    assert "boom" not in plugins.installed
    assert "must never be imported" in plugins.failed["boom"]
    assert any("boom" in r.getMessage() and "failed to import" in r.getMessage() for r in caplog.records)
    assert other.test_client().get("/").status_code == 200


def test_entry_point_whose_meta_has_another_id_is_skipped(make_app, distribution):
    distribution("fine_alias", "cg_fine_plugin", FINE)
    plugins = get_plugins(make_app(plugins=None, PLUGINS=["fine_alias"]))
    assert plugins.installed == {}
    assert "'fine'" in plugins.failed["fine_alias"]


def test_blocking_by_id_also_applies_to_an_explicit_plugin_list(make_app):
    plugins = get_plugins(make_app(plugins=["tests.plugins.fixtures.noop"], PLUGINS_BLOCKED=["noop"]))
    assert "noop" not in plugins.installed
    assert plugins.pm.get_plugin("noop") is None


def test_misspelled_hook_implementation_fails_at_start_up_naming_plugin_and_hook(make_app):
    with pytest.raises(PluginError) as raised:
        make_app(plugins=["tests.plugins.fixtures.misspelled"])
    message = str(raised.value)
    assert "'misspelled'" in message and "nav_item" in message
    assert "COMMONGROUND_PLUGINS_BLOCKED=misspelled" in message


def test_misspelled_installed_plugin_fails_at_start_up_too(make_app, distribution):
    distribution("typo", "cg_typo_plugin", (
        "from core.plugins.specs import hookimpl\n"
        "from core.plugins import PluginMeta\n"
        "META = PluginMeta(id='typo', name='Typo', version='1')\n"
        "@hookimpl\n"
        "def templat_slot(name, context):\n"
        "    return None\n"
    ))
    with pytest.raises(PluginError, match="templat_slot"):
        make_app(plugins=None, PLUGINS=["typo"])


def _module(name: str, **attrs) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__dict__.update(attrs)
    return module


def test_hook_implementation_asking_for_an_unknown_argument_fails_at_start_up(make_app):
    @hookimpl
    def nav_items(user, colour):
        return []

    plugin = _module("cg_wrong_args", META=PluginMeta(id="wrong_args", name="W", version="1"), nav_items=nav_items)
    with pytest.raises(PluginError, match="(?s)wrong_args.*colour"):
        make_app(plugins=[plugin])


def test_plugin_without_meta_is_rejected(make_app):
    with pytest.raises(PluginError, match="no META"):
        make_app(plugins=[_module("cg_no_meta")])


def test_two_plugins_with_one_id_are_rejected(make_app):
    first = _module("cg_first", META=PluginMeta(id="twin", name="A", version="1"))
    second = _module("cg_second", META=PluginMeta(id="twin", name="B", version="1"))
    with pytest.raises(PluginError, match="twin"):
        make_app(plugins=[first, second])


@pytest.mark.parametrize("bad_id", ["Bad", "with-dash", "", "1starts_with_digit", "core"])
def test_plugin_ids_are_lowercase_identifiers_and_core_is_reserved(bad_id):
    with pytest.raises(PluginError):
        PluginMeta(id=bad_id, name="x", version="1")


def test_scope_is_site_or_group():
    with pytest.raises(PluginError, match="scope"):
        PluginMeta(id="scoped", name="x", version="1", scope="everywhere")


def test_hook_wrappers_are_refused(make_app):
    @hookimpl(wrapper=True)
    def nav_items(user):
        return (yield)

    plugin = _module("cg_wrapper", META=PluginMeta(id="wrapper", name="W", version="1"), nav_items=nav_items)
    with pytest.raises(PluginError, match="wrapper"):
        make_app(plugins=[plugin])


def test_plugin_raising_in_register_blueprints_and_commands_does_not_stop_start_up(make_app, caplog):
    with caplog.at_level(logging.ERROR, logger="commonground.plugins"):
        other = make_app(plugins=["tests.plugins.fixtures.broken"])
    assert "broken" in get_plugins(other).installed
    messages = [r.getMessage() for r in caplog.records]
    assert any("broken" in m and "register_blueprints" in m for m in messages)
    assert any("broken" in m and "register_commands" in m for m in messages)


def test_plugin_commands_are_added_to_the_flask_cli(make_app):
    other = make_app(plugins=["tests.plugins.fixtures.recorder"])
    result = other.test_cli_runner().invoke(args=["recorder-hello"])
    assert result.exit_code == 0, result.output
    assert "hello from the recorder plugin" in result.output
