"""Language choice: the member's setting, else the visitor's pick, else the browser."""
from __future__ import annotations

from flask import Flask, current_app, has_request_context, request, session
from flask.globals import _cv_app
from flask_babel import get_translations
from flask_babel import gettext as _babel_gettext
from flask_babel.speaklater import LazyString
from flask_login import current_user


def select_locale() -> str:
    """Outside a request (CLI commands, the outbox worker) the site default applies."""
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and getattr(current_user, "is_authenticated", False):
        return locale_for(current_user.locale)
    return _visitor_locale()


def locale_for(member_locale: str | None) -> str:
    """A logged-in member's language in a request: their setting if the site offers it, else as
    for a visitor (the page cache keys pages by this, from the member's row alone)."""
    if member_locale in current_app.config["LANGUAGES"]:
        return member_locale
    return _visitor_locale()


def _visitor_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or site_default_locale()


def site_default_locale() -> str:
    """The language the first-run setup chose for the site, else the configured default."""
    from core.site_profile import site_identity

    return site_identity().default_locale


def _translations():
    """Flask-Babel's catalog, looked up once per request rather than once per string.

    A page translates dozens of strings and each lookup walks Flask-Babel's context, domain and
    locale. The catalog is remembered together with the locale and domain objects it was found
    for, so ``force_locale`` (e-mails in the recipient's language) or ``refresh`` get theirs.
    """
    context = _cv_app.get(None)  # the app context without Flask's proxies: asked for every string
    if context is None:
        return get_translations()
    found = context.g.__dict__  # g's attributes, without a proxy lookup for each
    memo = found.get("_cg_translations")
    if memo is not None:
        state = found.get("_flask_babel")
        current = {} if state is None else state.__dict__  # Flask-Babel's SimpleNamespace
        if current.get("babel_locale") is memo[0] and current.get("babel_domain") is memo[1]:
            return memo[2]
    translations = get_translations()
    state = found.get("_flask_babel")
    if state is not None and getattr(state, "babel_locale", None) is not None:
        found["_cg_translations"] = (state.babel_locale, getattr(state, "babel_domain", None), translations)
    return translations


def text(value: object) -> str:
    """``str(value)``, with a Flask-Babel ``lazy_gettext`` string translated through the request's
    catalog (``_translations``) instead of Flask-Babel's lookup on every use.

    Plugins' navigation items and group tabs carry lazy labels, and a page translates each of them
    when it sorts and when it renders them; Flask-Babel's lookup walks its context, domain and
    locale each time. Same text as ``str(value)``: only lazy strings of the default domain
    (``flask_babel.lazy_gettext``) take the short way.
    """
    if type(value) is LazyString and value._func is _babel_gettext and len(value._args) == 1:
        translated = _translations().ugettext(value._args[0])
        return translated % value._kwargs if value._kwargs else translated
    return str(value)


def init_app(app: Flask) -> None:
    from pathlib import Path

    dirs = [str(Path(__file__).parent / "translations")]
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", ";".join(dirs))
    # The same callables Flask-Babel installs, with the catalog looked up once per request.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
        newstyle=True,
    )

    @app.context_processor
    def _locale_context():
        from flask_babel import get_locale

        return {"current_locale": str(get_locale() or "en")}
