"""The example third-party plugin (``examples/hello_plugin``), installed as its own distribution.

The app here discovers plugins through entry points, exactly as in production: nothing in
core knows about ``commonground_hello``. ``make install`` pip-installs the example.
"""
from __future__ import annotations

import configparser
import os
import re
import subprocess
import sys
from importlib.metadata import distribution
from pathlib import Path

import pytest

from core.extensions import db
from core.plugins import ENTRY_POINT_GROUP

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "hello_plugin"


@pytest.fixture
def app_plugins():
    return None  # entry-point discovery, as in production


@pytest.fixture
def app_config():
    return {"PLUGINS": ["hello"]}  # only this distribution's entry point, whatever else is installed


def greeting_rows():
    from commonground_hello.models import Greeting

    db.session.expire_all()
    return db.session.scalars(db.select(Greeting)).all()


def test_example_is_its_own_distribution_with_its_own_entry_point():
    dist = distribution("commonground-hello")
    assert dist.metadata["Name"] == "commonground-hello"
    assert dist.version == "0.1.0"
    assert dist.requires == ["commonground"]  # not pinned: works with the installed platform
    (ep,) = [ep for ep in dist.entry_points if ep.group == ENTRY_POINT_GROUP]
    assert (ep.name, ep.value) == ("hello", "commonground_hello")


def test_example_declares_the_entry_point_group_core_discovers():
    config = configparser.ConfigParser()
    config.read(EXAMPLE / "setup.cfg")
    assert config["options.entry_points"][ENTRY_POINT_GROUP].split() == ["hello", "=", "commonground_hello"]
    assert "setuptools.build_meta" in (EXAMPLE / "pyproject.toml").read_text()


def test_installed_example_is_discovered_and_listed_for_admins(admin_client, app):
    plugins = app.extensions["commonground.plugins"]
    assert "hello" in plugins.installed
    assert plugins.installed["hello"].module.__name__ == "commonground_hello"
    row = re.search(r'<tr id="plugin-hello">.*?</tr>', admin_client.get("/admin/plugins").get_data(as_text=True),
                    re.S).group(0)
    assert "Hello" in row and "0.1.0" in row and "greeting wall" in row
    assert "nav_items" in row and "template_slot" in row and "Disabled" in row


def test_example_is_in_the_plugins_api_and_the_cli(admin_client, app):
    listed = {p["id"]: p for p in admin_client.get("/api/v1/plugins").json}
    assert listed["hello"]["version"] == "0.1.0" and listed["hello"]["enabled"] is False
    assert {"nav_items", "template_slot", "register_blueprints", "settings_schema"} <= set(listed["hello"]["hooks"])
    result = app.test_cli_runner().invoke(args=["plugins", "list"])
    assert result.exit_code == 0 and "hello  0.1.0  [site]  disabled" in result.output


def test_admin_enables_the_example_and_members_see_page_nav_item_and_footer(admin_client, client, member_client):
    assert client.get("/hello/").status_code == 404
    home = member_client.get("/").get_data(as_text=True)
    assert 'href="/hello/"' not in home

    assert admin_client.post("/admin/plugins/hello/enable").status_code == 302

    home = member_client.get("/").get_data(as_text=True)
    nav = re.search(r'<nav class="main-nav".*?</nav>', home, re.S).group(0)
    footer = re.search(r"<footer.*?</footer>", home, re.S).group(0)
    assert '<a href="/hello/">Greetings</a>' in nav
    assert '<a href="/hello/">Say hello!</a>' in footer
    assert member_client.post("/hello/", data={"message": "Hello, neighbours!"}).status_code == 302
    wall = client.get("/hello/")
    assert wall.status_code == 200 and "Hello, neighbours!" in wall.get_data(as_text=True)


def test_admin_settings_form_is_generated_from_the_schema_and_validated(admin_client, member_client, enable_plugin):
    enable_plugin("hello")
    form = admin_client.get("/admin/plugins/hello").get_data(as_text=True)
    assert 'name="headline"' in form and 'name="max_greetings"' in form and "Greetings shown" in form

    rejected = admin_client.post("/admin/plugins/hello/settings", data={"headline": "", "max_greetings": "500"})
    assert rejected.status_code == 422
    assert 'id="headline-error"' in rejected.get_data(as_text=True)
    assert 'id="max_greetings-error"' in rejected.get_data(as_text=True)

    saved = admin_client.post("/admin/plugins/hello/settings", data={"headline": "Hi there", "max_greetings": "5"})
    assert saved.status_code == 302
    assert "<h1>Hi there</h1>" in member_client.get("/hello/").get_data(as_text=True)
    assert '<a href="/hello/">Hi there</a>' in member_client.get("/").get_data(as_text=True)


def test_disabled_example_is_gone_and_its_data_comes_back(admin_client, member_client, enable_plugin):
    enable_plugin("hello")
    member_client.post("/hello/", data={"message": "Still here later"})
    assert admin_client.post("/admin/plugins/hello/disable").status_code == 302

    assert member_client.get("/hello/").status_code == 404
    assert member_client.post("/hello/", data={"message": "sneaky"}).status_code == 404
    assert 'href="/hello/"' not in member_client.get("/").get_data(as_text=True)
    assert [g.message for g in greeting_rows()] == ["Still here later"]

    admin_client.post("/admin/plugins/hello/enable")
    assert "Still here later" in member_client.get("/hello/").get_data(as_text=True)


def test_example_distributions_own_test_suite_passes():
    """What a third-party author runs in their checkout: pytest with ``core.testing`` fixtures."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))  # this checkout's core
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:xdist"], cwd=EXAMPLE, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "failed" not in result.stdout


@pytest.mark.database_independent  # a wheel's contents: `make test` builds it once, in the SQLite run
def test_the_guides_build_command_ships_the_compiled_catalog_in_the_wheel(tmp_path):
    """``python -m build`` from a clean checkout (no ``.mo`` anywhere): the wheel has German."""
    import shutil
    import zipfile
    from io import BytesIO

    from babel.messages.mofile import read_mo

    assert "python -m build" in (ROOT / "docs" / "plugin-guide.md").read_text()
    source = tmp_path / "hello_plugin"
    shutil.copytree(EXAMPLE, source, ignore=shutil.ignore_patterns("*.mo", "build", "dist", "*.egg-info",
                                                                    "__pycache__", ".pytest_cache"))
    assert not list(source.rglob("*.mo"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    result = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(tmp_path / "dist"),
                             str(source)], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    (sdist,) = (tmp_path / "dist").glob("*.tar.gz")
    with zipfile.ZipFile(wheel) as archive:
        catalog = read_mo(BytesIO(archive.read("commonground_hello/translations/de/LC_MESSAGES/messages.mo")))
        assert "commonground_hello/templates/hello/wall.html" in archive.namelist()
    assert catalog.get("Greetings").string == "Grüße"
    import tarfile

    with tarfile.open(sdist) as archive:
        names = archive.getnames()
    assert any(n.endswith("translations/de/LC_MESSAGES/messages.po") for n in names)
    assert not any(n.endswith(".mo") for n in names)  # a build product, compiled when the wheel is built
