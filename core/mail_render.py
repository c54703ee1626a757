"""The one email renderer: subject, text and HTML of any kind of mail, in the recipient's language.

Core's account mail, notification mail and every plugin's mail go through ``render_email``.
An email kind (declared through ``register_email_kinds``) names its templates
``<template>.subject.txt``, ``.txt`` and ``.html``; they are rendered inside the recipient's
language with ``user`` (the recipient), ``site_name``, ``kind``, ``mail_locale`` and, for kinds
members can switch off, ``settings_url`` (an absolute link to that setting), plus whatever the
caller passes. The subject is one line.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app, has_request_context, render_template, url_for
from flask_babel import force_locale

from core.notifications.kinds import registry


@dataclass(frozen=True)
class RenderedEmail:
    """A mail ready for the outbox: a one-line subject, the plain text and the HTML body."""

    subject: str
    text: str
    html: str


def render_email(kind: str, user: Any, *, locale: str | None = None, **context: Any) -> RenderedEmail:
    """Render the mail of ``kind`` for ``user`` in ``locale`` (default: the user's language).

    Raises ``UnknownKind`` for a kind nobody declared.
    """
    entry = registry().email_kind(kind)
    email_kind = entry.kind
    template = email_kind.template or (f"email/{kind}" if entry.plugin_id == "core"
                                       else f"{entry.plugin_id}/email/{kind}")
    locale = locale or mail_locale(user)
    values = {
        "user": user, "kind": kind, "mail_locale": locale, "site_name": current_app.config["SITE_NAME"],
        "settings_url": absolute(path_for("notifications.settings") + f"#kind-{kind}")
        if email_kind.label is not None else None,
        **context,
    }
    with force_locale(locale):
        subject = " ".join(render_template(f"{template}.subject.txt", **values).split())
        text = render_template(f"{template}.txt", **values)
        html = render_template(f"{template}.html", **values)
    return RenderedEmail(subject, text, html)


def mail_locale(user: Any) -> str:
    """The recipient's language if the site speaks it, else the site's default."""
    languages = current_app.config["LANGUAGES"]
    chosen = getattr(user, "locale", None)
    return chosen if chosen in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def path_for(endpoint: str, **values: Any) -> str:
    """``url_for`` that also works outside a request (CLI jobs, the worker, seeding)."""
    if has_request_context():
        return url_for(endpoint, **values)
    return current_app.url_map.bind("localhost").build(endpoint, values)


def absolute(url: str | None) -> str | None:
    """Links in mail point at the public site address, whatever host served the request."""
    if not url or url.startswith(("http://", "https://")):
        return url
    return current_app.config["SITE_URL"].rstrip("/") + url
