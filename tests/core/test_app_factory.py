"""The app factory and configuration layers."""


def test_openapi_document_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json["info"]["title"] == "Common Ground API"


def test_security_headers_forbid_inline_scripts(client):
    response = client.get("/api/v1/openapi.json")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"


def test_environment_overrides_instance_config(monkeypatch, tmp_path):
    from core import create_app

    monkeypatch.setenv("COMMONGROUND_SITE_NAME", "Env Name")
    monkeypatch.setenv("COMMONGROUND_PAGE_SIZE", "7")
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"}, plugins=[])
    assert app.config["SITE_NAME"] == "Env Name"
    assert app.config["PAGE_SIZE"] == 7
