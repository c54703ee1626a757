"""Reading the plugin's settings (stored by core, validated by ``schemas.HelloSettings``)."""
from __future__ import annotations

from typing import Any

from core.plugin_api import get_settings

PLUGIN_ID = "hello"


def hello_settings() -> dict[str, Any]:
    """Saved values merged over the schema's defaults; no query (core keeps them in memory)."""
    return get_settings(PLUGIN_ID)
