"""``flask plugins new``: a plugin distribution (site or group scope) whose printed next steps
work as written – installed, migrated, enabled, tested and served – with a German catalog,
permissions through ``core.plugin_api`` and code that passes its own lint config.

What is written, and the steps run as printed (pip, flask and pytest processes), are the same on
either database: ``database_independent``, they run once, in the SQLite run. The steps' database
part – the generated migration making the tables its models and page use – runs on both, in process
(``test_scaffold_database.py``)."""
from __future__ import annotations

import configparser
import contextlib
import os
import re
import shlex
import site
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from core.scaffold import PluginNames, ScaffoldError, check_plugin_id, create_plugin, next_steps, page_path

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.database_independent


@pytest.fixture
def app_plugins():
    return ["commonground_hello"]


def subprocess_env(**extra: str) -> dict[str, str]:
    """This checkout's core first on the path, no pytest-xdist variables leaking into a child pytest."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.update(extra)
    return env


# --- what is written --------------------------------------------------------------------------


def test_command_creates_a_distribution_with_its_entry_point(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["plugins", "new", "kudos", "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    root = tmp_path / "commonground-kudos"
    assert f"Created {root}" in result.output
    config = configparser.ConfigParser()
    config.read(root / "setup.cfg")
    assert config["metadata"]["name"] == "commonground-kudos"
    assert config["options.entry_points"]["commonground.plugins"].split() == ["kudos", "=", "commonground_kudos"]
    assert config["compile_catalog"]["directory"] == "commonground_kudos/translations"
    for path in ("pyproject.toml", "setup.py", "README.md", "commonground_kudos/__init__.py",
                 "commonground_kudos/models.py", "commonground_kudos/views.py", "commonground_kudos/schemas.py",
                 "commonground_kudos/permissions.py", "commonground_kudos/templates/kudos/index.html",
                 "commonground_kudos/migrations/README.md",
                 "commonground_kudos/translations/de/LC_MESSAGES/messages.po", "tests/conftest.py",
                 "tests/test_kudos.py"):
        assert (root / path).is_file(), path
    assert not list(root.rglob("*.tmpl"))
    assert "${" not in "".join(p.read_text() for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize("scope", ["site", "group"])
def test_printed_next_steps_include_the_migration(app, tmp_path, scope):
    result = app.test_cli_runner().invoke(args=["plugins", "new", "kudos", "--scope", scope, "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    root = tmp_path / "commonground-kudos"
    steps = next_steps(PluginNames.from_id("kudos", scope), root)
    assert all(f"  {step}\n" in result.output for step in steps)
    assert steps.index("flask db upgrade") < steps.index("flask plugins enable kudos")
    assert page_path(PluginNames.from_id("kudos", scope)) in result.output
    assert "flask db upgrade" in (root / "README.md").read_text()


@pytest.mark.parametrize("scope", ["site", "group"])
def test_first_migration_starts_the_plugins_own_branch_on_core(tmp_path, scope):
    root = create_plugin("kudos", tmp_path, scope=scope)
    (revision_file,) = (root / "commonground_kudos" / "migrations" / "versions").glob("*.py")
    source = revision_file.read_text()
    revision = re.search(r'^revision = "(\w+)"$', source, re.M).group(1)
    assert revision_file.name == f"{revision}_kudos_initial.py" and len(revision) <= 32
    assert 'branch_labels = ("kudos",)' in source and "down_revision = None" in source
    assert 'depends_on = "core0001"' in source and "sqlite_autoincrement=True" in source


def test_every_generated_plugin_gets_its_own_revision_id(tmp_path):
    first = create_plugin("kudos", tmp_path / "a")
    second = create_plugin("kudos", tmp_path / "b")
    assert {p.name for p in first.rglob("*_kudos_initial.py")} != {p.name for p in second.rglob("*_kudos_initial.py")}


def test_group_scope_draws_a_tab_with_per_group_settings(tmp_path):
    root = create_plugin("kudos", tmp_path, scope="group")
    package = root / "commonground_kudos"
    assert 'scope="group"' in (package / "__init__.py").read_text()
    assert "def group_tabs(group, user)" in (package / "__init__.py").read_text()
    assert "def group_settings_schema()" in (package / "__init__.py").read_text()
    assert "render_group_page(" in (package / "views.py").read_text()
    assert '{% extends "groups/page.html" %}' in (package / "templates" / "kudos" / "index.html").read_text()
    assert "group_id" in (package / "models.py").read_text()


@pytest.mark.parametrize("scope", ["site", "group"])
def test_generated_code_imports_from_core_only_the_plugin_api(tmp_path, scope):
    root = create_plugin("kudos", tmp_path, scope=scope)
    imports = set()
    for path in root.rglob("*.py"):
        imports |= set(re.findall(r"^\s*(?:from|import) (core[\w.]*)", path.read_text(), re.M))
    assert imports == {"core.plugin_api"}
    assert "from core.plugin_api import" in (root / "commonground_kudos" / "permissions.py").read_text()


@pytest.mark.parametrize("scope", ["site", "group"])
def test_german_catalog_translates_every_text_of_the_generated_plugin(tmp_path, scope):
    root = create_plugin("kudos", tmp_path, scope=scope)
    package = root / "commonground_kudos"
    method_map = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
    found = {message for _file, _line, message, _comments, _context in
             extract_from_dir(str(package), method_map, keywords={"_": None, "_l": None, "gettext": None,
                                                                  "lazy_gettext": None})}
    with (package / "translations" / "de" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    translated = {m.id for m in catalog if m.id and m.string}
    assert found and found <= translated, sorted(found - translated)


@pytest.mark.parametrize("scope", ["site", "group"])
def test_generated_code_passes_its_own_lint_config(tmp_path, scope):
    root = create_plugin("kudos", tmp_path, scope=scope)
    result = subprocess.run([str(Path(sys.executable).parent / "ruff"), "check", "."], cwd=root,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout


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


# --- refusals ---------------------------------------------------------------------------------


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


@pytest.mark.parametrize(("plugin_id", "scope"), [("signup", "site"), ("members", "group"), ("settings", "group")])
def test_an_id_whose_page_would_clash_with_a_core_page_is_refused(app, tmp_path, plugin_id, scope):
    result = app.test_cli_runner().invoke(args=["plugins", "new", plugin_id, "--scope", scope, "--dir", str(tmp_path)])
    assert result.exit_code != 0 and "already a path of the site" in result.output
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_scope_is_refused(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["plugins", "new", "kudos", "--scope", "planet", "--dir", str(tmp_path)])
    assert result.exit_code != 0 and "planet" in result.output
    with pytest.raises(ScaffoldError, match="scope"):
        create_plugin("kudos", tmp_path, scope="planet")


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


# --- the next steps, run as printed -----------------------------------------------------------


@pytest.fixture(scope="module")
def sandbox_python(tmp_path_factory) -> Path:
    """The python of a virtualenv layered over this one: ``pip install -e`` there registers the new
    entry point without touching the shared environment, which it still sees."""
    venv = tmp_path_factory.mktemp("sandbox") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    lines = "".join(f"import site; site.addsitedir({path!r})\n" for path in site.getsitepackages())
    Path(purelib, "_commonground_shared.pth").write_text(lines)
    return python


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, deadline: float) -> tuple[int, str]:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def command_for(step: str, python: Path) -> tuple[list[str], Path | None]:
    """A printed step as the sandbox runs it: its python, pip without a network (everything the
    plugin needs is installed), pytest without xdist. Nothing else is changed."""
    cwd = None
    match = re.fullmatch(r"\(cd (\S+) && (.+)\)", step)
    if match:
        cwd, step = Path(match[1]), match[2]
    words = shlex.split(step)
    if words[:3] == ["pip", "install", "-e"]:
        return [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
                "--no-build-isolation", *words[2:]], cwd
    if words[0] == "flask":
        return [str(python), "-m", "flask", *words[1:]], cwd
    if words[0] == "pytest":
        return [str(python), "-m", "pytest", "-q", "-p", "no:xdist", *words[1:]], cwd
    raise AssertionError(f"a next step nobody can run: {step}")


def printed_steps(app, plugin_id: str, scope: str, directory: Path) -> tuple[list[str], str]:
    """``flask plugins new``'s printed steps for a new plugin (the last one, ``flask run``, left
    out) and the path of the page it says to open."""
    result = app.test_cli_runner().invoke(args=["plugins", "new", plugin_id, "--scope", scope, "--dir", str(directory)])
    assert result.exit_code == 0, result.output
    printed = [line.strip() for line in result.output.splitlines() if line.startswith("  ")]
    assert printed[-1] == "flask run"
    return printed[:-1], re.search(r"open http://127\.0\.0\.1:5000(\S+)", result.output).group(1)


def in_turn(*lists: list[str]) -> list[str]:
    """The steps of every list side by side, each list's in its own order, a step several print
    (``flask db upgrade``, ``flask seed``) once, where it first comes."""
    merged: list[str] = []
    for position in range(max(map(len, lists))):
        for steps in lists:
            if position < len(steps) and steps[position] not in merged:
                merged.append(steps[position])
    return merged


def test_the_printed_next_steps_end_on_the_plugins_pages(app, tmp_path, sandbox_python, migrated_database_url):
    """Today's bug: the steps ended in a 500 "no such table" – the migration step was missing.

    The steps are for a checkout whose database ``make run`` migrated already: core's is, the new
    plugins' tables are the printed ``flask db upgrade``'s to make. A site plugin and a group plugin
    are made in one checkout, as an author's first and second plugin are, and their steps followed
    side by side, each plugin's in the order printed (a step both print, ``flask seed``, once)."""
    plugins = {scope: f"kudos_{scope}" for scope in ("site", "group")}
    printed = {scope: printed_steps(app, plugin_id, scope, tmp_path) for scope, plugin_id in plugins.items()}
    steps = in_turn(*(found[0] for found in printed.values()))
    assert steps.index("flask db upgrade") > max(steps.index(s) for s in steps if s.startswith("pip install"))
    port = free_port()
    env = subprocess_env(FLASK_APP="wsgi:app", COMMONGROUND_SQLALCHEMY_DATABASE_URI=migrated_database_url,
                         COMMONGROUND_SECRET_KEY="steps", COMMONGROUND_MAIL_SPOOL_DIR=str(tmp_path / "mail"),
                         COMMONGROUND_SITE_URL=f"http://127.0.0.1:{port}",
                         COMMONGROUND_JOBS_URL=f"sqlite:///{tmp_path / 'jobs.sqlite'}")
    for step in steps:
        command, cwd = command_for(step, sandbox_python)
        done = subprocess.run(command, cwd=cwd or ROOT, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"{step}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    server = subprocess.Popen([*command_for("flask run", sandbox_python)[0], "--port", str(port)], cwd=ROOT,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        pages = {scope: fetch(f"http://127.0.0.1:{port}{found[1]}", time.monotonic() + 60)
                 for scope, found in printed.items()}
    finally:
        server.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.communicate(timeout=10)
    for scope, (status, html) in pages.items():
        assert status == 200, html[-2000:]
        assert PluginNames.from_id(plugins[scope]).title in html and "Nothing here yet." in html
