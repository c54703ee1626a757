"""Interactive API docs (Swagger UI) that work offline and under the site's CSP.

flask-smorest's own page loads its scripts from a URL we choose and starts them with an
inline script, which our Content-Security-Policy forbids. So the Swagger UI files come
from the pinned ``swagger-ui-bundle`` package, served here, and ``templates/swagger_ui.html``
(which overrides flask-smorest's) starts them with ``static/api-docs.js``. That script
also sends the page's CSRF token, so "Try it out" works with the session cookie.
"""
from __future__ import annotations

from flask import Blueprint, Flask, send_from_directory
from flask_smorest import Api
from swagger_ui_bundle import swagger_ui_path

bp = Blueprint("api_docs_assets", __name__, url_prefix="/api/v1/static/swagger-ui")

ASSETS = frozenset({"swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css",
                    "favicon-16x16.png", "favicon-32x32.png"})


@bp.get("/<path:filename>")
def asset(filename: str):
    from flask import abort

    if filename not in ASSETS:
        abort(404)
    return send_from_directory(str(swagger_ui_path), filename, max_age=60 * 60 * 24)


def init_docs(app: Flask, api: Api) -> None:
    """Serve the assets and declare the default security of every operation (token or session)."""
    app.register_blueprint(bp)
    api.spec.options.setdefault("security", [{"bearerAuth": []}, {"cookieAuth": []}])
