"""``{{ helpline:DE }}`` and ``{{ helpline:topic }}`` in a body: live helpline entries, never copied text.

The body's HTML is rendered once at save with the placeholders left as text; at reading time
each is replaced by the current verified entries from the help center's directory (through the
``support_resources`` hook), or the emergency number when the help center is off.
"""
from __future__ import annotations

import re

from flask import current_app, render_template
from markupsafe import Markup

from core.plugin_api import country_codes, support_resources

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
HELPLINE = re.compile(r"^helpline:(topic|[A-Za-z]{2})$")


def unknown_placeholders(body: str) -> list[str]:
    """Every ``{{ ... }}`` in ``body`` that names nothing we can fill, in order, once each."""
    codes = set(country_codes())
    unknown: list[str] = []
    for match in PLACEHOLDER.finditer(body or ""):
        name = match.group(1)
        found = HELPLINE.match(name)
        ok = found is not None and (found.group(1) == "topic" or found.group(1).upper() in codes)
        if not ok and name not in unknown:
            unknown.append(name)
    return unknown


def fill(body_html: str, locale: str, helpline_topic: str | None) -> Markup:
    """``body_html`` (already sanitized) with each placeholder replaced by the live entries."""
    cache: dict[str, str] = {}

    def replace(match: re.Match) -> str:
        found = HELPLINE.match(match.group(1))
        if found is None:
            return match.group(0)
        which = found.group(1)
        if which not in cache:
            if which == "topic":
                context = {"country": current_app.config["DEFAULT_COUNTRY"], "reason": helpline_topic or "crisis"}
            else:
                context = {"country": which.upper(), "reason": "crisis"}
            entries = support_resources(locale, context)
            cache[which] = render_template("resources/helplines.html", entries=entries)
        return cache[which]

    # Placeholders stand alone in their paragraph: replace the paragraph, not nest a list in a <p>.
    html = re.sub(r"<p>\s*(\{\{[^{}]*\}\})\s*</p>", r"\1", body_html)
    return Markup(PLACEHOLDER.sub(replace, html))
