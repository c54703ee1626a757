"""Build every test app with this plugin loaded (``core.testing`` provides the fixtures)."""
import pytest


@pytest.fixture
def app_plugins():
    return ["commonground_hello"]
