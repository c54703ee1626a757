"""Language choice: the member's setting, else the visitor's pick, else the browser."""
from __future__ import annotations

from flask import Flask, current_app, request, session
from flask_login import current_user


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if current_user and getattr(current_user, "is_authenticated", False) and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def init_app(app: Flask) -> None:
    from pathlib import Path

    dirs = [str(Path(__file__).parent / "translations")]
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", ";".join(dirs))

    @app.context_processor
    def _locale_context():
        from flask_babel import get_locale

        return {"current_locale": str(get_locale() or "en")}
