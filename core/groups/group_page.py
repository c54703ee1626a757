"""One helper renders any page inside a group's header and tabs: core's pages and plugins'.

The group header and tabs need the viewer's ``context`` (membership, pending request...),
the ``tabs`` and the template helpers ``perms`` and ``role_label``; a plugin that renders
``render_group_page`` gets all of them and only writes its own part (``groups/page.html``
gives the frame: ``{% extends "groups/page.html" %}{% block group_content %}…``).
"""
from __future__ import annotations

from typing import Any

from flask import render_template

from core import permissions
from core.groups.loading import group_tabs
from core.groups.queries import GroupContext


def group_page_helpers() -> dict[str, Any]:
    """What group templates ask: ``perms`` (``core.permissions``) and ``role_label``."""
    from core.groups.members import role_label

    return {"perms": permissions, "role_label": role_label}


def render_group_page(template: str, context: GroupContext, **values: Any) -> str:
    """Render ``template`` with the group's header and tabs; ``values`` go to the template too."""
    return render_template(template, context=context, group=context.group, tabs=group_tabs(context),
                           **group_page_helpers(), **values)
