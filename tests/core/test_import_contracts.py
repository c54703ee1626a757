"""Architecture rules, checked by import-linter: core never imports plugins; plugins are
independent of each other (they talk only through core's hooks)."""
from __future__ import annotations

import configparser
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
CONTRACTS = {"core never imports plugins", "plugins are independent (they talk only through core's hooks)"}


def run_lint_imports(cwd: Path, config: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(cwd)}
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


def test_the_contracts_catch_core_importing_a_plugin_and_plugins_importing_each_other(tmp_path):
    for package, source in {
        "core": "",
        "core/views": "from plugins.alpha import thing\n",
        "plugins": "",
        "plugins/alpha": "thing = 1\n",
        "plugins/beta": "from plugins.alpha import thing\n",
    }.items():
        (tmp_path / package).mkdir(parents=True, exist_ok=True)
        (tmp_path / package / "__init__.py").write_text(source)
    config = configparser.ConfigParser()
    for section in contract_sections().sections():
        if section.startswith("importlinter"):
            config[section] = dict(contract_sections()[section])
    with open(tmp_path / "setup.cfg", "w") as handle:
        config.write(handle)

    result = run_lint_imports(tmp_path, tmp_path / "setup.cfg")
    assert result.returncode != 0
    for name in CONTRACTS:
        assert f"{name} BROKEN" in result.stdout, result.stdout
    assert "core.views -> plugins.alpha" in result.stdout
    assert "plugins.beta -> plugins.alpha" in result.stdout
