"""JSON API under /api/v1 (flask-smorest). Same marshmallow schemas as the forms."""
from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from core.api.lazy_docs import LazyDocsApi


def init_api(app: Flask) -> Api:
    api = LazyDocsApi(app)
    app.extensions["commonground.api"] = api
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "description": "Personal API token"}
    )
    api.spec.components.security_scheme(
        "cookieAuth", {"type": "apiKey", "in": "cookie", "name": "session"}
    )
    from core.api.docs import init_docs

    init_docs(app, api)
    from core.api import auth, conversation, groups, home, notifications, post_images, posts, users

    for module in (auth, users, groups, posts, post_images, conversation, notifications, home):
        api.register_blueprint(module.blp)
    from core.api import plugin_management, search

    api.register_blueprint(plugin_management.blp)
    api.register_blueprint(search.blp)
    return api
