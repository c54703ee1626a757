"""Fixtures shared by the core's group, post and membership tests."""
from __future__ import annotations

import pytest

from tests.core import group_hooks_plugin


@pytest.fixture
def recorder(enable_plugin):
    """The recording test plugin, enabled and emptied; a module installs it via ``app_plugins``."""
    enable_plugin("group_hooks")
    group_hooks_plugin.reset()
    yield group_hooks_plugin
    group_hooks_plugin.reset()
