"""The site's identity (name, description, logo, default language) as the header, the home page
and every mail show it: the first-run setup's choices over the configuration's defaults.

Read on nearly every request, so it is cached per app and reloaded only when the plugin state
version moves (saving the profile bumps it): no query per page while nothing changed, and every
worker sees a change on its next request.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, g, has_request_context, request

from core.extensions import db

CACHE_KEY = "commonground.site_profile"


@dataclass(frozen=True)
class SiteIdentity:
    """What a page or a mail needs to know about the site."""

    name: str
    description: str
    logo_key: str | None
    default_locale: str
    configured: bool  # the first-run setup was saved or skipped


def site_identity() -> SiteIdentity:
    """The current identity: cached across requests (see the module docstring); a job or a command
    reads it once per app context, so a mail to 30 people costs one query, and a change is seen by
    the next job."""
    from core.plugins import get_plugins

    if not has_request_context():
        if CACHE_KEY not in g:
            setattr(g, CACHE_KEY, load_identity())
        return getattr(g, CACHE_KEY)
    return warm(get_plugins().state)


def warm(state: Any) -> SiteIdentity:
    """The identity cached for plugin ``state``, loaded now if the state moved since (requests, and
    the test kit's query counter before it counts)."""
    cached = current_app.extensions.get(CACHE_KEY)
    if cached is None or cached[0] is not state:
        cached = (state, load_identity())
        current_app.extensions[CACHE_KEY] = cached
    return cached[1]


def init_app(app: Flask) -> None:
    """Templates see the identity as ``site`` (``site.name``, ``site.logo_key``…)."""

    @app.before_request
    def _load_site() -> None:
        """Reload with the plugin state (the gate runs first), so no page pays it later: the first
        request after a change pays once, whether it renders a page or only redirects."""
        if request.endpoint != "static":
            site_identity()

    @app.context_processor
    def _site() -> dict[str, Any]:
        return {"site": site_identity()}


def load_identity() -> SiteIdentity:
    """Read the profile row, with the configuration filling whatever the setup left empty."""
    from core.models import SiteProfile

    config = current_app.config
    row = db.session.get(SiteProfile, 1)
    locale = row.default_locale if row is not None and row.default_locale in config["LANGUAGES"] else None
    return SiteIdentity(
        name=(row.name if row is not None and row.name else config["SITE_NAME"]),
        description=(row.description or "") if row is not None else config.get("SITE_DESCRIPTION", ""),
        logo_key=row.logo_key if row is not None else None,
        default_locale=locale or config["BABEL_DEFAULT_LOCALE"],
        configured=row is not None and row.setup_done_at is not None,
    )


def save_profile(*, skipped: bool = False, **fields: Any) -> None:
    """Store the setup's choices (or only that it was skipped) and tell every worker."""
    from core.models import SiteProfile
    from core.models.base import utcnow
    from core.plugins.state import bump_version

    row = db.session.get(SiteProfile, 1) or SiteProfile(id=1)
    if not skipped:
        for name, value in fields.items():
            setattr(row, name, value)
    row.setup_done_at = row.setup_done_at or utcnow()
    db.session.add(row)
    bump_version()
    current_app.extensions.pop(CACHE_KEY, None)  # this worker sees it at once, others on the version
    g.pop(CACHE_KEY, None)


def first_run_setup(user: Any) -> str | None:
    """Where a site admin goes after logging in while the site is not set up yet (else None)."""
    from flask import url_for

    from core.permissions import is_site_admin

    if is_site_admin(user) and not site_identity().configured:
        return url_for("setup.form")
    return None
