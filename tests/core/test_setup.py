"""Set-up as a new user meets it: pinned dependencies, the two commands, CI, config layers."""
from __future__ import annotations

import configparser
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask

from core.config import load_config

ROOT = Path(__file__).resolve().parents[2]


def _setup_cfg() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ROOT / "setup.cfg")
    return parser


def _requirements(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip() and not line.strip().startswith("#")]


def test_every_install_requires_dependency_is_pinned_exactly():
    requirements = _requirements(_setup_cfg()["options"]["install_requires"])
    assert requirements, "setup.cfg lists no install_requires"
    unpinned = [req for req in requirements if not re.fullmatch(r"[A-Za-z0-9_.\-]+(\[[a-z,]+\])?==[0-9][\w.]*", req)]
    assert unpinned == []


def test_test_extras_are_pinned_exactly_too():
    requirements = _requirements(_setup_cfg()["options.extras_require"]["test"])
    assert "pytest-xdist" in " ".join(requirements)
    assert [req for req in requirements if "==" not in req] == []


def test_pyproject_only_names_the_build_backend():
    text = (ROOT / "pyproject.toml").read_text()
    assert "build-backend" in text
    assert "dependencies" not in text and "[project]" not in text


@pytest.fixture(scope="module")
def wsgi_process(tmp_path_factory) -> dict:
    """What a fresh process that imports ``wsgi`` (as gunicorn does) holds: its app and its modules.

    One process serves every test below: each such process costs seconds of CPU."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("COMMONGROUND_")}
    env.pop("DATABASE_URL", None)
    env["COMMONGROUND_SECRET_KEY"] = "setup-test"
    env["COMMONGROUND_SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path_factory.mktemp('wsgi') / 'wsgi.sqlite'}"
    code = ("import json, sys, flask, wsgi; print(json.dumps({'is_flask': isinstance(wsgi.app, flask.Flask), "
            "'name': wsgi.app.name, 'plugins': sorted(wsgi.app.extensions['commonground.plugins'].installed), "
            "'modules': sorted(sys.modules)}))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_wsgi_module_exposes_a_flask_app_for_gunicorn(wsgi_process):
    assert wsgi_process["is_flask"]
    assert wsgi_process["name"] == "core"


#: Modules only rare work needs (mentorship matching: numpy and OR-Tools, a third of a second of
#: CPU to import; rating a new password: zxcvbn; a help-center phone number: phonenumbers); every
#: web, worker and command process would pay for them at start.
ONLY_FOR_RARE_WORK = ("numpy", "ortools", "zxcvbn", "phonenumbers")


def test_starting_the_app_imports_no_module_only_rare_work_needs(wsgi_process):
    assert "mentorship" in wsgi_process["plugins"]
    loaded = {name.partition(".")[0] for name in wsgi_process["modules"]}
    assert [name for name in ONLY_FOR_RARE_WORK if name in loaded] == []


def test_readme_starts_with_what_it_is_then_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    assert readme.startswith("# Common Ground")
    assert "make run" in readme and "make test" in readme
    assert readme.index("make run") < readme.index("## ")
    for topic in ("COMMONGROUND_", "DATABASE_URL", "instance/config.py", "/api/v1/openapi.json",
                  "docs/plugin-guide.md", "COMMONGROUND_TEST_DATABASE_URL"):
        assert topic in readme, topic


def test_ci_script_runs_make_test_with_ci_true_and_postgresql():
    script = (ROOT / ".ci" / "run").read_text()
    assert script.startswith("#!/usr/bin/env bash")
    assert "export CI=true" in script
    assert re.search(r"^make test\b", script, re.MULTILINE)
    assert "COMMONGROUND_TEST_DATABASE_URL=postgresql://" in script


def test_test_script_fails_on_skips_under_ci_and_requires_postgresql():
    script = (ROOT / "scripts" / "test.sh").read_text()
    assert "nothing may be skipped under CI" in script
    assert "PostgreSQL is required under CI" in script


def test_the_schema_changes_only_through_migrations_outside_the_tests():
    """``create_all`` may build the test databases (``core.testing``), never a real one."""
    allowed = {ROOT / "core" / "testing.py"}
    sources = [ROOT / "wsgi.py", *(ROOT / "core").rglob("*.py"), *(ROOT / "plugins").rglob("*.py"),
               *(ROOT / "scripts").rglob("*"), ROOT / "Makefile"]
    offenders = [str(path.relative_to(ROOT)) for path in sources
                 if path.is_file() and path not in allowed and "create_all(" in path.read_text(errors="ignore")]
    assert offenders == []
    assert "create_all(" in (ROOT / "core" / "testing.py").read_text()  # the scan looks at real code


def test_gitignore_keeps_instance_data_and_virtualenv_out_of_git():
    patterns = {line.strip().rstrip("/") for line in (ROOT / ".gitignore").read_text().splitlines()}
    assert {".venv", "*.mo"} <= patterns


@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(), reason="not a git checkout")
def test_instance_folder_is_in_the_repository_with_only_its_readme():
    """The layout promises ``instance/``; what the app writes there never reaches git."""
    readme = (ROOT / "instance" / "README.md").read_text()
    for written in ("commonground.sqlite", "secret_key", "config.py", "mail/"):
        assert f"`{written}`" in readme
    runtime = ["instance/commonground.sqlite", "instance/commonground.sqlite-wal", "instance/secret_key",
               "instance/config.py", "instance/mail/1.eml", "instance/anything-new"]
    ignored = subprocess.run(["git", "check-ignore", "--no-index", *runtime], cwd=ROOT, capture_output=True,
                             text=True)
    assert ignored.stdout.split() == runtime
    kept = subprocess.run(["git", "check-ignore", "--no-index", "instance/README.md"], cwd=ROOT)
    assert kept.returncode == 1  # not ignored


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_migrates_seeds_and_serves_with_a_job_worker_on_port_5000():
    result = subprocess.run(["make", "-n", "-W", "setup.cfg", "run"], cwd=ROOT, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    commands = result.stdout
    assert "-m venv .venv" in commands
    assert "pip install" in commands and "-e '.[test]'" in commands
    steps = ["pybabel", "flask db upgrade", "flask seed", "flask dev --host 127.0.0.1 --port 5000"]
    positions = [commands.index(step) for step in steps]
    assert positions == sorted(positions)


@pytest.fixture
def clean_env(monkeypatch):
    """No COMMONGROUND_* or DATABASE_URL from the machine running the tests."""
    for key in list(os.environ):
        if key.startswith("COMMONGROUND_") or key == "DATABASE_URL":
            monkeypatch.delenv(key)
    return monkeypatch


def _configured(instance: Path) -> Flask:
    app = Flask("core", instance_path=str(instance), instance_relative_config=True)
    load_config(app)
    return app


def test_config_defaults_apply_without_any_file_or_environment(tmp_path, clean_env):
    app = _configured(tmp_path / "instance")
    assert app.config["SITE_NAME"] == "Common Ground"
    assert app.config["PAGE_SIZE"] == 20
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'instance' / 'commonground.sqlite'}"
    assert app.config["MAIL_SPOOL_DIR"] == str(tmp_path / "instance" / "mail")


def test_instance_config_file_overrides_defaults(tmp_path, clean_env):
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text('SITE_NAME = "Nachbarschaft"\nPAGE_SIZE = 5\n')
    app = _configured(instance)
    assert app.config["SITE_NAME"] == "Nachbarschaft"
    assert app.config["PAGE_SIZE"] == 5
    assert app.config["LANGUAGES"] == ["en", "de"]


def test_environment_overrides_instance_config_file(tmp_path, clean_env):
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text('SITE_NAME = "Nachbarschaft"\nPAGE_SIZE = 5\n')
    clean_env.setenv("COMMONGROUND_PAGE_SIZE", "7")
    clean_env.setenv("COMMONGROUND_SESSION_COOKIE_SECURE", "true")
    clean_env.setenv("COMMONGROUND_PLUGINS_BLOCKED", "broken, other")
    clean_env.setenv("COMMONGROUND_MAIL_SMTP_HOST", "smtp.example.org")
    app = _configured(instance)
    assert app.config["SITE_NAME"] == "Nachbarschaft"
    assert app.config["PAGE_SIZE"] == 7
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["PLUGINS_BLOCKED"] == ["broken", "other"]
    assert app.config["MAIL_SMTP_HOST"] == "smtp.example.org"


@pytest.mark.parametrize(("raw", "expected"), [
    ('["broken", "other"]', ["broken", "other"]),
    ("broken", ["broken"]),
    ("", []),
])
def test_blocked_plugins_can_be_a_json_list_too(tmp_path, clean_env, raw, expected):
    clean_env.setenv("COMMONGROUND_PLUGINS_BLOCKED", raw)
    assert _configured(tmp_path / "instance").config["PLUGINS_BLOCKED"] == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("True", True), ("FALSE", False), ("false", False), ("2.5", 2.5), ('{"a": 1}', {"a": 1}),
    ("Our Street", "Our Street"), ("null", None),
])
def test_environment_values_are_json_with_booleans_in_any_case(tmp_path, clean_env, raw, expected):
    clean_env.setenv("COMMONGROUND_SOME_SETTING", raw)
    assert _configured(tmp_path / "instance").config["SOME_SETTING"] == expected


def test_a_nested_setting_is_set_with_a_double_underscore(tmp_path, clean_env):
    """``COMMONGROUND_SQLALCHEMY_ENGINE_OPTIONS__pool_size=10`` reaches into the dict (Flask's rule)."""
    clean_env.setenv("COMMONGROUND_SQLALCHEMY_ENGINE_OPTIONS__pool_size", "10")
    clean_env.setenv("COMMONGROUND_SQLALCHEMY_ENGINE_OPTIONS__pool_pre_ping", "true")
    app = _configured(tmp_path / "instance")
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"] == {"pool_size": 10, "pool_pre_ping": True}
    clean_env.delenv("COMMONGROUND_SQLALCHEMY_ENGINE_OPTIONS__pool_size")
    clean_env.delenv("COMMONGROUND_SQLALCHEMY_ENGINE_OPTIONS__pool_pre_ping")
    default = {"pool_pre_ping": True}
    assert _configured(tmp_path / "other").config["SQLALCHEMY_ENGINE_OPTIONS"] == default  # the default is untouched


def test_secret_key_is_generated_once_per_instance_and_kept(tmp_path, clean_env):
    first = _configured(tmp_path / "instance").config["SECRET_KEY"]
    second = _configured(tmp_path / "instance").config["SECRET_KEY"]
    assert first == second and len(first) >= 32
    assert (tmp_path / "instance" / "secret_key").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize("given", ["postgresql://cg:pw@db.internal:5432/commonground",
                                   "postgres://cg:pw@db.internal:5432/commonground"])
def test_database_url_switches_to_postgresql_with_psycopg(tmp_path, clean_env, given):
    clean_env.setenv("DATABASE_URL", given)
    app = _configured(tmp_path / "instance")
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://cg:pw@db.internal:5432/commonground"


def test_explicit_database_uri_setting_wins_over_database_url(tmp_path, clean_env):
    clean_env.setenv("DATABASE_URL", "postgresql://cg@db.internal/commonground")
    clean_env.setenv("COMMONGROUND_SQLALCHEMY_DATABASE_URI", "sqlite:////srv/cg.sqlite")
    app = _configured(tmp_path / "instance")
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite:////srv/cg.sqlite"


def test_seed_prints_the_demo_admin_login_once_and_never_seeds_twice(app):
    from core.extensions import db
    from core.models import Group, User

    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed"])
    assert first.exit_code == 0, first.output
    assert re.search(r"admin@example\.org\s+/\s+\S{12,}", first.output)
    users = db.session.scalar(db.select(db.func.count(User.id)))
    admin = db.session.scalar(db.select(User).where(User.email == "admin@example.org"))
    password = re.search(r"admin@example\.org\s+/\s+(\S+)", first.output).group(1)
    assert admin.is_site_admin and admin.check_password(password)

    second = runner.invoke(args=["seed"])
    assert second.exit_code == 0, second.output
    assert "admin@example.org" not in second.output
    assert db.session.scalar(db.select(db.func.count(User.id))) == users
    assert db.session.scalar(db.select(db.func.count(Group.id))) == 1


def _client_probe(app: Flask):
    from flask import request

    app.add_url_rule("/_client-probe", "client_probe", lambda: f"{request.remote_addr} {request.scheme}")
    return app.test_client()


@pytest.mark.fresh_app  # adds a route
def test_forwarded_headers_are_ignored_when_no_proxy_is_configured(app):
    response = _client_probe(app).get("/_client-probe", headers={"X-Forwarded-For": "203.0.113.7",
                                                                 "X-Forwarded-Proto": "https"})
    assert response.get_data(as_text=True) == "127.0.0.1 http"


class TestBehindOneReverseProxy:
    @pytest.fixture
    def app_config(self):
        return {"PROXY_COUNT": 1}

    @pytest.mark.fresh_app  # adds a route
    def test_client_address_and_scheme_come_from_the_proxy_headers(self, app):
        response = _client_probe(app).get("/_client-probe", headers={"X-Forwarded-For": "203.0.113.7",
                                                                     "X-Forwarded-Proto": "https"})
        assert response.get_data(as_text=True) == "203.0.113.7 https"

    @pytest.mark.fresh_app  # adds a route
    def test_only_the_hop_added_by_the_proxy_is_trusted(self, app):
        response = _client_probe(app).get("/_client-probe", headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.7"})
        assert response.get_data(as_text=True).split()[0] == "203.0.113.7"
