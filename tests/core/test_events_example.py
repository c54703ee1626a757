"""The group-scope example plugin (``examples/events_plugin``), installed as its own distribution.

Nothing in core knows about ``commonground_events``: the app discovers it through its entry
point, as in production. ``make install`` pip-installs the example; its own suite runs here.
"""
from __future__ import annotations

import configparser
import os
import subprocess
import sys
from importlib.metadata import distribution
from pathlib import Path

import pytest

from core.plugins import ENTRY_POINT_GROUP

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "events_plugin"


@pytest.fixture
def app_plugins():
    return None  # entry-point discovery, as in production


@pytest.fixture
def app_config():
    return {"PLUGINS": ["events"]}


def test_example_is_its_own_distribution_with_its_own_entry_point():
    dist = distribution("commonground-events")
    assert dist.version == "0.1.0" and dist.requires == ["commonground"]
    (ep,) = [ep for ep in dist.entry_points if ep.group == ENTRY_POINT_GROUP]
    assert (ep.name, ep.value) == ("events", "commonground_events")
    config = configparser.ConfigParser()
    config.read(EXAMPLE / "setup.cfg")
    assert config["options.entry_points"][ENTRY_POINT_GROUP].split() == ["events", "=", "commonground_events"]


def test_installed_example_is_discovered_as_a_group_feature(app, admin_client):
    plugins = app.extensions["commonground.plugins"]
    assert plugins.installed["events"].module.__name__ == "commonground_events"
    assert plugins.installed["events"].meta.scope == "group"
    hooks = set(plugins.hooks_of("events"))
    assert {"group_tabs", "group_settings_schema", "register_jobs", "search_sources", "content_types",
            "register_notification_kinds", "register_email_kinds", "template_slot"} <= hooks
    listed = {p["id"]: p for p in admin_client.get("/api/v1/plugins").json}
    assert listed["events"]["scope"] == "group" and listed["events"]["enabled"] is False


def test_example_distributions_own_test_suite_passes():
    """What its author runs in their checkout: pytest with ``core.testing`` fixtures."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:xdist"], cwd=EXAMPLE, env=env,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "failed" not in result.stdout and "skipped" not in result.stdout
