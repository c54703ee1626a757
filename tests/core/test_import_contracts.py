"""Architecture rules, checked by import-linter: core never imports plugins; plugins are
independent of each other (they talk only through core's hooks); plugins (built-in and the
example distribution) import from core only ``core.plugin_api``.

Static analysis, the same on either database (``database_independent``): ``make test`` runs it once,
in the SQLite run."""
from __future__ import annotations

import configparser
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
CONTRACTS = {"core never imports plugins", "plugins are independent (they talk only through core's hooks)",
             "plugins import from core only core.plugin_api"}
EXAMPLE_DIR = Path("examples") / "hello_plugin"
pytestmark = pytest.mark.database_independent


def run_lint_imports(cwd: Path, config: Path) -> subprocess.CompletedProcess:
    """lint-imports on ``cwd``'s packages (the example distribution's from ``cwd`` too, not the installed one)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(cwd), str(cwd / EXAMPLE_DIR)])}
    return subprocess.run([str(LINT_IMPORTS), "--config", str(config), "--no-cache", "--no-logo"],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def contract_sections() -> configparser.ConfigParser:
    parser = configparser.ConfigParser()
    parser.read(ROOT / "setup.cfg")
    return parser


def test_the_project_keeps_its_import_contracts():
    result = run_lint_imports(ROOT, ROOT / "setup.cfg")
    assert result.returncode == 0, result.stdout + result.stderr
    for name in CONTRACTS:
        assert f"{name} KEPT" in result.stdout


def lint_project(tmp_path: Path, packages: dict[str, str]) -> subprocess.CompletedProcess:
    """Run the project's contracts on a made-up project of ``{package dir: __init__ source}``."""
    for package, source in packages.items():
        (tmp_path / package).mkdir(parents=True, exist_ok=True)
        (tmp_path / package / "__init__.py").write_text(source)
    config = configparser.ConfigParser()
    for section in contract_sections().sections():
        if section.startswith("importlinter"):
            config[section] = dict(contract_sections()[section])
    with open(tmp_path / "setup.cfg", "w") as handle:
        config.write(handle)
    return run_lint_imports(tmp_path, tmp_path / "setup.cfg")


CLEAN_PROJECT = {
    "core": "",
    "core/plugin_api": "from core.models import User\n",
    "core/models": "User = object\n",
    "plugins": "",
    "plugins/alpha": "from core.plugin_api import User\nthing = 1\n",
    "plugins/beta": "from core import plugin_api\n",
    str(EXAMPLE_DIR / "commonground_hello"): "from core.plugin_api import User\n",
}


def test_a_project_keeping_the_rules_passes(tmp_path):
    result = lint_project(tmp_path, CLEAN_PROJECT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_contracts_catch_core_importing_a_plugin_and_plugins_importing_each_other(tmp_path):
    result = lint_project(tmp_path, {
        **CLEAN_PROJECT,
        "core/views": "from plugins.alpha import thing\n",
        "plugins/beta": "from plugins.alpha import thing\n",
    })
    assert result.returncode != 0
    assert "core never imports plugins BROKEN" in result.stdout, result.stdout
    assert "plugins are independent (they talk only through core's hooks) BROKEN" in result.stdout
    assert "core.views -> plugins.alpha" in result.stdout
    assert "plugins.beta -> plugins.alpha" in result.stdout


def test_a_plugin_importing_core_past_the_plugin_api_is_caught_naming_plugin_and_module(tmp_path):
    result = lint_project(tmp_path, {
        **CLEAN_PROJECT,
        "plugins/alpha/views": "from core.models import User\n",
        str(EXAMPLE_DIR / "commonground_hello/views"): "import core.models\n",
    })
    assert result.returncode != 0
    assert "plugins import from core only core.plugin_api BROKEN" in result.stdout, result.stdout
    assert "plugins.alpha.views -> core.models" in result.stdout
    assert "commonground_hello.views -> core.models" in result.stdout
