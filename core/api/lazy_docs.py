"""flask-smorest's ``Api`` with the OpenAPI document's paths built when it is first read.

flask-smorest documents a blueprint's views as the blueprint is registered: every schema of
every operation is converted (deep copies, apispec's marshmallow resolver), about a third
of the CPU of building an app. Only ``/api/v1/openapi.json``, the Swagger UI page and
``flask openapi`` read the document, so most processes (job workers, CLI commands, a test's
app) never need it. Here the routes are registered at once, as before, and the documentation
of each blueprint is queued and added, in registration order, on the first read of ``spec``.
"""
from __future__ import annotations

import logging
import threading
from typing import Any

from apispec import APISpec
from flask_smorest import Api, Blueprint

log = logging.getLogger("commonground.api")


class LazyDocsApi(Api):
    """An ``Api`` whose ``spec`` documents the registered blueprints on first access."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._undocumented: list[tuple[Blueprint, str, list | None, str | None]] = []
        self._documenting = threading.Lock()
        self._spec: APISpec | None = None
        super().__init__(*args, **kwargs)

    @property
    def spec(self) -> APISpec | None:  # type: ignore[override]
        """The OpenAPI document, with every blueprint registered so far documented in it."""
        if self._undocumented:
            self._document_blueprints()
        return self._spec

    @spec.setter
    def spec(self, value: APISpec | None) -> None:
        self._spec = value

    def register_blueprint(self, blp: Blueprint, *, parameters: list | None = None,
                           plugin_id: str | None = None, **options: Any) -> None:
        """Register the routes now and queue the documentation (``plugin_id``: a fault is the plugin's)."""
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)
        self._undocumented.append((blp, name, parameters, plugin_id))

    def _document_blueprints(self) -> None:
        """Add the queued blueprints to the document; a plugin's faulty one is logged and left out."""
        with self._documenting:  # a blueprint leaves the queue once documented: no reader sees half
            while self._undocumented:
                blp, name, parameters, plugin_id = self._undocumented[0]
                try:
                    blp.register_views_in_doc(self, self._app, self._spec, name=name, parameters=parameters)
                    self._spec.tag({"name": name, "description": blp.description})
                except Exception:
                    if plugin_id is None:
                        raise
                    log.exception("plugin %s: blueprint %s could not be documented", plugin_id, name)
                del self._undocumented[0]
