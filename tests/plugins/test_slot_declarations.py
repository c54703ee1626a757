"""Built-in plugins declare the template slots they fill (``fills_slots``), so core asks them for
those only; a declaration that missed a slot their renderer handles would hide its output."""
from __future__ import annotations

import pytest

import plugins.conversations
import plugins.conversations.slots
import plugins.helpcenter
import plugins.mentorship
import plugins.reporting
import plugins.reporting.slots
import plugins.resources
from core.plugins.runner import SLOTS_ATTRIBUTE

pytestmark = pytest.mark.database_independent  # pure: make test runs it once, in the SQLite run


@pytest.mark.parametrize("plugin, renderers", [
    (plugins.reporting, plugins.reporting.slots.RENDERERS),
    (plugins.conversations, plugins.conversations.slots.RENDERERS),
])
def test_a_plugin_with_a_renderer_table_declares_exactly_its_slots(plugin, renderers):
    assert getattr(plugin.template_slot, SLOTS_ATTRIBUTE) == frozenset(renderers)


@pytest.mark.parametrize("plugin", [plugins.helpcenter, plugins.mentorship, plugins.resources])
def test_plugins_that_only_add_their_stylesheet_declare_the_head_slot(plugin):
    assert "head" in getattr(plugin.template_slot, SLOTS_ATTRIBUTE)
