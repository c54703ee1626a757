"""Error pages: HTML for pages, JSON for the API; never a bare 500 for bad input."""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from core.schemas.error_messages import plain_messages


def wants_json() -> bool:
    return request.path.startswith("/api/")


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):
        if wants_json():
            return jsonify(code=400, status="Bad Request", message=error.description,
                           errors={"csrf_token": [error.description]}), 400
        return render_template("errors/error.html", code=400, message=error.description), 400

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
            return jsonify(body), error.code
        return render_template("errors/error.html", code=error.code, message=error.description), error.code
