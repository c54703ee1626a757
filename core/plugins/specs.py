"""The plugin contract: every hook a plugin may implement.

Hooks are grouped by phase. Each docstring says when the hook is called, its arguments,
what it returns and gives an example; its ``@contract`` says how the runner
(``core.plugins.runner``) treats it: which plugins it reaches, whether a failure is
dropped, counts as "no" (fails closed) or undoes the whole action, and whether each
implementation runs in its own SAVEPOINT. ``docs/hooks.md`` is generated from this module
(``flask plugins docs``); a test fails when it is stale, and ``tests/core/test_hooks.py``
has a ``test_hook_<name>`` per hook.

Plugins only ever receive keyword arguments, and may accept any subset of them. Every hook
called about something in a group takes that ``group`` (None where there is none). A plugin
whose ``META.scope`` is ``"group"`` is only called for groups that switched it on: core
takes the group from the ``group``, ``membership``, ``post`` or ``comment`` argument.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    import click
    from flask import Blueprint, Flask
    from markupsafe import Markup
    from marshmallow import Schema
    from sqlalchemy import ColumnElement, Select

    from core.jobs import Job
    from core.models import Comment, Group, Membership, Notification, Post, User
    from core.search import SearchSource

PROJECT = "commonground"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

PHASES = {
    "setup": "Setup",
    "ui": "UI",
    "content": "Content",
    "policy": "Policy",
    "events": "Events",
    "registries": "Registries",
    "support": "Support",
    "privacy": "Privacy",
    "lifecycle": "Lifecycle",
}
"""Phases in the order the reference lists them (a hook's ``contract(phase)``)."""

ON_ERROR = ("drop", "deny", "abort")
REACHES = ("enabled", "installed")


@dataclass(frozen=True)
class HookContract:
    """How the runner treats one hook; declared next to it with ``@contract(...)``.

    ``reaches``: ``"enabled"`` plugins (per group for group-scope plugins), or every
    ``"installed"`` one (setup and privacy: a disabled plugin's data is kept).
    ``on_error``: a failing implementation is ``"drop"``-ped (logged, the others still
    count), counts as ``"deny"`` (the hook fails closed: the answer is no), or ``"abort"``-s
    the whole call (all or nothing: the caller undoes its action).
    ``savepoint``: the hook runs inside the caller's transaction and may write; each
    implementation runs in its own SAVEPOINT, so a failing one is rolled back alone.
    """

    phase: str
    reaches: str = "enabled"
    on_error: str = "drop"
    savepoint: bool = False

    def __post_init__(self) -> None:
        if self.phase not in PHASES or self.on_error not in ON_ERROR or self.reaches not in REACHES:
            raise ValueError(f"bad hook contract {self!r}")

    @property
    def fails_closed(self) -> bool:
        return self.on_error == "deny"


CONTRACT_ATTRIBUTE = f"{PROJECT}_contract"
DEFAULT_CONTRACT = HookContract("events")


def contract(phase: str, *, reaches: str = "enabled", on_error: str = "drop", savepoint: bool = False):
    """Declare a hook's phase and how the runner treats it (see ``HookContract``)."""

    def mark(function):
        setattr(function, CONTRACT_ATTRIBUTE, HookContract(phase, reaches, on_error, savepoint))
        return function

    return mark


def contract_of(function: Any) -> HookContract:
    """A hookspec's declared contract (a spec without one is dropped on failure, reaches enabled plugins)."""
    return getattr(function, CONTRACT_ATTRIBUTE, DEFAULT_CONTRACT)


# --- value types plugins return ---------------------------------------------------------------


@dataclass(frozen=True)
class NavItem:
    """An entry in the main navigation. ``endpoint`` is a Flask endpoint name.

    ``badge``: a count shown beside the label (None or 0 shows nothing); above 99 it shows
    as "99+", so count over a ``LIMIT 100`` subquery rather than every row."""

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
    without it the snapshot is rendered as Markdown by core's sanitizer. ``plugin_id`` is
    filled in by core: the plugin that declared the type (``"core"`` for core's own).
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
    plugin_id: str = field(default="core", compare=False)


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
@contract("setup", reaches="installed")
def register_blueprints(app: Flask) -> list[Blueprint]:
    """Called once while the app is built, for every installed plugin (blocked ones are never imported).

    Arguments: ``app`` – the Flask app being built.
    Return: a list of ``flask.Blueprint`` (pages) and/or ``flask_smorest.Blueprint`` (API, give
    it ``url_prefix="/api/v1/..."``; it appears in the OpenAPI document).

    Blueprints are registered whether or not the plugin is enabled; a gate in front of every
    request answers 404 while it is disabled, so enabling never needs a restart. For a
    group-scope plugin, a route with a ``<slug>`` URL variable also answers 404 in groups that
    have not switched the plugin on. Give the blueprint ``template_folder="templates"`` and put
    templates under ``templates/<plugin id>/``, static files under ``static/`` (served under
    the blueprint's ``static_url_path`` and gated like the pages).

    Example::

        @hookimpl
        def register_blueprints(app):
            from myplugin import api, views
            return [views.bp, api.blp]
    """


@hookspec
@contract("setup", reaches="installed")
def register_commands(cli: click.Group) -> None:
    """Called once while the app is built, for every installed plugin; add ``flask`` CLI commands.

    Arguments: ``cli`` – the app's ``click`` group (``app.cli``), so ``flask <your command>`` works.
    Return: nothing.

    Example::

        @click.command("hello-stats")
        @with_appcontext
        def stats():
            click.echo(count_greetings())

        @hookimpl
        def register_commands(cli):
            cli.add_command(stats)
    """


@hookspec(firstresult=True)
@contract("setup", reaches="installed")
def settings_schema() -> type[Schema] | None:
    """Called on one plugin at a time whenever its settings are shown (admin page, API),
    validated (on save) or read (``get_settings("<id>")``); only your own implementation is asked.

    Arguments: none.
    Return: a marshmallow ``Schema`` class; give every field a ``load_default``.

    The admin form is generated from it: ``String`` → text (``metadata={"multiline": True}`` →
    textarea), ``Email`` → email, ``URL`` → url, ``Integer``/``Float`` → number, ``Boolean`` →
    checkbox, a ``validate.OneOf(choices, labels=...)`` → select. ``metadata={"label": ...,
    "description": ...}`` give the label and help text; ``Length`` and ``Range`` become
    ``maxlength``/``min``/``max``. Input is validated with the schema and errors appear next to
    the fields (form) or as ``422 {"errors": {"json": {field: [...]}}}`` (API).

    Example::

        class HelloSettings(Schema):
            headline = fields.String(load_default="Say hello", validate=validate.Length(max=60),
                                     metadata={"label": _l("Headline")})
            per_page = fields.Integer(load_default=20, validate=validate.Range(min=5, max=100))

        @hookimpl
        def settings_schema():
            return HelloSettings
    """


@hookspec(firstresult=True)
@contract("setup", reaches="installed")
def group_settings_schema() -> type[Schema] | None:
    """Called on one group-scope plugin at a time whenever a group's own settings for it are
    shown (the group's feature page, the API), validated (on save) or read
    (``get_group_settings("<id>", group)``).

    Arguments: none.
    Return: a marshmallow ``Schema`` class; give every field a ``load_default``.

    Each group's admins get a form generated from it (as for ``settings_schema``) on
    ``/g/<slug>/plugins/<id>/settings``, and ``GET``/``PUT /api/v1/groups/<slug>/plugins/<id>/settings``.
    A value out of range is refused with the message next to the field (``422`` naming the
    field in the API); nothing is stored.

    Example::

        class EventsGroupSettings(Schema):
            max_events = fields.Integer(load_default=10, validate=validate.Range(min=1, max=50),
                                        metadata={"label": _l("Events shown")})

        @hookimpl
        def group_settings_schema():
            return EventsGroupSettings
    """


# --- UI ---------------------------------------------------------------------------------------


@hookspec
@contract("ui")
def nav_items(user: User) -> list[NavItem] | tuple[NavItem, ...] | None:
    """Called on every page render, to build the main navigation – unless marked ``@answers_by_role``
    (the answer depends only on the viewer's kind: then core calls it once per kind of viewer and
    remembers the items).

    Arguments: ``user`` – the current user (anonymous visitors too: check ``user.is_authenticated``).
    Return: a list of ``NavItem``, or None. Items are sorted by ``order``, then label. Items with a
    ``badge`` change with it, so they are asked on every page: answer with a tuple, the same object
    for the same counts (``functools.lru_cache``), and core lays the navigation out once for it.

    Example::

        @hookimpl
        def nav_items(user):
            return [NavItem(label=_l("Greetings"), endpoint="hello.wall", order=60)]
    """


@hookspec
@contract("ui")
def group_tabs(group: Group, user: User) -> list[GroupTab] | None:
    """Called when a group's page is rendered (feed, post, members, settings, plugin pages drawn
    with ``render_group_page``), only for plugins enabled for that group, and only if the viewer
    may see the group's content. Marked ``@answers_by_role`` (the answer depends only on the
    viewer's kind and role in the group, and the group's id and slug), it is called once per such
    kind of viewer and group, and core remembers the tabs.

    Arguments: ``group`` – the ``Group``; ``user`` – the current user.
    Return: a list of ``GroupTab``, or None. Core adds them after its own tabs.

    Example::

        @hookimpl
        def group_tabs(group, user):
            return [GroupTab(label=_l("Mentoring"), endpoint="mentorship.home",
                             values={"slug": group.slug})]
    """


@hookspec
@contract("ui")
def login_columns(viewer: Any) -> Mapping[str, ColumnElement] | None:
    """Called when a page request (not the JSON API) loads a logged-in member from their session
    cookie, before their row is read: core runs one statement for the member, their login session and their
    unread count, and a plugin that shows something about the member on every page (a header
    badge) adds its values to it instead of running a statement of its own. Core asks once per
    member and plugin state and runs the same combined statement on every page after (the
    database evaluates it anew each time), so answer from ``viewer.id`` alone, in SQL; your
    settings are part of the plugin state. An answer during which a plugin failed is asked again.

    Arguments: ``viewer`` – the member being logged in, as known before their row is read: only
    ``viewer.id`` (and ``is_authenticated``, true); enough for ``not_hidden`` and ``hidden_key``.
    Return: a mapping of names to SQL scalar expressions (correlated scalar subqueries, ``exists``)
    about ``viewer.id``, or None. Read the values back with ``login_values(plugin_id, user)`` –
    None when they were not read on this request (an API token, the request that logs in, a
    request that wrote to the database since, a failed contribution): then run your own
    statement. Return the *same* mapping object while the SQL is the same (remember it per
    ``viewer.id`` and ``hidden_key(viewer)``): core builds the combined statement once per answer.
    A contribution that fails – the hook raising, a value that is not SQL, the statement failing
    in the database – is left out and log-in goes on without it (a column the database refused stays out
    until the plugin state changes). Cached pages never run it: their front door reads its own
    statement, so a value shown on cached pages must retire them when it changes (``touch_user``
    or ``page_cache_keys``).

    Example::

        _MINE = {}

        @hookimpl
        def login_columns(viewer):
            key = (viewer.id, hidden_key(viewer))
            if key not in _MINE:
                _MINE[key] = {"unread": select(func.count()).where(
                    Letter.to_id == viewer.id, Letter.read.is_(False)).scalar_subquery()}
            return _MINE[key]

        counts = login_values("letters", current_user)   # {"unread": 3} or None
    """


@hookspec
@contract("ui")
def template_slot(name: str, context: dict[str, Any], group: Group | None) -> str | Markup | None:
    """Called when a core template renders ``{{ slot("name", **ctx) }}``.

    Arguments: ``name`` – the slot's name (see the table of slots); ``context`` – a dict of
    what the template passed (``group``, ``post``, ``comment``, ``user``, …); ``group`` – the
    ``Group`` the page is about (the context's, or its post's or comment's), or None.
    Return: HTML as ``Markup`` or a ``str`` from ``render_template``, or None for nothing.

    It is inserted as-is: escape anything a person typed (``Markup("<b>{}</b>").format(value)``
    does). Contributions are joined in plugin order. A slot with a ``group`` in its context
    only asks group-scope plugins switched on there. An unknown slot name raises while testing
    or debugging and renders empty in production.

    A slot inside a list is rendered once per item; where its context carries the whole page
    (``member_actions`` gets ``members``), decide for every item in one query at the first
    call and keep the answer for the rest of the request (``flask.g``, keyed by the page's
    ids), so the page's query count does not grow with its length.

    Slots on posts and comments render once per item, so a page asks every plugin dozens of
    times: declare the slots you fill with ``@fills_slots("footer", ...)`` (plugin API) under
    ``@hookimpl`` and core asks you for those only (an undeclared implementation hears every slot).
    Better still, fill the per-item slots of feeds and comment lists (``post_actions``,
    ``post_footer``, ``comment_actions``) for the whole list in one call: ``template_slot_list``.
    Once-per-page slots (``head``, ``footer``, …) whose answer depends only on the page's
    blueprint (a plugin's stylesheet on its own pages) can be marked ``@answers_by_blueprint(...)``:
    core then asks once per blueprint and language and remembers the answer.

    Example::

        @hookimpl
        @fills_slots("member_actions", "footer")
        def template_slot(name, context):
            if name == "member_actions":
                if "greeters" not in g:  # one query for the whole page
                    g.greeters = greetable_ids([m.user_id for m in context["members"]])
                if context["membership"].user_id in g.greeters:
                    return Markup('<a href="{}">Greet</a>').format(url_for(
                        "hello.greet", user_id=context["membership"].user_id))
                return None
            if name == "footer":
                return render_template("hello/footer_link.html")
            return None
    """


@hookspec
@contract("ui")
def template_slot_list(name: str, items: list[dict[str, Any]], group: Group | None) -> list | None:
    """Called once per list (a feed page, a post's comments) for a per-item slot, instead of
    ``template_slot`` once per item: for the slots in ``LIST_SLOTS`` (``post_actions``,
    ``post_footer``, ``comment_actions``).

    Arguments: ``name`` – the slot's name; ``items`` – one dict per item, in page order, each
    the context ``template_slot`` would get for that item (``post``, ``group``,
    ``hidden_elsewhere``, … as the table of slots says); ``group`` – the ``Group`` they are in.
    Return: a list with one entry per item, in the order of ``items`` – HTML (``Markup`` or a
    ``str`` from ``render_template``, inserted as-is: escape what people typed) or None for
    nothing on that item – or None for nothing on any. An answer of another length is dropped
    (and logged). Each item's contributions are joined in plugin order, as ``template_slot``'s.

    Declare the slots with ``@fills_slots(...)`` under ``@hookimpl`` (required: a plugin that
    does not declare them fails to load). For a declared slot core asks this hook only, never
    your ``template_slot`` – also where a template renders the slot for a single item, which
    then comes as a list of one. Plugins that fill these slots with ``template_slot`` keep
    working: core asks them item by item. Work out what the whole list needs once (the viewer,
    a link with a placeholder id, one query for every item) and fill in each item's ids.

    Example::

        @hookimpl
        @fills_slots("post_actions")
        def template_slot_list(name, items, group):
            viewer = current_user if current_user.is_authenticated else None
            if viewer is None:
                return None
            link = Markup('<a href="{}">Thank</a>')
            return [None if item["post"].author_id == viewer.id else
                    link.format(url_for("thanks.new", post_id=item["post"].id)) for item in items]
    """


# --- content ----------------------------------------------------------------------------------


@hookspec
@contract("content")
def content_types(group: Group | None) -> list[ContentType]:
    """Called when a feature needs to act on any kind of content without knowing it – the
    reporting plugin finds, shows, snapshots and removes reported items this way (through
    ``content_types(group=None)`` of the plugin API).

    Arguments: ``group`` – the ``Group`` the caller is working in, or None for all content; a
    call for one group only asks group-scope plugins switched on there.
    Return: a list of ``ContentType``. Core describes ``post``, ``comment`` and ``profile``;
    describe every kind of content your plugin stores that people could report. For a
    group-scope plugin core itself keeps each item out where the plugin is off in the item's
    group (``group_id``): ``load`` finds nothing and ``visible_to`` says no, so an item of a
    switched-off feature cannot be reported, shown or moderated there.

    Example::

        @hookimpl
        def content_types():
            return [ContentType(
                name="greeting", label=_l("Greeting"),
                load=lambda id: db.session.get(Greeting, id),
                visible_to=lambda greeting, user: True,
                author_id=lambda greeting: greeting.author_id,
                group_id=lambda greeting: None,
                snapshot=lambda greeting: greeting.message,
                url=lambda greeting: url_for("hello.wall") + f"#greeting-{greeting.id}",
                delete=lambda greeting: db.session.delete(greeting),
            )]
    """


# --- policy -----------------------------------------------------------------------------------


@hookspec
@contract("policy", on_error="deny")
def can_interact(actor: User, target: User, group: Group | None) -> bool | None:
    """Called before ``actor`` comments on ``target``'s post, invites them to a group, notifies
    them (every notification) or pairs with them – through ``can_interact``.

    Arguments: ``actor``, ``target`` – ``User`` objects (never the same person); ``group`` – the
    ``Group`` it happens in (the post's, the invitation's, the notification's), or None. A
    group-scope plugin is only asked about groups that switched it on.
    Return: ``False`` to forbid; ``True`` or None to allow. Any ``False`` wins.

    Example::

        @hookimpl
        def can_interact(actor, target):
            return not is_blocked_either_way(actor.id, target.id)
    """


@hookspec
@contract("policy", on_error="deny")
def can_join_group(user: User, group: Group) -> bool | None:
    """Called before ``user`` joins ``group``, asks to join it, or is invited to it – through
    ``join_allowed``.

    Arguments: ``user`` – the person joining (or being invited); ``group`` – the ``Group``.
    Return: ``False`` to forbid (e.g. a moderator's ban from the group); ``True`` or None to
    allow. Any ``False`` wins. A group-scope plugin is only asked about groups that switched it on.

    Example::

        @hookimpl
        def can_join_group(user, group):
            return not is_banned(user.id, group.id)
    """


@hookspec
@contract("policy", on_error="deny")
def interaction_barriers(user_ids: frozenset[int], group: Group | None) -> Iterable[tuple[int, int]] | None:
    """Called when many people are checked against each other at once – through
    ``interaction_barriers`` (e.g. every mentor of a mentorship pool against every mentee) –
    instead of ``can_interact`` once per pair.

    Arguments: ``user_ids`` – the ids of the people concerned; ``group`` – the ``Group`` it
    happens in, or None. A group-scope plugin is only asked about groups that switched it on.
    Return: ``(a, b)`` id pairs, both from ``user_ids``, where ``a`` may not interact with ``b``
    – exactly the pairs your ``can_interact`` would answer ``False`` for (actor ``a``, target
    ``b``), all at once and in one query; None or nothing for none. A plugin that implements
    ``can_interact`` but not this hook is asked pair by pair instead, and so is one whose
    implementation fails (its per-pair answers fail closed as usual): the bulk answer is never
    laxer than ``can_interact``, only cheaper.

    Example::

        @hookimpl
        def interaction_barriers(user_ids):
            rows = db.session.execute(select(Block.blocker_id, Block.blocked_id).where(
                Block.blocker_id.in_(user_ids), Block.blocked_id.in_(user_ids)))
            return [pair for a, b in rows for pair in ((a, b), (b, a))]  # a block works both ways
    """


@hookspec
@contract("policy")
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
    Answer with SQL the database evaluates, not ids read in Python: about a member known by id
    only (``viewer`` has just ``id``, while their login loads – another plugin's
    ``login_columns`` may build your filter in) core keeps the statements built around your
    answer across requests, per member and plugin state.
    Example::

        @hookimpl
        def hidden_user_ids(viewer):
            return select(Block.blocked_id).where(Block.blocker_id == viewer.id)
    """


@hookspec
@contract("policy")
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
@contract("policy")
def content_placeholders(viewer: User, content_type: str, ids: list[int],
                         group: Group | None) -> dict[int, Markup] | None:
    """Called once per list of content (a feed page, a post's comments) before it is rendered.

    Arguments: ``viewer`` – the current user (may be anonymous); ``content_type`` – ``"post"``
    or ``"comment"``; ``ids`` – the ids about to be shown; ``group`` – the ``Group`` they are
    in, or None.
    Return: ``{id: Markup}`` for items whose body this viewer must see replaced by the given
    placeholder (e.g. hidden by a moderator), or None. Use one query at most; core shows the
    original for ids not in the dict.

    Example::

        @hookimpl
        def content_placeholders(viewer, content_type, ids):
            hidden = hidden_ids(content_type, ids)
            return {i: Markup("<em>{}</em>").format(_("Hidden by a moderator")) for i in hidden}
    """


@hookspec
@contract("policy")
def list_columns(viewer: User, content_type: str, id_column: ColumnElement,
                 group: Group | None) -> ColumnElement | None:
    """Called while core builds a statement that loads a list of ``content_type`` items: a
    group's feed and its pinned posts, a post (on its page), a post's comments.

    Arguments: ``viewer`` – the current user (may be anonymous); ``content_type`` – ``"post"``
    or ``"comment"``; ``id_column`` – the column holding each listed item's id (``Post.id``,
    ``Comment.id``), to correlate with; ``group`` – the ``Group`` of the list, or None when the
    statement finds it (a post's page).
    Return: one scalar column correlated to ``id_column`` (a ``scalar_subquery()``), or None.
    Core adds it to the list's own statement, so it costs no extra SQL statement, and keeps
    each listed item's value for the request: read them with ``list_values(your plugin id,
    content_type)`` (``{item id: value}``) in ``content_placeholders`` or a list slot, once per
    list. The statement is built once and reused while your column is the same object: build
    it once per answer (``functools.lru_cache``; bind the viewer's id as a value, not as a
    parameter). Items listed elsewhere (the API, a profile) are not in ``list_values``: answer
    those with your own query. If the database refuses your column, core logs it, reads the
    list without it and stops asking for that column object in this process.

    Example::

        @hookimpl
        def list_columns(content_type, id_column):
            return hidden_column(content_type, id_column)  # lru_cache'd

        @lru_cache
        def hidden_column(content_type, id_column):
            return (select(Hidden.id).where(Hidden.content_type == content_type,
                                            Hidden.content_id == id_column).scalar_subquery())
    """


# --- events -----------------------------------------------------------------------------------


@hookspec
@contract("events", savepoint=True)
def user_registered(user: User) -> None:
    """Called after a sign-up, inside its transaction (the new row is flushed: ``user.id`` exists).

    Arguments: ``user`` – the new ``User``.
    Return: nothing. What you add to ``db.session`` is committed with the sign-up; never commit.

    Example::

        @hookimpl
        def user_registered(user):
            db.session.add(WelcomeState(user_id=user.id))
    """


@hookspec
@contract("events", savepoint=True)
def group_created(group: Group, user: User) -> None:
    """Called after a group is created, inside the same transaction. (A group-scope plugin is
    not on in a brand-new group, so only site plugins hear this.)

    Arguments: ``group`` – the new ``Group``; ``user`` – its creator and first owner.
    Return: nothing.

    Example::

        @hookimpl
        def group_created(group, user):
            log.info("group %s created by %s", group.slug, user.username)
    """


@hookspec
@contract("events", savepoint=True)
def member_joined(membership: Membership, group: Group) -> None:
    """Called after someone becomes a member: open join, approved request or accepted
    invitation, inside the same transaction.

    Arguments: ``membership`` – the new ``Membership`` (``.group``, ``.user``, ``.role``);
    ``group`` – its ``Group``.
    Return: nothing.

    Example::

        @hookimpl
        def member_joined(membership):
            send_welcome(membership.user, membership.group)
    """


@hookspec
@contract("events", savepoint=True)
def member_left(group: Group, user: User) -> None:
    """Called after a member leaves or is removed from a group, inside the same transaction.

    Arguments: ``group``, ``user``.
    Return: nothing.

    Example::

        @hookimpl
        def member_left(group, user):
            end_pairings(group, user)
    """


@hookspec
@contract("events", savepoint=True)
def post_created(post: Post, group: Group) -> None:
    """Called after a post is created, inside the same transaction.

    Arguments: ``post`` – the new ``Post`` (``.group``, ``.author``, ``.body_source``, ``.body_html``);
    ``group`` – its ``Group``.
    Return: nothing.

    Example::

        @hookimpl
        def post_created(post):
            index_for_search(post)
    """


@hookspec
@contract("events", savepoint=True)
def comment_created(comment: Comment, group: Group) -> None:
    """Called after a comment is created, inside the same transaction.

    Arguments: ``comment`` – the new ``Comment`` (``.post``, ``.author``); ``group`` – the
    ``Group`` of its post.
    Return: nothing.

    Example::

        @hookimpl
        def comment_created(comment):
            index_for_search(comment)
    """


@hookspec
@contract("events", savepoint=True)
def user_blocked(blocker: User, blocked: User) -> None:
    """Called when one person blocks another, inside the same transaction – announced by the
    plugin that keeps blocks (reporting) through ``announce_user_blocked``, once per new block
    (blocking again announces nothing). The block row is already flushed, so ``can_interact``
    between the two already says no.

    Arguments: ``blocker`` – the ``User`` who blocked; ``blocked`` – the ``User`` blocked.
    Return: nothing. End or close what the two share (a private space, a pending invitation)
    in ``db.session``; it is committed with the block, never commit yourself. Your
    implementation runs in its own SAVEPOINT: if it fails, only its writes are undone and the
    block still lands. Never tell ``blocked`` who blocked them, nor that anyone did.

    Example::

        @hookimpl
        def user_blocked(blocker, blocked):
            for chat in shared_chats(blocker.id, blocked.id):
                chat.closed_at = utcnow()
    """


# --- registries -------------------------------------------------------------------------------


@hookspec
@contract("registries", reaches="installed")
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
@contract("registries", reaches="installed")
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
@contract("registries", reaches="installed")
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
@contract("registries", reaches="installed")
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


@hookspec
@contract("registries", reaches="installed", on_error="abort")
def stored_files() -> list[Any]:
    """Called by the daily clean-up of orphaned files (job ``core.storage.sweep_orphans``), on every
    installed plugin, enabled or not (a disabled plugin's rows still point at their files).

    Arguments: none.
    Return: the columns of your tables that hold keys of files you stored with ``store_image`` or
    ``store_upload`` (``StoredFile.key``), e.g. ``[Partner.logo_key]``. Stored files that no such
    column (core's or a plugin's) names, and that are older than ``STORAGE_ORPHAN_GRACE_SECONDS``,
    are deleted, together with their renditions. A file you keep without a column must be named
    here some other way, or it will be removed.

    If your implementation fails, nothing is deleted in that run (a file cannot be shown to be
    unreferenced without you); the failure is logged with your plugin id.
    Example::

        @hookimpl
        def stored_files():
            return [Photo.file_key]
    """


# --- support ----------------------------------------------------------------------------------


@hookspec
@contract("support")
def support_resources(locale: str, context: dict[str, Any]) -> list[SupportResource]:
    """Called wherever help is shown: core's support page (``/support``, the footer's "Get help"
    unless a plugin's ``support_page`` takes its place) and wherever a feature raises a concern
    (e.g. a self-harm report).

    Arguments: ``locale`` – the page's language, e.g. ``"de"``; ``context`` – a dict with at
    least ``country`` (ISO 3166-1 alpha-2: from ``?country=``, the member's profile, or the
    site's ``DEFAULT_COUNTRY``) and ``reason`` (e.g. ``"general"``, ``"self_harm"``).
    Return: a list of ``SupportResource``.

    Core always adds the country's emergency number (so the page is never empty); the page
    shows emergency numbers first, then helplines, then articles, and drops duplicates (same
    phone number or URL).

    Example::

        @hookimpl
        def support_resources(locale, context):
            if context["country"] != "DE":
                return []
            return [SupportResource(name="TelefonSeelsorge", kind="helpline", country="DE",
                                    phone="+498001110111", phone_display="0800 111 0 111",
                                    hours=_("24/7"), free=True, anonymous=True)]
    """


@hookspec(firstresult=True)
@contract("support")
def support_page(context: dict[str, Any]) -> str | None:
    """Called wherever the site links to its help page (the "Get help" link in every footer) and
    when someone opens core's ``/support``.

    Arguments: ``context`` – a dict with ``country`` (ISO 3166-1 alpha-2 when the person chose
    one, e.g. ``/support?country=AT``, else None) and ``reason`` (e.g. ``"general"``,
    ``"self_harm"``).
    Return: the URL of a help page that takes the place of core's, or None.

    The site has one place for help, with one name: when a plugin answers, the footer's "Get
    help" links to its page and ``/support`` redirects there (keeping the country); otherwise
    ``/support`` is core's page of ``support_resources``, which always shows the emergency
    number. The first answer wins. The built-in help center answers with ``/help``.

    Example::

        @hookimpl
        def support_page(context):
            return url_for("helpcenter.index", country=context["country"])
    """


# --- privacy ----------------------------------------------------------------------------------


@hookspec
@contract("privacy", reaches="installed")
def export_user_data(user: User) -> dict[str, Any] | None:
    """Called when a member downloads their data (``/settings/data/export``,
    ``GET /api/v1/me/export``), on every installed plugin, enabled or not (a disabled plugin's
    data is kept, so it is the member's to see).

    Arguments: ``user``.
    Return: a JSON-serialisable dict, placed under ``plugins.<your id>`` in the download, or
    None if you keep nothing about them.

    If your implementation fails, the export says so: its ``incomplete`` list names your
    plugin and the page tells the member which part is missing.

    Example::

        @hookimpl
        def export_user_data(user):
            return {"greetings": [g.message for g in greetings_by(user)]}
    """


@hookspec
@contract("privacy", reaches="installed", on_error="abort")
def erase_user_data(user: User) -> None:
    """Called inside the account-deletion transaction, before the user's row is deleted, on
    every installed plugin, enabled or not (a disabled plugin still holds data).

    Arguments: ``user``.
    Return: nothing. Delete or anonymise everything you keep about them; never commit.

    Erasure is all or nothing: if your implementation fails, nothing at all is deleted, the
    member is told to try again later, and the site admins are alerted.

    Example::

        @hookimpl
        def erase_user_data(user):
            db.session.execute(delete(Greeting).where(Greeting.author_id == user.id))
    """


# --- lifecycle --------------------------------------------------------------------------------


@hookspec
@contract("lifecycle", savepoint=True)
def plugin_enabled(plugin_id: str, group: Group | None) -> None:
    """Called on your plugin only, right after it was enabled – site-wide (``group`` is None) or
    for one group – inside the same transaction.

    Arguments: ``plugin_id`` – your id; ``group`` – the ``Group``, or None for site-wide.
    Return: nothing.

    Example::

        @hookimpl
        def plugin_enabled(plugin_id, group):
            if group is not None:
                ensure_default_programme(group)
    """


@hookspec
@contract("lifecycle", savepoint=True)
def plugin_disabled(plugin_id: str, group: Group | None) -> None:
    """Called on your plugin only, right before it is disabled (site-wide or for one group),
    inside the same transaction.

    Arguments: as ``plugin_enabled``.
    Return: nothing. Keep your data: it comes back when you are enabled again.

    Example::

        @hookimpl
        def plugin_disabled(plugin_id, group):
            cancel_scheduled_reminders(group)
    """


@hookspec
@contract("lifecycle", savepoint=True)
def seed_demo(app: Flask) -> None:
    """Called once by ``flask seed`` (``make run`` on a fresh database), after core's demo data
    (an admin, a member, the group ``neighbours``) exists, inside the same transaction.

    Arguments: ``app``.
    Return: nothing.

    Example::

        @hookimpl
        def seed_demo(app):
            db.session.add(Helpline(name="TelefonSeelsorge", country="DE", phone="+498001110111"))
    """


SLOTS: dict[str, tuple[str, str]] = {
    "head": ("inside `<head>` of every page (stylesheets; one only your own pages need goes in their "
             "`{% block head %}` instead)", "–"),
    "header": ("below the site header", "–"),
    "page_top": ("top of every page's main area", "–"),
    "footer": ("footer link list (contribute `<li>` items)", "–"),
    "sidebar": ("home page, members' and visitors' (beside the member's groups)", "–"),
    "home": ("a logged-in member's home page, above their feed: what waits for them in a plugin "
             "(e.g. a mentorship step due); contribute a `<section class=\"card\">`", "`user` (the member)"),
    "post_actions": ("under each post, beside edit/delete", "`post`, `group`"),
    "post_footer": ("end of each post", "`post`, `group`, `hidden_elsewhere`"),
    "comment_actions": ("under each comment", "`comment`, `post`, `group`, `hidden_elsewhere`"),
    "member_details": ("beside each member on a group's member list", "`membership`, `group`, `hidden_elsewhere`"),
    "member_actions": ("in each member's actions on a group's member list (a link or small form per member)",
                       "`membership`, `group`, `members` (every membership on the page, the same list for each "
                       "member: answer for all of them at the first call, see `template_slot`)"),
    "content_actions": ("beside an item of a plugin's own content, so other plugins (e.g. reporting) can add "
                        "actions to it", "what the plugin's template passes"),
    "profile_actions": ("on a member's profile, beside its actions", "`user` (the profile's owner)"),
    "profile_details": ("on a member's profile, under their details", "`user` (the profile's owner)"),
    "group_sidebar": ("beside a group's feed", "`group`"),
    "group_settings": ("on a group's settings page (group admins)", "`group`"),
    "support": ("on core's support page (`/support`, when no plugin's `support_page` takes its place)",
                "`country`, `reason`"),
    "user_settings": ("on a member's settings pages", "`user` (the member)"),
    "admin_dashboard": ("on the admin dashboard (`/admin/`)", "–"),
}
"""Named template slots the core layouts expose: name → (where it is, what its context holds).
Rendering an unknown name raises while testing."""

LIST_SLOTS: frozenset[str] = frozenset({"post_actions", "post_footer", "comment_actions"})
"""Per-item slots core renders for a whole list at once: plugins may fill them with
``template_slot_list`` (one call per list) instead of ``template_slot`` (one call per item)."""


RENAMED_HOOKS: dict[str, str] = {}
"""Deprecation path for renamed hooks: ``{"old_name": "new_name"}``.

Core keeps each old name as a hookspec with pluggy's ``warn_on_impl`` (a
``DeprecationWarning`` pointing at the plugin's function when it is registered) and calls
implementations of the old name together with the new hook, with the new hook's
arguments, until the old name is removed a release later.
"""
