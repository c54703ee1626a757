"""Error pages: HTML for pages, JSON for the API; never a bare 500 for bad input.

A refused action (``ActionError``: not found, not allowed, conflict, invalid input) is
answered here, once for every page and API view: views just call the action. A page that
shows a form catches ``InvalidInput`` itself to re-render the form with the message at the
field; anywhere else the API names the field in JSON and a page shows the message.

Headers an error defines travel with it, whichever form it takes: ``Allow`` on a 405,
``WWW-Authenticate`` on a 401, ``Retry-After`` on a 429.
"""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.http import HTTP_STATUS_CODES

from core.groups.errors import ActionError, NotFound
from core.schemas.error_messages import plain_messages


def wants_json() -> bool:
    return request.path.startswith("/api/")


def _headers_of(error: HTTPException) -> list[tuple[str, str]]:
    return [(name, value) for name, value in error.get_headers() if name.lower() != "content-type"]


def _size_text(size: int) -> str:
    """1048576 -> "1 MB", 1536 -> "1.5 KB" (in the reader's number format)."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            return f"{format_decimal(round(size / factor, 1))} {unit}"
    return f"{size} B"


def init_app(app: Flask) -> None:
    @app.errorhandler(RequestEntityTooLarge)
    def _too_large(error: RequestEntityTooLarge):
        limit = request.max_content_length  # the config's, or a larger one for forms with a file
        error.description = (_("The request is too large: at most %(size)s are accepted.", size=_size_text(limit))
                             if limit else _("The request is too large."))
        return _http(error)

    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):
        if wants_json():
            return jsonify(code=400, status="Bad Request", message=error.description,
                           errors={"csrf_token": [error.description]}), 400
        return render_template("errors/error.html", code=400, message=error.description), 400

    @app.errorhandler(ActionError)
    def _action(error: ActionError):
        status = error.status
        if wants_json():
            message = "Not found" if isinstance(error, NotFound) else error.message
            body = {"code": status, "status": HTTP_STATUS_CODES.get(status, "Error"), "message": message}
            if status == 422 and error.field:
                body["errors"] = {"json": error.as_errors()}
            return jsonify(body), status
        if isinstance(error, NotFound):
            return render_template("errors/error.html", code=404, message=None), 404
        # Pages answer a clash with the current state, or input refused outside a form, as 409.
        status = status if status in (403, 503) else 409
        return render_template("errors/error.html", code=status, message=error.message), status

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        if wants_json():
            body = {"code": error.code, "status": error.name, "message": error.description}
            data = getattr(error, "data", None)
            if isinstance(data, dict):
                if data.get("message"):  # flask_smorest.abort(..., message=...)
                    body["message"] = data["message"]
                if "errors" in data:
                    body["errors"] = plain_messages(data["errors"])
                elif "messages" in data:  # webargs validation errors
                    body["errors"] = plain_messages(data["messages"])
            return jsonify(body), error.code, _headers_of(error)
        return (render_template("errors/error.html", code=error.code, message=error.description), error.code,
                _headers_of(error))
