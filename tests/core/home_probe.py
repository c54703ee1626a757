"""A test plugin that adds its part to the member's home page through the ``home`` slot."""
from __future__ import annotations

from markupsafe import Markup

from core.plugins import PluginMeta
from core.plugins.specs import hookimpl

META = PluginMeta(id="home_probe", name="Home probe", version="1.0", description="Test plugin for the home slot.")


@hookimpl
def template_slot(name, context):
    if name != "home":
        return None
    return Markup('<section class="card home-probe">Your next mentoring step is due, {}</section>').format(
        context["user"].display_name)
