"""Common Ground core: the app factory."""
from __future__ import annotations

from collections.abc import Iterable
from types import ModuleType
from typing import Any

from flask import Flask


def create_app(config: dict[str, Any] | None = None,
               plugins: Iterable[ModuleType | str] | None = None) -> Flask:
    """Build the app. ``plugins`` given explicitly replaces entry-point discovery (tests)."""
    from core import (
        cli,
        compiled_cache,
        counters,
        errors,
        i18n,
        input_hygiene,
        page_cache,
        rate_limit_storage,
        routing,
        search,
        security,
        site_profile,
        ui,
        visibility,
    )
    from core.api import init_api
    from core.auth import cookie_sessions, csrf_tokens
    from core.auth.session import init_login
    from core.config import load_config
    from core.extensions import babel, csrf, db, limiter, migrate
    from core.jobs import init_app as init_jobs
    from core.notifications.kinds import init_app as init_kinds
    from core.plugins import defaults as core_hooks
    from core.plugins import init_app as init_plugins
    from core.plugins import migrations as plugin_migrations
    from core.storage import init_app as init_storage

    app = Flask(__name__, instance_relative_config=True)
    load_config(app, config)
    rate_limit_storage.check(app.config, rate_limit_storage.web_workers(app.config))
    routing.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        from core.database import enable_sqlite_pragmas

        enable_sqlite_pragmas()
    db.init_app(app)
    compiled_cache.init_app(app)
    page_cache.init_app(app)  # its front door goes right around Flask's wsgi_app, inside ProxyFix
    if app.config.get("PROXY_COUNT"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    migrate.init_app(app, db, directory=str(_migrations_dir()), render_as_batch=True)
    plugin_migrations.init_app(app)
    csrf.init_app(app)
    csrf_tokens.init_app(app)
    cookie_sessions.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    limiter.init_app(app)
    init_login(app)
    visibility.init_app()  # after a write, who is hidden is asked again
    security.init_app(app)
    input_hygiene.init_app(app)
    i18n.init_app(app)
    ui.init_app(app)
    site_profile.init_app(app)
    _register_blueprints(app)
    init_storage(app)
    init_api(app)
    errors.init_app(app)  # after the API: flask-smorest installs its own handlers
    init_plugins(app, plugins, core_hooks=core_hooks)  # core's defaults first, then the plugins
    init_kinds(app)
    init_jobs(app)  # after the plugins: they declare jobs through a hook
    counters.init_app(app)
    search.init_app(app)  # after the plugins: they declare search sources
    cli.init_app(app)
    return app


def _migrations_dir():
    from pathlib import Path

    return Path(__file__).parent / "migrations"


def _register_blueprints(app: Flask) -> None:
    from core.admin.views import bp as admin_bp
    from core.auth import avatar_views  # noqa: F401  (routes on the auth blueprint)
    from core.auth.views import bp as auth_bp
    from core.groups.views import bp as groups_bp
    from core.notifications.views import bp as notifications_bp
    from core.web.views import bp as web_bp

    for bp in (web_bp, auth_bp, groups_bp, notifications_bp, admin_bp):
        app.register_blueprint(bp)
    from core.admin.plugin_pages import bp as admin_plugins_bp
    from core.admin.setup import bp as setup_bp
    from core.groups.features import bp as group_plugins_bp
    from core.web.support import bp as support_bp

    for bp in (admin_plugins_bp, setup_bp, group_plugins_bp, support_bp):
        app.register_blueprint(bp)
