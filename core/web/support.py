"""The site's one place for help, "Get help": core's page of ``support_resources``, or a plugin's.

Public (a person in crisis may not have an account). A plugin with a fuller help page (the
help center) takes the place over through the ``support_page`` hook: the footer's "Get help"
links to it and ``/support`` redirects there, so there are never two help pages. Without one,
``/support`` lists the resources for the country from ``?country=``, else the member's profile,
else the site default, in the page's language; core always contributes the emergency number,
so the page is never empty.
"""
from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from core.countries import country_choices, country_codes
from core.plugins import get_plugins
from core.plugins.specs import SupportResource

bp = Blueprint("support", __name__)

KIND_ORDER = {"emergency": 0, "helpline": 1, "article": 2}
REASON = re.compile(r"^[a-z_]{1,32}$")


def chosen_country() -> str:
    asked = (request.args.get("country") or "").strip().upper()
    if asked in country_codes():
        return asked
    own = (getattr(current_user, "country", None) or "").upper()
    if own in country_codes():
        return own
    return str(current_app.config.get("DEFAULT_COUNTRY") or "DE").upper()


def support_resources(locale: str, country: str, reason: str = "general") -> list[SupportResource]:
    """Every enabled plugin's resources for this place and language, emergency first, no duplicates."""
    found = get_plugins().call_flat("support_resources", locale=locale, context={"country": country, "reason": reason})
    seen: set[Any] = set()
    unique = []
    for resource in found:
        if not isinstance(resource, SupportResource):
            continue
        key = resource.phone or resource.url or resource.name
        if key in seen:
            continue
        seen.add(key)
        unique.append(resource)
    return sorted(unique, key=lambda r: KIND_ORDER.get(r.kind, len(KIND_ORDER)))


def support_url(country: str | None = None, reason: str = "general") -> str:
    """Where "Get help" leads: the page a plugin offers (``support_page``), else core's ``/support``."""
    page = get_plugins().call_first("support_page", context={"country": country, "reason": reason})
    if isinstance(page, str) and page:
        return page
    return url_for("support.index", **({"country": country} if country else {}))


@bp.get("/support")
def index():
    locale = str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
    country = chosen_country()
    reason = request.args.get("reason", "general")
    if not REASON.match(reason):
        reason = "general"
    asked = country if (request.args.get("country") or "").strip().upper() == country else None
    target = support_url(asked, reason)
    if target.split("?", 1)[0] != request.path:
        return redirect(target)
    return render_template("support/index.html", resources=support_resources(locale, country, reason),
                           country=country, reason=reason, countries=country_choices(locale))
