"""The one email renderer: subject, text and HTML of any kind of mail, in the recipient's language.

Core's account mail, notification mail and every plugin's mail go through ``render_email``.
Each kind's HTML is put into one branded layout (``email/layout.html``: nested tables and inline
styles, which Gmail, Outlook and Apple Mail all render; the layout's few CSS rules are inlined by
``css_inline``) and its text into ``email/layout.txt`` (the same footer as plain text), so every
mail has both parts, the site's name and logo, and never a form element.

An email kind (declared through ``register_email_kinds``) names its templates
``<template>.subject.txt``, ``.txt`` and ``.html``; they are rendered inside the recipient's
language with ``user`` (the recipient), ``site_name``, ``kind``, ``mail_locale`` and, for kinds
members can switch off, ``settings_url`` (an absolute link to that setting), plus whatever the
caller passes. The subject is one line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import css_inline
from flask import current_app, has_request_context, render_template, url_for
from flask_babel import force_locale
from markupsafe import Markup

from core.notifications.kinds import registry
from core.site_profile import site_identity


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
    site = site_identity()
    values = {
        "user": user, "kind": kind, "mail_locale": locale, "site_name": site.name,
        "settings_url": absolute(path_for("notifications.settings") + f"#kind-{kind}")
        if email_kind.label is not None else None,
        **context,
    }
    with force_locale(locale):
        subject = " ".join(render_template(f"{template}.subject.txt", **values).split())
        text = render_template(f"{template}.txt", **values)
        body = body_of(render_template(f"{template}.html", **values))
        frame = {**values, "subject": subject, "site_url": absolute("/"), "site_description": site.description,
                 "logo_url": absolute(path_for("files.serve", key=site.logo_key)) if site.logo_key else None}
        html = render_template("email/layout.html", body=Markup(body), preheader=preheader(text), **frame)
        text = render_template("email/layout.txt", body=text.strip(), **frame).rstrip() + "\n"
    return RenderedEmail(subject, text, css_inline.inline(html))


def body_of(html: str) -> str:
    """The inside of ``<body>`` when a kind's template is a whole document, else all of it."""
    match = re.search(r"<body[^>]*>(.*)</body>", html, re.DOTALL | re.IGNORECASE)
    return (match.group(1) if match else html).strip()


def preheader(text: str) -> str:
    """The line mail clients show after the subject: the first sentence after the greeting."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return (lines[1] if len(lines) > 1 else "")[:150]


def mail_locale(user: Any) -> str:
    """The recipient's language if the site speaks it, else the site's default."""
    languages = current_app.config["LANGUAGES"]
    chosen = getattr(user, "locale", None)
    return chosen if chosen in languages else site_identity().default_locale


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
