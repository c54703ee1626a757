"""The hook reference and the plugin-API reference are generated from docstrings, and a test fails
while a committed file is stale; every hook and every plugin-API name is documented."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from core import plugin_api
from core.plugins import reference
from core.plugins import specs as hookspecs

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_docs_hooks_md_is_what_the_specs_generate():
    assert (DOCS / "hooks.md").read_text() == reference.hooks_markdown(), "run `flask plugins docs`"


def test_docs_plugin_api_md_is_what_the_plugin_api_generates():
    assert (DOCS / "plugin-api.md").read_text() == reference.plugin_api_markdown(), "run `flask plugins docs`"


def test_a_changed_docstring_makes_the_committed_reference_stale(tmp_path, monkeypatch):
    reference.write(tmp_path)
    assert reference.stale(tmp_path) == []
    monkeypatch.setattr(hookspecs.nav_items, "__doc__", hookspecs.nav_items.__doc__.replace("navigation", "menu"))
    assert reference.stale(tmp_path) == ["hooks.md"]
    assert reference.write(tmp_path) == ["hooks.md"] and reference.stale(tmp_path) == []


def hook_section(name: str) -> str:
    text = (DOCS / "hooks.md").read_text()
    start = text.index(f"### `{name}(")
    following = re.search(r"^##", text[start + 4:], re.M)
    return text[start:start + 4 + following.start()] if following else text[start:]


@pytest.mark.parametrize("name", reference.hook_names())
def test_every_hook_section_has_signature_contract_arguments_return_and_example(name):
    section = hook_section(name)
    assert f"def {name}(" in section
    assert "**Reaches:**" in section and "**If an implementation fails:**" in section
    assert "**When:**" in section and "**Arguments:**" in section and "**Returns:**" in section
    assert "```python\n@hookimpl" in section or "@hookimpl\ndef" in section


def test_the_reference_says_which_hooks_fail_closed_and_which_are_all_or_nothing():
    assert "fails closed" in hook_section("can_interact") and "fails closed" in hook_section("can_join_group")
    assert "fails closed" not in hook_section("nav_items")
    assert "all or nothing" in hook_section("erase_user_data")
    assert "SAVEPOINT" in hook_section("post_created")
    assert "First result wins" in hook_section("settings_schema")


def test_the_reference_tells_the_true_call_order():
    text = (DOCS / "hooks.md").read_text()
    assert "registration order" not in text
    assert "in the order plugins were loaded" in text


def test_every_plugin_api_name_is_in_one_section_and_documented():
    names = [name for names in plugin_api.SECTIONS.values() for name in names]
    assert len(names) == len(set(names)) and set(names) == set(plugin_api.__all__)
    undocumented = [name for name in names if not reference.api_doc(name).strip()]
    assert undocumented == []
    text = (DOCS / "plugin-api.md").read_text()
    assert all(f"### {name}\n" in text for name in names)


def test_every_test_kit_fixture_is_in_the_plugin_api_reference():
    from core import testing

    fixtures = [n for n, obj in vars(testing).items() if getattr(obj, "_fixture_function_marker", None)]
    text = (DOCS / "plugin-api.md").read_text().split("## Test kit")[1]
    assert fixtures and all(f"| `{name}` |" in text for name in fixtures)
    undocumented = [line for line in text.splitlines() if line.startswith("| `") and line.endswith("|  |")]
    assert undocumented == []


def test_flask_plugins_docs_check_says_the_committed_files_are_current(app):
    result = app.test_cli_runner().invoke(args=["plugins", "docs", "--check"])
    assert result.exit_code == 0, result.output
    assert "up to date" in result.output
