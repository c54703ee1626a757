"""The plugin contract: every hook a plugin may implement.

Hooks are grouped by phase. Each docstring says when the hook is called, its
arguments, what it returns and gives an example. ``docs/hooks.md`` has a section
per hook and ``tests/core/test_hooks.py`` a ``test_hook_<name>`` per hook; a
meta-test fails when either is missing.

Plugins only ever receive keyword arguments, and may accept any subset of them. A plugin
whose ``META.scope`` is ``"group"`` is only called for groups that switched it on: core
takes the group from the ``group``, ``membership``, ``post`` or ``comment`` argument.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    import click
    from flask import Blueprint, Flask
    from markupsafe import Markup
    from marshmallow import Schema
    from sqlalchemy import Select

    from core.jobs import Job
    from core.models import Comment, Group, Membership, Notification, Post, User
    from core.search import SearchSource

PROJECT = "commonground"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


# --- value types plugins return ---------------------------------------------------------------


@dataclass(frozen=True)
class NavItem:
    """An entry in the main navigation. ``endpoint`` is a Flask endpoint name."""

    label: str
    endpoint: str
    values: dict[str, Any] = field(default_factory=dict)
    order: int = 100
    badge: int | None = None


@dataclass(frozen=True)
class GroupTab:
    """A tab on a group's page, shown only where the plugin is enabled for that group."""

    label: str
    endpoint: str
    values: dict[str, Any] = field(default_factory=dict)
    order: int = 100


@dataclass(frozen=True)
class ContentType:
    """Describes a kind of content so cross-cutting features (reporting) can act on it.

    ``load(id)`` returns the object or None; ``visible_to(obj, user)`` says whether
    ``user`` may see it; ``author_id(obj)``, ``group_id(obj)`` (None outside groups),
    ``snapshot(obj)`` (a plain-text copy kept as evidence) and ``url(obj)`` describe it;
    ``hide``/``delete`` are optional callables used by moderation. ``snapshot_html(obj)``,
    optional, gives the sanitized HTML readers saw (moderators see the evidence that way);
    without it the snapshot is rendered as Markdown by core's sanitizer.
    """

    name: str
    label: str
    load: Any
    visible_to: Any
    author_id: Any
    group_id: Any
    snapshot: Any
    url: Any
    delete: Any = None
    snapshot_html: Any = None


@dataclass(frozen=True)
class SupportResource:
    """Help shown when a concern is raised: a helpline, emergency number or article."""

    name: str
    kind: str  # "emergency" | "helpline" | "article"
    country: str | None = None
    phone: str | None = None
    phone_display: str | None = None
    url: str | None = None
    description: str = ""
    hours: str = ""
    free: bool | None = None
    anonymous: bool | None = None
    verified: bool = False
    channels: tuple = ()


@dataclass(frozen=True)
class NotificationKind:
    """A kind of in-app notification, declared through ``register_notification_kinds``.

    ``name`` is what ``notify(user, name, ...)`` is called with and what is stored (at most 40
    characters; start a plugin's kinds with its id, e.g. ``"events_reminder"``). ``message`` is
    a function ``message(note) -> str | Markup``: the sentence the member reads, built each time
    the notification is shown (list page, API, email) and called inside the reader's language,
    so plain ``gettext`` gives their language. It reads what ``notify`` stored: ``note.data``
    (the ``data`` dict), ``note.actor`` and ``note.group`` (both may be None) – no queries. A
    ``str`` is escaped; return ``Markup`` (escaping what you interpolate) to emphasise names.
    """

    name: str
    message: Callable[[Notification], Any]


@dataclass(frozen=True)
class EmailKind:
    """A kind of email, declared through ``register_email_kinds`` and rendered by
    ``render_email`` (plugin API).

    ``name``: an email for a notification has the notification kind's name, and ``notify``
    sends it (to a confirmed address) together with the notification. ``label``: what the
    member's email settings call it ("Someone comments on your post"); with a label members can
    switch it off, ``default`` says whether it is on until they choose. Without a label it is
    not a choice (account mail, or mail the member asked for) and always goes out.
    ``template``: the templates ``<template>.subject.txt``, ``.txt`` and ``.html``; by default
    ``<plugin id>/email/<name>`` in the plugin's template folder (core: ``email/<name>``).
    """

    name: str
    label: Any = None
    default: bool = True
    template: str | None = None


# --- setup ------------------------------------------------------------------------------------


@hookspec
def register_blueprints(app: Flask) -> list[Blueprint]:
    """Called once while the app is built, for every installed (not blocked) plugin.

    Arguments: ``app`` – the Flask app being built.
    Return: a list of ``flask.Blueprint`` or ``flask_smorest.Blueprint`` (API, mounted under
    ``/api/v1``). Blueprints are always registered; a gate answers 404 while the plugin is
    disabled, so enabling needs no restart.
    Example::

        @hookimpl
        def register_blueprints(app):
            return [views.bp, api.blp]
    """


@hookspec
def register_commands(cli: click.Group) -> None:
    """Called once while the app is built; add ``flask`` CLI commands.

    Arguments: ``cli`` – the app's ``click`` group (``app.cli``).
    Return: nothing.
    Example::

        @hookimpl
        def register_commands(cli):
            cli.add_command(my_group)
    """


@hookspec(firstresult=True)
def settings_schema() -> type[Schema] | None:
    """Called for one plugin at a time when its settings are shown, validated or read.

    Arguments: none.
    Return: a marshmallow ``Schema`` class; every field needs a ``load_default``. The admin
    settings form is generated from it and input is validated with it on save.
    Example::

        @hookimpl
        def settings_schema():
            return HelloSettings
    """


# --- UI ---------------------------------------------------------------------------------------


@hookspec
def nav_items(user: User) -> list[NavItem] | None:
    """Called on every page render to build the main navigation.

    Arguments: ``user`` – the current user (may be anonymous).
    Return: a list of ``NavItem`` (or None).
    Example::

        @hookimpl
        def nav_items(user):
            return [NavItem(label=_("Help"), endpoint="helpcenter.index", order=90)]
    """


@hookspec
def group_tabs(group: Group, user: User) -> list[GroupTab] | None:
    """Called when a group page is rendered; only plugins enabled for that group are asked.

    Arguments: ``group`` – the ``Group``; ``user`` – the current user.
    Return: a list of ``GroupTab`` (or None).
    Example::

        @hookimpl
        def group_tabs(group, user):
            return [GroupTab(label="Mentoring", endpoint="mentorship.home",
                             values={"slug": group.slug})]
    """


@hookspec
def template_slot(name: str, context: dict[str, Any]) -> str | Markup | None:
    """Called when a template renders ``{{ slot("name", **ctx) }}``.

    Arguments: ``name`` – the slot name (see ``SLOTS``); ``context`` – a dict of what the
    template passed (e.g. ``post``, ``group``, ``user``).
    Return: HTML (``str``/``Markup``; ``str`` is escaped-safe only if you built it with
    ``render_template``) or None to contribute nothing.
    Example::

        @hookimpl
        def template_slot(name, context):
            if name == "footer":
                return render_template("hello/footer.html")
    """


# --- content ----------------------------------------------------------------------------------


@hookspec
def content_types() -> list[ContentType]:
    """Called when a feature needs to act on any kind of content (reporting, export).

    Arguments: none.
    Return: a list of ``ContentType``.
    Example::

        @hookimpl
        def content_types():
            return [ContentType(name="mentorship_note", label=_("Note"), load=..., ...)]
    """


# --- policy -----------------------------------------------------------------------------------


@hookspec
def can_interact(actor: User, target: User) -> bool | None:
    """Called before ``actor`` comments on, invites, mentions, notifies or pairs with ``target``.

    Arguments: ``actor``, ``target`` – ``User`` objects.
    Return: ``False`` to forbid, ``True``/None to allow. Any ``False`` wins, and a plugin that
    raises counts as ``False`` (policy hooks fail closed).
    Example::

        @hookimpl
        def can_interact(actor, target):
            return not is_blocked_either_way(actor.id, target.id)
    """


@hookspec
def can_join_group(user: User, group: Group) -> bool | None:
    """Called before ``user`` joins ``group``, asks to join it, or is invited to it.

    Arguments: ``user`` – the person joining (or invited); ``group`` – the ``Group``.
    Return: ``False`` to forbid (e.g. a moderation ban), ``True``/None to allow. Any ``False``
    wins; a plugin that raises counts as ``False`` (policy hooks fail closed).
    Example::

        @hookimpl
        def can_join_group(user, group):
            return not is_banned(user.id, group.id)
    """


@hookspec
def hidden_user_ids(viewer: User) -> Select | None:
    """Called while building queries of people's content (feeds, comments, member lists, counts).

    Arguments: ``viewer`` – the current ``User`` (never called for anonymous visitors).
    Return: a SQLAlchemy ``Select`` of one integer column (user ids) whose content ``viewer``
    must not see, or None. Core embeds it, uncorrelated, as ``NOT IN (subquery)`` in the same
    SQL query, so hiding costs no extra queries; counts shown to ``viewer`` leave those people
    out too. Answer about the viewer only, wherever they are: core applies one exemption
    itself – inside a group, its staff (moderators, admins, owners) see every member's content
    whoever is hidden from them, so they can act on it; those items reach the ``post_footer``,
    ``comment_actions`` and ``member_details`` slots with ``hidden_elsewhere=True`` for a
    plugin to say why. Outside that group (other groups, profiles) the answer applies as is.
    Example::

        @hookimpl
        def hidden_user_ids(viewer):
            return select(Block.blocked_id).where(Block.blocker_id == viewer.id)
    """


@hookspec
def hidden_content_ids(viewer: User, content_type: str) -> Select | None:
    """Called while building a search for ``viewer``, once per searchable content type.

    Arguments: ``viewer`` – the current user (may be anonymous); ``content_type`` – a search
    source name such as ``"post"``, ``"comment"`` or ``"profile"`` (content types and search
    sources share their names).
    Return: a SQLAlchemy ``Select`` of one integer column (ids of that type) that ``viewer`` must
    not find, e.g. items hidden by moderation, or None. Core embeds it as ``NOT IN (subquery)``
    in the search's one SQL query, so it costs no extra query. Site-scope plugins only; a
    disabled plugin's hiding stops with it, as its placeholders do.
    Example::

        @hookimpl
        def hidden_content_ids(viewer, content_type):
            return select(Hidden.content_id).where(Hidden.content_type == content_type)
    """


@hookspec
def content_placeholders(viewer: User, content_type: str, ids: list[int]) -> dict[int, Markup] | None:
    """Called once per list of content (a feed page, a post's comments) before rendering.

    Arguments: ``viewer`` – the current user (may be anonymous); ``content_type`` – e.g.
    ``"post"`` or ``"comment"``; ``ids`` – the ids about to be shown.
    Return: a dict ``{id: Markup}`` of items whose body must be replaced by the given
    placeholder for this viewer (e.g. hidden by moderation), or None. One query per call at
    most; core shows the original for ids not in the dict.
    Example::

        @hookimpl
        def content_placeholders(viewer, content_type, ids):
            hidden = hidden_ids(content_type, ids)
            return {i: Markup("<em>Hidden by a moderator</em>") for i in hidden}
    """


# --- events -----------------------------------------------------------------------------------


@hookspec
def user_registered(user: User) -> None:
    """Called after a new account is flushed, inside the sign-up transaction.

    Arguments: ``user`` – the new ``User``. Return: nothing.
    Example::

        @hookimpl
        def user_registered(user):
            db.session.add(WelcomeState(user_id=user.id))
    """


@hookspec
def group_created(group: Group, user: User) -> None:
    """Called after a group is created, inside the same transaction.

    Arguments: ``group`` – the ``Group``; ``user`` – its creator. Return: nothing.
    Example::

        @hookimpl
        def group_created(group, user):
            log.info("group %s created", group.slug)
    """


@hookspec
def member_joined(membership: Membership) -> None:
    """Called after someone becomes a member of a group (open join, approval, invitation).

    Arguments: ``membership`` – the new ``Membership``. Return: nothing.
    Example::

        @hookimpl
        def member_joined(membership):
            send_welcome(membership.user, membership.group)
    """


@hookspec
def member_left(group: Group, user: User) -> None:
    """Called after a member leaves or is removed from a group.

    Arguments: ``group``, ``user``. Return: nothing.
    Example::

        @hookimpl
        def member_left(group, user):
            end_pairings(group, user)
    """


@hookspec
def post_created(post: Post) -> None:
    """Called after a post is created, inside the same transaction.

    Arguments: ``post`` – the new ``Post``. Return: nothing.
    Example::

        @hookimpl
        def post_created(post):
            index_for_search(post)
    """


@hookspec
def comment_created(comment: Comment) -> None:
    """Called after a comment is created, inside the same transaction.

    Arguments: ``comment`` – the new ``Comment``. Return: nothing.
    Example::

        @hookimpl
        def comment_created(comment):
            index_for_search(comment)
    """


# --- registries -------------------------------------------------------------------------------


@hookspec
def register_notification_kinds() -> list[NotificationKind]:
    """Called once while the app is built, for every installed plugin (enabled or not), to
    fill the app's registry of notification kinds.

    Arguments: none.
    Return: a list of ``NotificationKind``. A name declared twice (by two plugins, or by a
    plugin and core) stops start-up with an error naming the plugin and the kind. While the
    plugin is disabled (site-wide, or in the notification's group for a group-scope plugin)
    its notifications are left out of every list and count, and come back when it is enabled
    again; ``notify`` with a kind nobody declared raises ``UnknownKind``.
    Example::

        @hookimpl
        def register_notification_kinds():
            return [NotificationKind(
                name="events_reminder",
                message=lambda note: _("%(title)s starts tomorrow.", title=note.data["title"]),
            )]
    """


@hookspec
def register_email_kinds() -> list[EmailKind]:
    """Called once while the app is built, for every installed plugin (enabled or not), to
    fill the app's registry of email kinds.

    Arguments: none.
    Return: a list of ``EmailKind``. A name declared twice stops start-up with an error naming
    the plugin and the kind. Kinds with a ``label`` appear in members' email settings while
    the plugin is enabled. ``notify`` sends the email of the same name as the notification;
    other mail is rendered with ``render_email(name, user, ...)`` from the plugin API.
    Example::

        @hookimpl
        def register_email_kinds():
            return [EmailKind(name="events_reminder", label=_l("An event you joined starts soon"))]
    """


@hookspec
def register_jobs(app: Flask) -> list[Job]:
    """Called once while the app is built, for every installed (not blocked) plugin.

    Arguments: ``app`` – the Flask app being built (read settings from ``app.config``).
    Return: a list of ``core.jobs.Job``. Each name starts with your plugin's id and is declared
    once; a clash, a foreign name or a non-``Job`` stops start-up naming your plugin. A disabled
    plugin's jobs are skipped when they come due. Queue one with ``enqueue(name, ...)``.
    Example::

        @hookimpl
        def register_jobs(app):
            return [Job("myplugin.remind", remind, retries=3, retry_delay=60),
                    Job("myplugin.clean_up", clean_up, schedule=crontab(hour="3", minute="0"))]
    """


@hookspec
def search_sources() -> list[SearchSource]:
    """Called once while the app is built, on every installed plugin (enabled or not: a disabled
    plugin's rows stay in the index and come back when it is enabled; until then search leaves
    them out, and a group plugin's rows only show in groups that switched it on).

    Arguments: none.
    Return: a list of ``SearchSource`` (from ``core.plugin_api``). Each names a model whose rows core
    indexes in the same transaction as they are written (``document(obj)`` -> ``SearchDocument``),
    a ``visible(viewer, entries)`` SQL filter core puts into its one search query on top of its
    own rules (private groups, hidden people, hidden items, plugin switches), and ``url(hit)``.
    A source name is the plugin id or starts with ``<id>_``; a name declared twice stops the app,
    naming both plugins. Rebuild with ``flask search reindex``.
    Example::

        @hookimpl
        def search_sources():
            return [SearchSource(
                name="events", label=_l("Events"), item_label=_l("Event"), model=Event,
                document=lambda e: SearchDocument(object_id=e.id, title=e.title, body=e.description,
                                            group_id=e.group_id, author_id=e.created_by_id),
                visible=lambda viewer, entries: true(),
                url=lambda hit: url_for("events.show", slug=hit.group_slug, event_id=hit.object_id),
                watch=("title", "description"),
            )]
    """


# --- support ----------------------------------------------------------------------------------


@hookspec
def support_resources(locale: str, context: dict[str, Any]) -> list[SupportResource]:
    """Called where a concern is raised (self-harm report, help pages) to show help.

    Arguments: ``locale`` – e.g. ``"de"``; ``context`` – a dict with at least ``country``
    (ISO 3166 alpha-2) and ``reason`` (e.g. ``"self_harm"``).
    Return: a list of ``SupportResource``. Core's fallback returns the emergency number only.
    Example::

        @hookimpl
        def support_resources(locale, context):
            return [SupportResource(name="TelefonSeelsorge", kind="helpline", ...)]
    """


# --- privacy ----------------------------------------------------------------------------------


@hookspec
def export_user_data(user: User) -> dict[str, Any] | None:
    """Called when a member downloads their data, on every installed plugin (also disabled ones:
    their data is kept, so it is the member's to see).

    Arguments: ``user``. Return: a JSON-serialisable dict (placed under the plugin's id) or None.
    Example::

        @hookimpl
        def export_user_data(user):
            return {"notes": [n.text for n in Note.query.filter_by(user_id=user.id)]}
    """


@hookspec
def erase_user_data(user: User) -> None:
    """Called inside the account-deletion transaction, before the user row is deleted, on every
    installed plugin (also disabled ones, which still hold data).

    Arguments: ``user``. Return: nothing. Delete or anonymise everything you keep about them.
    Example::

        @hookimpl
        def erase_user_data(user):
            Note.query.filter_by(user_id=user.id).delete()
    """


# --- lifecycle --------------------------------------------------------------------------------


@hookspec
def plugin_enabled(plugin_id: str, group: Group | None) -> None:
    """Called on a plugin right after it was enabled (site-wide when ``group`` is None).

    Arguments: ``plugin_id`` – the id enabled; ``group`` – the ``Group`` or None.
    Return: nothing.
    Example::

        @hookimpl
        def plugin_enabled(plugin_id, group):
            ensure_default_rows()
    """


@hookspec
def plugin_disabled(plugin_id: str, group: Group | None) -> None:
    """Called on a plugin right before it is disabled (site-wide when ``group`` is None).

    Arguments: as ``plugin_enabled``. Return: nothing. Keep your data: it comes back.
    Example::

        @hookimpl
        def plugin_disabled(plugin_id, group):
            cancel_scheduled_jobs()
    """


@hookspec
def seed_demo(app: Flask) -> None:
    """Called once by ``flask seed`` (``make run`` on a fresh database) to add demo data.

    Arguments: ``app``. Return: nothing. Core's own demo data exists by then.
    Example::

        @hookimpl
        def seed_demo(app):
            db.session.add(Helpline(name="TelefonSeelsorge", ...))
    """


SLOTS = frozenset(
    {
        "head",
        "header",
        "footer",
        "page_top",
        "sidebar",
        "post_actions",
        "post_footer",
        "comment_actions",
        "member_details",
        "content_actions",
        "profile_actions",
        "profile_details",
        "group_sidebar",
        "group_settings",
        "support",
        "user_settings",
        "admin_dashboard",
    }
)
"""Named template slots the core layouts expose; rendering an unknown name raises."""


CALLED_EVEN_WHEN_DISABLED = frozenset({"export_user_data", "erase_user_data"})
"""Privacy hooks reach every installed plugin, enabled or not: a disabled plugin's data is
kept, so a member's export must include it and their erasure must remove it."""


RENAMED_HOOKS: dict[str, str] = {}
"""Deprecation path for renamed hooks: ``{"old_name": "new_name"}``.

Core keeps each old name as a hookspec with pluggy's ``warn_on_impl`` (a
``DeprecationWarning`` pointing at the plugin's function when it is registered) and calls
implementations of the old name together with the new hook, with the new hook's
arguments, until the old name is removed a release later.
"""
