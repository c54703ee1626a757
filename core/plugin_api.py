"""Everything a plugin may import from core – and nothing else is public.

A plugin (built-in under ``plugins/`` or a third-party distribution) imports from core
only this module; an import-linter contract in ``setup.cfg`` enforces it, so core may
change any other module without breaking a plugin. Each name is documented here and in
the generated reference ``docs/plugin-api.md`` (``flask plugins docs``), grouped by
``SECTIONS``; hooks themselves are in ``docs/hooks.md``.

Libraries core is built on (Flask, flask-babel, SQLAlchemy, marshmallow, flask-smorest)
are not core: import them directly.
"""
from __future__ import annotations

from typing import Any

from core.api.access import not_found, require_user
from core.auth.accounts import suspend as suspend_account
from core.auth.accounts import unsuspend as unsuspend_account
from core.auth.login_columns import login_values
from core.avatars import avatar
from core.counters import add as _add_to_counter
from core.counters import drain as _drain_counter
from core.countries import country_choices, country_codes, country_name
from core.extensions import db as _db
from core.extensions import limiter as _limiter
from core.forms import form_values, load_form
from core.groups.group_page import render_group_page
from core.groups.list_columns import list_values
from core.groups.loading import content_or_404, group_or_404
from core.groups.members import role_label
from core.groups.membership_actions import end_membership
from core.groups.queries import GroupContext
from core.jobs import Job, crontab
from core.jobs import enqueue as enqueue_job
from core.mail_render import RenderedEmail, render_email
from core.mail_transport import PermanentDeliveryError as _PermanentDeliveryError
from core.mail_transport import send_now as _send_now
from core.markdown import render_markdown, sanitize_html
from core.models import ROLE_RANK as _ROLE_RANK
from core.models import Comment, Group, Invitation, JoinRequest, Membership, Notification, Post, User
from core.models.base import UTCDateTime, utcnow
from core.notifications.preferences import who_wants_email
from core.notify import notify, notify_many
from core.outbox import enqueue as enqueue_mail
from core.page_cache import touch_group, touch_site, touch_user
from core.page_cache.versions import SITE as _SITE
from core.page_cache.versions import group_key as _group_key
from core.page_cache.versions import user_key as _user_key
from core.permissions import (
    announce_user_blocked,
    can_admin_group,
    can_change_role,
    can_interact,
    can_invite,
    can_moderate,
    can_view_group_content,
    can_view_profile,
    forget_membership,
    interaction_barriers,
    is_active_member_account,
    is_authenticated,
    is_member,
    is_site_admin,
    join_allowed,
    membership,
    remember_membership,
    sees_everyone_in,
)
from core.plugins.content import content_types as _content_types
from core.plugins.registry import PluginMeta, get_plugins
from core.plugins.runner import answers_by_blueprint, answers_by_role, fills_slots
from core.plugins.settings import get_group_settings, get_settings
from core.plugins.specs import SLOTS as _SLOTS
from core.plugins.specs import ContentType, EmailKind, GroupTab, NavItem, NotificationKind, SupportResource
from core.plugins.specs import hookimpl as _hookimpl
from core.routing import MAX_ID as _MAX_ID
from core.search import SearchDocument, SearchEntry, SearchHit, SearchSource, search, unindex
from core.sql_constants import sql_constant
from core.storage import (
    ImageRejected,
    StoredFile,
    accepts_uploads,
    delete_after_commit,
    delete_file,
    file_url,
    store_image,
    store_upload,
)
from core.ui import page_constant, request_memo, viewer
from core.visibility import hidden_key, is_hidden_from, not_hidden

# --- declaring a plugin and data ------------------------------------------------------------

hookimpl = _hookimpl
"""Mark a module-level function as your implementation of the hook of the same name:
``@hookimpl`` (or ``@hookimpl(tryfirst=True)`` / ``trylast=True`` to run before or after the
other plugins). See ``docs/hooks.md`` for every hook."""

db = _db
"""The Flask-SQLAlchemy object: ``db.Model`` for your models, ``db.session`` for queries.

Name your tables ``<plugin id>_…``; create them in your own migration branch. Core commits
at the end of an action; an event hook writes in the member's transaction (see
``docs/hooks.md``) and never commits itself."""

limiter = _limiter
"""The app's Flask-Limiter: ``@limiter.limit("5/hour")`` on a view; counts are shared by every worker
when the site uses a shared store (``RATELIMIT_STORAGE_URI``)."""

ROLE_RANK = _ROLE_RANK
"""Group roles by rank: ``{"member": 0, "moderator": 1, "admin": 2, "owner": 3}``; compare
``ROLE_RANK[membership.role] >= ROLE_RANK["moderator"]`` instead of testing role names."""

MAX_ID = _MAX_ID
"""The largest id any table holds (32-bit ``INTEGER``): bound ``fields.Integer`` ids with it so
an absurd id is a validation error, not a database overflow."""

SLOTS = _SLOTS
"""Names of the template slots core's layouts render with ``slot(name, **ctx)``."""


MailRefused = _PermanentDeliveryError
"""Raised by ``send_mail_now`` when the mail server refuses a message for good (a 5xx answer, an
impossible address): retrying cannot help. Any other exception from it is worth a retry."""


def send_mail_now(to_addr: str, subject: str, body_text: str, body_html: str | None = None) -> None:
    """Send one message at once, storing nothing – for a job whose mail must not wait in the outbox.

    Only from a job (never in a web request: the mail server may be slow or hung). Most mail
    belongs in ``enqueue_mail``, which survives outages; use this when keeping the address and
    text until delivery is itself the harm (the help center's mail)."""
    from flask import current_app

    _send_now(current_app.config, to_addr, subject, body_text, body_html)


add_to_counter = _add_to_counter
"""``add_to_counter(name, key, amount=1)``: count something without writing to the database.

For counts taken on every view (a GET must not write, nor queue a job per view): the amount is
added to a buffer shared by every worker (a SQLite file beside the job queue's by default,
Redis when ``JOBS_URL``/``COUNTERS_URL`` names one) and a periodic job of yours moves the totals
into your tables with ``drain_counter``. Keys name the counted thing (``f"{item_id}|{week}"``),
never a person. Best effort: if the buffer cannot be reached the count is dropped and logged."""

drain_counter = _drain_counter
"""``drain_counter(name) -> dict[str, int]``: everything added to ``name`` since the last drain,
``{key: total}``, and the buffer emptied – for the periodic job that writes the totals::

    totals = drain_counter("myplugin.views")
    try:
        write_totals(totals)
        db.session.commit()
    except Exception:
        for key, amount in totals.items():
            add_to_counter("myplugin.views", key, amount)  # counted by the next run
        raise
"""


# --- the page cache -------------------------------------------------------------------------

PAGE_CACHE_SITE = _SITE
"""The key of every cached page, for a model's ``page_cache_keys()`` (see ``page_cache_group_key``)."""


def page_cache_group_key(group_id: int) -> str:
    """The key of a group's cached pages, for a model's ``page_cache_keys()``.

    Logged-in group pages are served from a cache until a write changes what they show; core
    finds the writes from what the ORM flushes. A row of a table core does not know (yours)
    retires **every** cached page, which is always correct. To retire fewer, give the model a
    method ``page_cache_keys(self)`` returning the keys of the pages its rows show on (made by
    this function, ``page_cache_user_key`` or ``PAGE_CACHE_SITE``), or ``()`` for rows no page
    shows.

    Example::

        class Bookmark(db.Model):
            def page_cache_keys(self):
                return (page_cache_user_key(self.user_id),)  # only its owner's pages show it

    A bulk ``UPDATE`` or ``DELETE`` of such a table (whose method needs the row) retires every
    page unless the statement names its keys itself, e.g. ones a job looked up before deleting::

        db.session.execute(delete(Bookmark).where(Bookmark.id.in_(ids))
                           .execution_options(page_cache_keys=[page_cache_user_key(u) for u in owners]))
    """
    return _group_key(group_id)


def page_cache_user_key(user_id: int) -> str:
    """The key of the pages as one person sees them, for a model's ``page_cache_keys()``."""
    return _user_key(user_id)


class NotOnCachedPages:
    """Mixin for a model whose rows show on no cached page, only on the plugin's own pages:
    writing them, bulk statements included, retires nothing (instead of every cached page).

    Example::

        class PrivateNote(NotOnCachedPages, db.Model):
            ...
    """

    @staticmethod
    def page_cache_keys() -> tuple[str, ...]:
        return ()


# --- hooks across plugins --------------------------------------------------------------------


def is_plugin_enabled(plugin_id: str, group: Any = None) -> bool:
    """Whether ``plugin_id`` is enabled site-wide, and for a group-scope plugin in ``group`` too."""
    return get_plugins().is_enabled(plugin_id, group)


def content_types(group: Any = None) -> list[ContentType]:
    """Every enabled plugin's (and core's) ``ContentType``s; in ``group`` only those of plugins on there.

    Use it to act on content you did not define (reporting, export). Each type carries the
    ``plugin_id`` that declared it, and core keeps a group-scope plugin's items out of groups
    that have it off: there ``load`` finds nothing and ``visible_to`` says no."""
    return _content_types(group)


def support_resources(locale: str, context: dict[str, Any]) -> list[SupportResource]:
    """Help for a concern (``context``: ``country``, ``reason``) in ``locale``, the emergency number first."""
    found = get_plugins().call_flat("support_resources", locale=locale, context=context)
    return sorted(found, key=lambda r: 0 if r.kind == "emergency" else 1)


SECTIONS: dict[str, tuple[str, ...]] = {
    "Declaring a plugin": ("PluginMeta", "hookimpl", "NavItem", "GroupTab", "ContentType", "SupportResource",
                           "NotificationKind", "EmailKind", "SLOTS", "fills_slots", "answers_by_role",
                           "answers_by_blueprint"),
    "Data": ("db", "utcnow", "UTCDateTime", "MAX_ID", "ROLE_RANK", "sql_constant"),
    "Models you may read": ("User", "Group", "Membership", "Post", "Comment", "Invitation", "JoinRequest",
                            "Notification", "GroupContext"),
    "Permissions": ("is_authenticated", "is_site_admin", "is_active_member_account", "is_member", "membership",
                    "can_view_group_content", "can_moderate", "can_admin_group", "can_change_role",
                    "can_invite", "join_allowed", "remember_membership", "forget_membership"),
    "Blocks and hiding": ("can_interact", "interaction_barriers", "announce_user_blocked", "not_hidden",
                          "hidden_key", "is_hidden_from", "sees_everyone_in", "can_view_profile"),
    "Acting on members": ("end_membership", "suspend_account", "unsuspend_account"),
    "Notifications and mail": ("notify", "notify_many", "who_wants_email", "render_email", "RenderedEmail",
                               "enqueue_mail", "send_mail_now", "MailRefused"),
    "Jobs": ("Job", "crontab", "enqueue_job", "add_to_counter", "drain_counter"),
    "Other plugins": ("is_plugin_enabled", "content_types", "support_resources"),
    "Search": ("SearchSource", "SearchDocument", "SearchHit", "SearchEntry", "search", "unindex"),
    "Settings": ("get_settings", "get_group_settings"),
    "Files": ("store_image", "store_upload", "ImageRejected", "StoredFile", "file_url", "delete_file",
              "delete_after_commit", "accepts_uploads"),
    "Page cache": ("touch_group", "touch_user", "touch_site", "page_cache_group_key", "page_cache_user_key",
                   "PAGE_CACHE_SITE", "NotOnCachedPages"),
    "Pages": ("group_or_404", "content_or_404", "render_group_page", "role_label", "avatar", "limiter", "viewer",
              "page_constant", "request_memo", "list_values", "login_values"),
    "JSON API": ("require_user", "not_found"),
    "Forms and input": ("load_form", "form_values", "render_markdown", "sanitize_html", "country_codes",
                        "country_choices", "country_name"),
}
"""The reference's sections: every public name, once."""

__all__ = [name for names in SECTIONS.values() for name in names]
