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
    """What group templates ask: ``perms`` (``core.permissions``), ``role_label`` and ``role_here``."""
    from core.groups.members import role_here, role_label

    return {"perms": permissions, "role_label": role_label, "role_here": role_here}


def render_group_page(template: str, context: GroupContext, **values: Any) -> str:
    """Render ``template`` inside the group's header and tabs; returns the HTML.

    ``context`` is what ``group_or_404``/``content_or_404`` returned for the slug in the URL.
    The template extends ``groups/page.html`` and fills ``{% block page_title %}`` (the
    browser title, followed by the group's name) and ``{% block group_content %}``. It gets
    ``group``, ``context`` (``context.membership`` is the viewer's ``Membership`` or None),
    ``tabs`` (the plugin's own tab is the current one, also on its other pages),
    ``perms`` (``core.permissions``, e.g. ``perms.can_moderate(current_user, group)``),
    ``role_label(role)`` and ``values``. Return it with a status for a refused form:
    ``return render_group_page(...), 400``.

    Example::

        @bp.get("/g/<slug>/events")
        def index(slug):
            context = content_or_404(slug)
            return render_group_page("events/index.html", context, events=upcoming(context.group))
    """
    return render_template(template, context=context, group=context.group, tabs=group_tabs(context),
                           **group_page_helpers(), **values)
