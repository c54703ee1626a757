"""``flask plugins new``: a plugin distribution that installs, loads and passes its own tests."""
from __future__ import annotations

import configparser
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.scaffold import ScaffoldError, check_plugin_id, create_plugin


@pytest.fixture
def app_plugins():
    return ["commonground_hello"]


def test_command_creates_a_distribution_with_its_entry_point(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["plugins", "new", "kudos", "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    root = tmp_path / "commonground-kudos"
    assert f"Created {root}" in result.output
    config = configparser.ConfigParser()
    config.read(root / "setup.cfg")
    assert config["metadata"]["name"] == "commonground-kudos"
    assert config["options.entry_points"]["commonground.plugins"].split() == ["kudos", "=", "commonground_kudos"]
    for path in ("pyproject.toml", "README.md", "commonground_kudos/__init__.py", "commonground_kudos/models.py",
                 "commonground_kudos/views.py", "commonground_kudos/schemas.py",
                 "commonground_kudos/templates/kudos/index.html", "commonground_kudos/migrations/README.md",
                 "tests/conftest.py", "tests/test_kudos.py"):
        assert (root / path).is_file(), path
    assert not list(root.rglob("*.tmpl"))
    assert "${" not in "".join(p.read_text() for p in root.rglob("*") if p.is_file())


def test_generated_plugin_loads_with_its_hooks(tmp_path, monkeypatch):
    from core import create_app

    root = create_plugin("mood_board", tmp_path)
    monkeypatch.syspath_prepend(str(root))
    built = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"}, plugins=["commonground_mood_board"])
    plugins = built.extensions["commonground.plugins"]
    assert plugins.installed["mood_board"].meta.name == "Mood Board"
    hooks = set(plugins.hooks_of("mood_board"))
    assert {"register_blueprints", "nav_items", "template_slot", "settings_schema"} <= hooks
    assert "mood_board_entries" in built.extensions["sqlalchemy"].metadata.tables


def test_generated_plugin_passes_its_own_tests(tmp_path):
    root = create_plugin("kudos", tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:xdist"], cwd=root, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "8 passed" in result.stdout


def test_generated_code_passes_its_own_lint_config(tmp_path):
    root = create_plugin("kudos", tmp_path)
    result = subprocess.run([str(Path(sys.executable).parent / "ruff"), "check", "."], cwd=root,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("bad_id", ["Kudos", "k", "9lives", "has-dash", "double__underscore", "trailing_",
                                    "a" * 33, "core", "admin"])
def test_unusable_ids_are_refused_and_nothing_is_written(app, tmp_path, bad_id):
    result = app.test_cli_runner().invoke(args=["plugins", "new", bad_id, "--dir", str(tmp_path)])
    assert result.exit_code != 0
    assert "Error:" in result.output and repr(bad_id) in result.output
    assert list(tmp_path.iterdir()) == []


def test_id_of_an_installed_plugin_is_refused(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["plugins", "new", "hello", "--dir", str(tmp_path)])
    assert result.exit_code != 0 and "already installed" in result.output
    assert list(tmp_path.iterdir()) == []


def test_existing_directory_is_never_overwritten(tmp_path):
    target = tmp_path / "commonground-kudos"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    with pytest.raises(ScaffoldError, match="already exists"):
        create_plugin("kudos", tmp_path)
    assert [p.name for p in target.iterdir()] == ["notes.txt"]


def test_plain_ids_are_accepted():
    for good in ("kudos", "mood_board", "faq2"):
        check_plugin_id(good)
