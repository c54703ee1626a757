"""Resource hubs: curated help from partner organisations by topic, reviewed, localized, leaving no trace.

A hub is site-wide (run by site admins, at ``/resources/<hub>``) or belongs to a group (run by the
group's admins, at ``/g/<slug>/resources/<hub>``); the plugin is ``scope="group"``, so a group's
hubs vanish when a group admin switches it off there, while site-wide hubs follow the site switch.
Editors write drafts, a different editor publishes; every change is a revision. Readers leave only
weekly counters behind.
"""
from __future__ import annotations

from core.plugin_api import PluginMeta
from plugins.resources import models  # noqa: F401  (tables join the metadata)

META = PluginMeta(
    id="resources",
    name="Resource hubs",
    version="1.0.0",
    description="Curated help from partner organisations by topic: reviewed, translated, searchable, "
                "with live helpline numbers, and no record of who read what.",
    scope="group",
)
