"""Help-center tests: an app with the help center installed and enabled (so its directory is seeded).

Forms are sent the way a browser sends them, with the CSRF token from a page of the same session.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def app_plugins() -> list[str]:
    return ["plugins.helpcenter"]


@pytest.fixture
def app(app, enable_plugin):
    enable_plugin("helpcenter")
    return app


@pytest.fixture
def send_form() -> Callable[..., Any]:
    """``send_form(client, url, **fields)``: POST like a browser, with the session's CSRF token."""

    def send(client: Any, url: str = "/help", token_from: str = "/help", **fields: Any) -> Any:
        page = client.get(token_from).get_data(as_text=True)
        match = TOKEN.search(page)
        data = dict(fields)
        if match:
            data.setdefault("csrf_token", match.group(1))
        return client.post(url, data=data)

    return send


@pytest.fixture
def telefonseelsorge(app):
    from core.extensions import db
    from plugins.helpcenter.models import Helpline

    return db.session.scalar(db.select(Helpline).where(Helpline.name == "TelefonSeelsorge"))
