"""Templates, static files and translations that ship inside a plugin package."""
from __future__ import annotations

import importlib
import logging
import sys
import textwrap
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from core.plugins import get_plugins
from core.plugins import state as plugin_state

PLUGIN_SOURCE = '''
from flask import Blueprint, render_template
from flask_babel import gettext as _

from core.plugins.specs import NavItem, hookimpl
from core.plugins import PluginMeta

META = PluginMeta(id="seeds", name="Seeds", version="0.3.0")
bp = Blueprint("seeds", __name__, template_folder="templates", static_folder="static",
               static_url_path="/seeds/static")


@bp.get("/seeds/")
def index():
    return render_template("seeds/index.html", note=_("Water daily"))


@hookimpl
def register_blueprints(app):
    return [bp]


@hookimpl
def nav_items(user):
    return [NavItem(label=_("Seed library"), endpoint="seeds.index")]
'''

GERMAN = {
    "Plant the seeds": "Säe die Samen",
    "Water daily": "Täglich gießen",
    "Seed library": "Saatgutbibliothek",
    "Log in": "Plugin-Übersetzung von Log in",
}


@pytest.fixture
def seeds_package(tmp_path, monkeypatch):
    """A plugin package on disk with templates, a stylesheet and a compiled German catalog."""
    package = tmp_path / "cg_seeds"
    (package / "templates" / "seeds").mkdir(parents=True)
    (package / "static").mkdir()
    (package / "__init__.py").write_text(textwrap.dedent(PLUGIN_SOURCE))
    (package / "templates" / "seeds" / "index.html").write_text(
        '{% extends "base.html" %}{% block content %}<h1>{{ _("Plant the seeds") }}</h1>'
        '<p class="note">{{ note }}</p>{% endblock %}'
    )
    (package / "static" / "seeds.css").write_text(".seeds { color: green; }\n")
    catalog = Catalog(locale="de")
    for english, german in GERMAN.items():
        catalog.add(english, german)
    messages = package / "translations" / "de" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    with open(messages / "messages.mo", "wb") as handle:
        write_mo(handle, catalog)
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    yield package
    sys.modules.pop("cg_seeds", None)


@pytest.fixture
def seeds_app(make_app, seeds_package):
    other = make_app(plugins=["cg_seeds"])
    with other.app_context():
        plugin_state.set_enabled("seeds", True)
    return other


def test_plugin_templates_render_under_the_plugin_namespace(seeds_app):
    html = seeds_app.test_client().get("/seeds/").get_data(as_text=True)
    assert "<h1>Plant the seeds</h1>" in html and "Water daily" in html


def test_plugin_translations_are_used_in_templates_and_code(seeds_app):
    response = seeds_app.test_client().get("/seeds/", headers={"Accept-Language": "de"})
    html = response.get_data(as_text=True)
    assert "<h1>Säe die Samen</h1>" in html
    assert "Täglich gießen" in html
    assert "Saatgutbibliothek" in html


def test_plugin_catalog_cannot_change_core_messages(seeds_app, seeds_package):
    directories = seeds_app.extensions["babel"].translation_directories
    plugin_dir = str(seeds_package / "translations")
    core_dir = str(Path(seeds_app.root_path) / "translations")
    assert plugin_dir in directories and core_dir in directories
    assert directories.index(plugin_dir) < directories.index(core_dir)  # later catalogs win when merged


def test_plugin_static_files_are_served_while_enabled_only(seeds_app):
    client = seeds_app.test_client()
    assert client.get("/seeds/static/seeds.css").status_code == 200
    with seeds_app.app_context():
        plugin_state.set_enabled("seeds", False)
    assert client.get("/seeds/static/seeds.css").status_code == 404
    assert client.get("/seeds/").status_code == 404


def test_templates_outside_the_plugin_namespace_are_reported(make_app, seeds_package, caplog):
    (seeds_package / "templates" / "index.html").write_text("shadowing")
    with caplog.at_level(logging.WARNING, logger="commonground.plugins"):
        make_app(plugins=["cg_seeds"])
    assert "plugin seeds: templates should live under" in caplog.text and "index.html" in caplog.text


def test_plugin_without_translations_adds_no_directory(app):
    directories = app.extensions["babel"].translation_directories
    assert all("fixtures" not in d for d in directories)
    assert get_plugins().installed == {}
