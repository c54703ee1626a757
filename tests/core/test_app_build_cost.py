"""Building an app does no work that only a rare request needs: URL builders, the OpenAPI document."""
from __future__ import annotations

import logging
import types

import pytest
from flask import url_for
from flask_smorest import Blueprint as ApiBlueprint
from werkzeug.routing import Rule

from core.plugins import PluginMeta
from core.plugins.specs import hookimpl


@pytest.fixture
def compiled_builders(monkeypatch) -> list[str]:
    """The rules whose URL builders werkzeug compiles from now on."""
    compiled: list[str] = []
    original = Rule._compile_builder

    def counting(rule: Rule, append_unknown: bool = True):
        compiled.append(rule.endpoint)
        return original(rule, append_unknown)

    monkeypatch.setattr(Rule, "_compile_builder", counting)
    return compiled


@pytest.mark.fresh_app
def test_building_the_app_compiles_no_url_builder(compiled_builders, app):
    assert len(app.url_map._rules) > 100
    assert set(compiled_builders) <= {"static"}  # Flask adds that rule itself, before any app code runs


@pytest.mark.fresh_app
def test_a_url_builder_is_compiled_on_its_first_use_and_kept(compiled_builders, app):
    compiled_builders.clear()
    with app.test_request_context():
        first = url_for("auth.login", next="/groups")
        again = url_for("auth.login", next="/")
    assert first == "/login?next=/groups" and again == "/login?next=/"
    assert compiled_builders == ["auth.login"]


@pytest.fixture
def documentation_built(monkeypatch) -> list[str]:
    """The API blueprints flask-smorest documents from now on."""
    documented: list[str] = []
    original = ApiBlueprint.register_views_in_doc

    def counting(blp, *args, **kwargs):
        documented.append(kwargs["name"])
        return original(blp, *args, **kwargs)

    monkeypatch.setattr(ApiBlueprint, "register_views_in_doc", counting)
    return documented


@pytest.mark.fresh_app
def test_building_the_app_documents_no_api_blueprint(documentation_built, app):
    assert documentation_built == []


@pytest.mark.fresh_app
def test_the_openapi_document_is_built_once_on_first_read(documentation_built, client):
    first = client.get("/api/v1/openapi.json").json
    built = list(documentation_built)
    second = client.get("/api/v1/openapi.json").json
    assert "/api/v1/posts/{post_id}" in first["paths"] and second == first
    assert len(built) > 5 and documentation_built == built


def _plugin_with_undocumentable_api() -> types.ModuleType:
    plugin = types.ModuleType("undocumentable")
    plugin.META = PluginMeta(id="undocumentable", name="Undocumentable", version="0.0.1")
    blp = ApiBlueprint("undocumentable", "undocumentable", url_prefix="/api/v1/undocumentable")

    @blp.route("/")
    def index():
        return {}

    def fail(*args, **kwargs):
        raise RuntimeError("this blueprint's documentation cannot be built")

    blp.register_views_in_doc = fail

    @hookimpl
    def register_blueprints(app):
        return [blp]

    plugin.register_blueprints = register_blueprints
    return plugin


@pytest.mark.fresh_app
@pytest.mark.plugins(_plugin_with_undocumentable_api())
def test_a_plugin_api_that_cannot_be_documented_is_left_out_of_the_document_and_logged(client, caplog):
    with caplog.at_level(logging.ERROR, logger="commonground.api"):
        response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/posts/{post_id}" in response.json["paths"]
    assert not any(path.startswith("/api/v1/undocumentable") for path in response.json["paths"])
    assert "plugin undocumentable: blueprint undocumentable could not be documented" in caplog.text
