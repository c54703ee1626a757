"""The hook runner: the one place core calls plugin hooks.

Hooks are not called through pluggy's all-or-nothing ``pm.hook.<name>(...)``: core walks
the implementations itself, so that

- a disabled plugin is skipped (per site, and per group for group-scope plugins), except
  for hooks whose contract reaches every installed plugin (setup, privacy);
- each implementation is isolated: a failure is logged with the plugin id and, as the
  hook's ``@contract`` in ``core.plugins.specs`` says, dropped, counted as "no" (fails
  closed) or turned into ``HookAborted`` for the caller to undo its action;
- an implementation of a hook that writes inside the caller's transaction runs in its own
  SAVEPOINT, so a failing plugin is rolled back alone and the member's write still lands;
- ``firstresult`` hooks stop at the first answer;
- a core call with an argument the hook does not have (or without one it needs) raises
  ``HookCallError`` at once: that is core's bug, never passed off as a plugin's fault.

Implementations run in the order the plugins were loaded (installed plugins sorted by id;
an explicit list in its order), ``tryfirst`` ones before and ``trylast`` ones after the
rest; core's own defaults are ``trylast`` and so come after every plugin.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask import current_app, has_app_context
from markupsafe import Markup

from core.extensions import db
from core.plugins import specs

if TYPE_CHECKING:
    from core.plugins.registry import Plugins

log = logging.getLogger("commonground.plugins")

CORE_PLUGIN_ID = "core"
SLOTS_ATTRIBUTE = "commonground_slots"
BY_ROLE_ATTRIBUTE = "commonground_by_role"
#: The hooks whose implementations may be marked ``answers_by_role``.
BY_ROLE_HOOKS = frozenset({"nav_items", "group_tabs"})
BY_BLUEPRINT_ATTRIBUTE = "commonground_by_blueprint"
#: The slots a ``template_slot`` implementation may mark ``answers_by_blueprint``: those without a
#: context, rendered once per page.
BY_BLUEPRINT_SLOTS = frozenset({"head", "header", "page_top", "footer", "sidebar"})
_EMPTY = Markup("")
#: ``_new_str(Markup, text)`` is ``Markup(text)`` for a ``str``, without markupsafe's ``__new__`` in Python
#: (core makes one for each item of a page's list slots).
_new_str = str.__new__

# Where a hook's arguments lead to the group an event happened in (group-scope filtering).
_OBJECT_GROUP_PATHS = (("membership", ("group",)), ("post", ("group",)), ("comment", ("post", "group")))

#: Answers whose text is the string itself (an f-string gives it unchanged; anything else goes through ``Markup``).
_TEXT = frozenset({str, Markup})
#: The first part of the remembered selections' keys for list slots (``_list_reached``): not a hook name.
_LIST_SLOT = "<list slot>"
#: Bound of the remembered selections (``_chosen``): hooks × groups × slots, then cleared.
CHOSEN_SIZE = 4096

_CONSEQUENCE = {
    "drop": "its contribution is dropped",
    "deny": "counted as no (the hook fails closed)",
    "abort": "the whole action is undone",
}


class HookCallError(TypeError):
    """Core called a hook that does not exist, or with arguments its spec does not have."""


class HookAborted(RuntimeError):
    """An all-or-nothing hook failed in one plugin; the caller must undo its action."""

    def __init__(self, hook: str, plugin_id: str, error: BaseException) -> None:
        super().__init__(f"plugin {plugin_id} failed in hook {hook}: {type(error).__name__}: {error}")
        self.hook = hook
        self.plugin_id = plugin_id
        self.error = error


@dataclass(frozen=True)
class Impl:
    """One implementation as the runner calls it."""

    function: Any
    plugin_id: str
    argnames: tuple[str, ...]
    # ``template_slot`` only: the slots the plugin declared it fills (``fills_slots``); None = all.
    slots: frozenset[str] | None = None
    # Where it runs: (0 tryfirst, 1 plain, 2 trylast; the plugin's place in loading order).
    position: tuple[int, int] = (1, 0)
    # ``nav_items``/``group_tabs`` only: the answer depends on the viewer's role alone (``answers_by_role``).
    by_role: bool = False
    # ``template_slot`` only: the page slots whose answer depends on the page's blueprint alone
    # (``answers_by_blueprint``).
    by_blueprint: frozenset[str] = frozenset()
    # It takes every argument of the hook's spec: a call checked by ``_prepare`` passes its arguments as they are.
    takes_all: bool = False


@dataclass(frozen=True)
class Hook:
    """A hook's spec facts the runner needs on every call (cached per name)."""

    name: str
    argnames: frozenset[str]
    contract: specs.HookContract
    firstresult: bool
    impls: tuple[Impl, ...]
    # The entries of ``_OBJECT_GROUP_PATHS`` whose argument the hook takes (where ``group_of`` looks).
    group_paths: tuple[tuple[str, tuple[str, ...]], ...] = _OBJECT_GROUP_PATHS


@dataclass
class Outcome:
    """What one plugin's implementation gave: a result, or the error it raised."""

    plugin_id: str
    result: Any = None
    error: BaseException | None = None


class HookRunner:
    """Calls one app's hook implementations; lives at ``Plugins.runner``."""

    def __init__(self, plugins: Plugins) -> None:
        self.plugins = plugins
        self._hooks: dict[str, Hook] = {}
        self._checked: dict[str, set[tuple[str, ...]]] = {}
        self._list_plans: dict[str, tuple[tuple[Impl, bool], ...]] = {}
        self._page_plans: dict[str, tuple[Impl, ...]] = {}
        self._chosen_state: Any = None
        self._chosen_memo: dict[tuple[str, Any, str | None], tuple[Any, ...]] = {}
        self.failures = 0
        """Implementations that raised so far (an answer remembered across pages must not miss one)."""

    def forget(self) -> None:
        """Drop what was cached about hooks (a plugin was registered)."""
        self._hooks.clear()
        self._chosen_memo.clear()
        self._checked.clear()
        self._list_plans.clear()
        self._page_plans.clear()

    # --- what to call -----------------------------------------------------------------------

    def hook(self, name: str) -> Hook:
        """The spec facts and implementations (in call order) of hook ``name``."""
        found = self._hooks.get(name)
        if found is None:
            found = self._hooks[name] = self._describe(name)
        return found

    def _describe(self, name: str) -> Hook:
        pm = self.plugins.pm
        caller = getattr(pm.hook, name, None)
        if caller is None or caller.spec is None:
            raise HookCallError(f"core called {name!r}, which is not a hook (see core/plugins/specs.py)")
        order = self.plugins.load_order()
        found = list(caller.get_hookimpls())
        for old in self.plugins.aliases.get(name, ()):
            found.extend(getattr(pm.hook, old).get_hookimpls())

        def position(impl: Any) -> tuple[int, int]:
            rank = 0 if impl.tryfirst else 2 if impl.trylast else 1
            return rank, order.get(impl.plugin_name, len(order))

        by_role = name in BY_ROLE_HOOKS
        slots = name == "template_slot"
        spec = caller.spec
        argnames = frozenset(spec.argnames)
        impls = tuple(Impl(i.function, i.plugin_name, tuple(i.argnames), getattr(i.function, SLOTS_ATTRIBUTE, None),
                           position(i), by_role and bool(getattr(i.function, BY_ROLE_ATTRIBUTE, False)),
                           getattr(i.function, BY_BLUEPRINT_ATTRIBUTE, frozenset()) if slots else frozenset(),
                           frozenset(i.argnames) == argnames)
                      for i in sorted(found, key=position))
        return Hook(name=name, argnames=argnames, contract=specs.contract_of(spec.function),
                    firstresult=bool(spec.opts.get("firstresult")), impls=impls,
                    group_paths=tuple(entry for entry in _OBJECT_GROUP_PATHS if entry[0] in argnames))

    def _prepare(self, name: str, kwargs: dict[str, Any], group: Any) -> tuple[Any, Any]:
        """The hook called ``name``, its arguments checked, and the group it is called for (given,
        or taken from a ``membership``, ``post`` or ``comment`` argument), put into ``kwargs``
        when the hook takes one."""
        hook = self.hook(name)
        self._check_arguments(hook, kwargs)
        if group is None and hook.group_paths:
            group = group_of(kwargs, hook.group_paths)
        if "group" in hook.argnames:
            kwargs["group"] = group
        return hook, group

    def _check_arguments(self, hook: Hook, kwargs: dict[str, Any]) -> None:
        if tuple(kwargs) in self._checked.get(hook.name, ()):
            return  # the same call site again: already checked (this runs on every slot of every page)
        self._check_argument_names(hook, kwargs)
        self._checked.setdefault(hook.name, set()).add(tuple(kwargs))

    def _check_argument_names(self, hook: Hook, kwargs: dict[str, Any]) -> None:
        unknown = set(kwargs) - hook.argnames - {"group"}
        missing = hook.argnames - set(kwargs) - {"group"}
        if unknown or missing:
            problem = "; ".join(filter(None, [
                f"unknown argument(s) {', '.join(sorted(unknown))}" if unknown else "",
                f"missing argument(s) {', '.join(sorted(missing))}" if missing else "",
            ]))
            raise HookCallError(f"core called hook {hook.name} with {problem}; "
                                f"it takes ({', '.join(sorted(hook.argnames)) or 'no arguments'})")

    def _selected(self, hook: Hook, group: Any, only: str | None, slot: str | None = None) -> Iterator[Impl]:
        """The implementations to call: enabled ones (for ``group``), or every installed one;
        for a ``slot``, only those that fill it (or did not say which they fill)."""
        plugins = self.plugins
        if plugins.state.version is None:
            plugins._ensure_state()
        every_installed = hook.contract.reaches == "installed"
        site_enabled = plugins.state.site_enabled
        for impl in hook.impls:
            pid = impl.plugin_id
            if only is not None and pid != only:
                continue
            if slot is not None and impl.slots is not None and slot not in impl.slots:
                continue
            if pid == CORE_PLUGIN_ID or every_installed:
                yield impl
            elif pid in site_enabled and (group is None or plugins.is_enabled(pid, group)):
                yield impl

    def _chosen(self, hook: Hook, group: Any, slot: str | None = None, only: str | None = None
                ) -> Sequence[Impl]:
        """``_selected`` as a tuple, remembered per plugin state (its object: a change is a new one),
        hook, group and slot: a page asks the same hooks for the same group many times, and each ask
        walked every implementation and each plugin's switches. A call for ``only`` one plugin is
        selected afresh."""
        if only is not None:
            return list(self._selected(hook, group, only, slot))
        return self._per_state(hook.name, group, slot, self._selected, hook, group, None, slot)

    def _per_state(self, head: str, group: Any, slot: str | None, select: Callable[..., Iterable[Any]],
                   *args: Any) -> tuple[Any, ...]:
        """``tuple(select(*args))``, remembered per plugin state (emptied when the state object
        changes), ``head``, group and ``slot``: how ``_chosen`` and ``_list_reached`` remember whom
        they call. Bounded (``CHOSEN_SIZE``, then cleared)."""
        where = None if group is None else getattr(group, "id", group)
        if where is None and group is not None:  # a group not saved yet: its plugins are off
            return tuple(select(*args))
        state = self.plugins.state
        if state.version is None:  # asked dozens of times a page: the method only when not loaded yet
            state = self.plugins.current_state()
        if self._chosen_state is not state:
            self._chosen_state, self._chosen_memo = state, {}
        memo = self._chosen_memo
        key = (head, where, slot)
        found = memo.get(key)
        if found is None:
            if len(memo) >= CHOSEN_SIZE:
                memo.clear()
            found = memo[key] = tuple(select(*args))
        return found

    def _reaches(self, impl: Impl, group: Any) -> bool:
        """Whether a ``ui`` hook implementation should hear a call now (enabled, for ``group``)."""
        pid = impl.plugin_id
        if pid == CORE_PLUGIN_ID:
            return True
        plugins = self.plugins
        return pid in plugins.state.site_enabled and (group is None or plugins.is_enabled(pid, group))

    def implementers(self, name: str, /, *, group: Any = None) -> list[str]:
        """Ids of the plugins a call of ``name`` would reach now (for ``group``), in call order."""
        return [impl.plugin_id for impl in self._selected(self.hook(name), group, None)]

    # --- calling ----------------------------------------------------------------------------

    def outcomes(self, name: str, /, *, group: Any = None, only: str | None = None, **kwargs: Any) -> list[Outcome]:
        """Call every implementation that should hear this call; each plugin's result or error.

        ``group`` limits group-scope plugins to those switched on for it and is passed to
        hooks that take a ``group`` argument; without it, core takes the group from a
        ``membership``, ``post`` or ``comment`` argument. ``only`` calls one plugin.
        Raises ``HookAborted`` when an all-or-nothing hook fails.
        """
        hook, group = self._prepare(name, kwargs, group)
        results = []
        slot = kwargs["name"] if name == "template_slot" else None
        for impl in self._chosen(hook, group, slot, only):
            outcome = self._call_one(hook, impl, kwargs)
            results.append(outcome)
            if hook.firstresult and outcome.result is not None:
                break
        return results

    def _call_one(self, hook: Hook, impl: Impl, kwargs: dict[str, Any]) -> Outcome:
        arguments = {k: kwargs[k] for k in impl.argnames if k in kwargs}
        try:
            if hook.contract.savepoint:
                with db.session.begin_nested():
                    result = impl.function(**arguments)
            else:
                result = impl.function(**arguments)
        except Exception as exc:
            self._failed(hook, impl, exc)
            return Outcome(impl.plugin_id, error=exc)
        return Outcome(impl.plugin_id, result=result)

    def _failed(self, hook: Hook, impl: Impl, exc: Exception) -> None:
        """Log a failed implementation; re-raise it while testing (``PLUGINS_RAISE_ERRORS``), or as
        ``HookAborted`` for an all-or-nothing hook. Otherwise the caller drops or denies it."""
        self.failures += 1
        log.exception("plugin %s failed in hook %s; %s", impl.plugin_id, hook.name,
                      _CONSEQUENCE[hook.contract.on_error])
        if has_app_context() and current_app.config.get("PLUGINS_RAISE_ERRORS"):
            raise exc
        if hook.contract.on_error == "abort":
            raise HookAborted(hook.name, impl.plugin_id, exc) from exc

    def call(self, name: str, /, *, group: Any = None, only: str | None = None, **kwargs: Any) -> list[Any]:
        """The non-None results in call order (for a ``firstresult`` hook at most one);
        failed implementations are left out, as the hook's contract says.

        The same calls as ``outcomes`` without an ``Outcome`` per plugin: core asks a page's
        navigation, tabs and slots through here on every request."""
        hook, group = self._prepare(name, kwargs, group)
        slot = kwargs["name"] if name == "template_slot" else None
        return [result for _impl, result in self._answered(hook, group, slot, only, kwargs)]

    def _answered(self, hook: Hook, group: Any, slot: str | None, only: str | None,
                  kwargs: dict[str, Any]) -> list[tuple[Impl, Any]]:
        """Each chosen implementation that answered (not None, not failed) with its answer, in call
        order (for a ``firstresult`` hook at most one): what ``call`` and ``answers`` hand on."""
        savepoint = hook.contract.savepoint
        found = []
        for impl in self._chosen(hook, group, slot, only):
            arguments = kwargs if impl.takes_all else {k: kwargs[k] for k in impl.argnames if k in kwargs}
            try:
                if savepoint:
                    with db.session.begin_nested():
                        result = impl.function(**arguments)
                else:
                    result = impl.function(**arguments)
            except Exception as exc:
                self._failed(hook, impl, exc)
                continue
            if result is not None:
                found.append((impl, result))
                if hook.firstresult:
                    break
        return found

    def call_each(self, name: str, /, *, by_role: bool, group: Any = None, **kwargs: Any
                  ) -> list[tuple[tuple[int, int], Any]]:
        """``(position, result)`` of each non-None result, in call order, from the implementations
        marked ``answers_by_role`` (``by_role=True``) or from the others: core's navigation and
        group tabs remember the first kind's answers per kind of viewer (``core.ui.by_role``).
        ``position`` is the implementation's place in the call order, to merge both kinds as
        one call would have ordered them."""
        if name not in BY_ROLE_HOOKS:
            raise HookCallError(f"call_each is for {', '.join(sorted(BY_ROLE_HOOKS))}, not {name!r}")
        hook, group = self._prepare(name, kwargs, group)
        results = []
        for impl in self._chosen(hook, group):
            if impl.by_role is not by_role:
                continue
            arguments = kwargs if impl.takes_all else {k: kwargs[k] for k in impl.argnames if k in kwargs}
            try:
                result = impl.function(**arguments)
            except Exception as exc:
                self._failed(hook, impl, exc)
                continue
            if result is not None:
                results.append((impl.position, result))
        return results

    def reaches(self, name: str, group: Any = None) -> bool:
        """Whether a call of ``name`` now (for ``group``) would reach any implementation: core skips
        building what it would ask for when none is enabled."""
        return bool(self._reached(self.hook(name), group))

    def reaches_by_role(self, name: str, group: Any = None) -> bool:
        """Whether a call of ``name`` now (for ``group``) reaches an implementation marked
        ``answers_by_role``: without one, core skips keying and remembering (no plugin on, or none marked)."""
        return any(impl.by_role for impl in self._reached(self.hook(name), group))

    def _reached(self, hook: Hook, group: Any) -> Sequence[Impl]:
        """The implementations enabled now (for ``group``), as ``_reaches`` decides: the remembered
        selection (``_chosen``), but for a hook that reaches every installed plugin, whose calls
        do not ask whether a plugin is on."""
        if hook.contract.reaches != "installed":
            return self._chosen(hook, group)
        plugins = self.plugins
        if plugins.state.version is None:
            plugins._ensure_state()
        return [impl for impl in hook.impls if self._reaches(impl, group)]

    def call_first(self, name: str, /, *, group: Any = None, only: str | None = None, **kwargs: Any) -> Any:
        """The first non-None result, or None."""
        results = self.call(name, group=group, only=only, **kwargs)
        return results[0] if results else None

    def call_flat(self, name: str, /, **kwargs: Any) -> list[Any]:
        """Like ``call`` for hooks returning lists; flattens them into one list."""
        out: list[Any] = []
        for result in self.call(name, **kwargs):
            out.extend(result)
        return out

    def call_policy(self, name: str, /, *, group: Any = None, only: str | None = None, **kwargs: Any) -> bool:
        """All must agree: any ``False`` means no, and so does a failure (the hook fails closed).

        Only for hooks whose contract says ``on_error="deny"``. Group-scope plugins take part
        where the ``group`` (or ``post``...) argument has them on. Stops at the first no: the
        comment form under every post asks it.
        """
        if not self.hook(name).contract.fails_closed:
            raise HookCallError(f"{name} is not a policy hook that fails closed; call it with call()")
        hook, group = self._prepare(name, kwargs, group)
        for impl in self._chosen(hook, group, None, only):
            outcome = self._call_one(hook, impl, kwargs)
            if outcome.error is not None or outcome.result is False:
                return False
        return True

    def answers(self, name: str, /, *, group: Any = None, **kwargs: Any) -> list[tuple[str, Any]]:
        """``(plugin id, result)`` of each implementation that answered (not None, not failed), in
        call order: ``call`` for callers that must know whose answer is whose (columns folded into
        core's statements on every page) without an ``Outcome`` per plugin."""
        hook, group = self._prepare(name, kwargs, group)
        return [(impl.plugin_id, result) for impl, result in self._answered(hook, group, None, None, kwargs)]

    def render_slot(self, name: str, /, **context: Any) -> Markup:
        """Join what plugins contribute to a named template slot (the Jinja ``slot`` global).

        An unknown slot name raises while testing or debugging (a typo in a template) and is
        logged and rendered empty in production.
        """
        if name not in specs.SLOTS:
            if current_app.testing or current_app.debug:
                raise KeyError(f"unknown template slot {name!r}")
            log.warning("template asked for unknown slot %r", name)
            return Markup("")
        if name in specs.LIST_SLOTS:  # plugins may fill it in its list form only
            return self.render_slot_list(name, [context], group=group_of(context))[0]
        if name in BY_BLUEPRINT_SLOTS and not context and self._page_plan(name):
            parts = self._page_slot(name)
        else:
            parts = self.call("template_slot", group=group_of(context), name=name, context=context)
        if not parts:
            return _EMPTY
        # Each part as Markup would make it (kept as it is when it is a str or Markup already), joined once.
        if len(parts) == 1:
            part = parts[0]
            if part.__class__ is Markup:
                return part
            return _new_str(Markup, part) if part.__class__ is str else Markup(part)
        return _new_str(Markup, "\n".join(p if p.__class__ is Markup or p.__class__ is str else Markup(p)
                                           for p in parts))

    def _page_plan(self, name: str) -> tuple[Impl, ...]:
        """The ``template_slot`` implementations that mark page slot ``name`` ``answers_by_blueprint``,
        when one of them is on now (else empty: the slot is asked as any other)."""
        marked = self._page_plans.get(name)
        if marked is None:
            marked = self._page_plans[name] = tuple(
                impl for impl in self.hook("template_slot").impls
                if name in impl.by_blueprint and (impl.slots is None or name in impl.slots))
        if not marked:
            return marked
        if self.plugins.state.version is None:
            self.plugins._ensure_state()
        return marked if any(self._reaches(impl, None) for impl in marked) else ()

    def _page_slot(self, name: str) -> list[Any]:
        """Page slot ``name``'s parts in call order: the marked implementations' answers remembered per
        blueprint (``core.ui.by_role``, keyed as it keys), the others asked now."""
        from flask.globals import _cv_request

        from core.ui import by_role

        context = _cv_request.get(None)
        hook = self.hook("template_slot")
        kwargs = {"name": name, "context": {}}

        def answers(marked: bool) -> list[tuple[tuple[int, int], Any]]:
            found = []
            for impl in self._chosen(hook, None, name):
                if (name in impl.by_blueprint) is marked:
                    outcome = self._call_one(hook, impl, kwargs)
                    if outcome.error is None and outcome.result is not None:
                        found.append((impl.position, outcome.result))
            return found

        blueprint = None if context is None else context.request.blueprint
        remembered = by_role(("template_slot", name, blueprint), lambda: tuple(answers(True)))
        live = answers(False)
        if not live:
            return [answer for _, answer in remembered]
        live.extend(remembered)
        live.sort(key=_position)
        return [answer for _, answer in live]

    def render_slot_list(self, name: str, items: list[dict[str, Any]], /, *, group: Any = None) -> list[Markup]:
        """A per-item slot (``specs.LIST_SLOTS``) for every item of a list at once: one ``Markup`` per item.

        ``items`` holds each item's slot context (what ``render_slot`` would get for it), all in
        ``group``. A plugin that fills the slot with ``template_slot_list`` is called once for the
        whole list; one that fills it with ``template_slot`` only is asked item by item, as before.
        Each item's contributions are joined in plugin order, as ``render_slot`` joins them, as
        text: an item gets one ``Markup`` (none more when its only answer is one already).
        """
        if name not in specs.LIST_SLOTS:
            raise HookCallError(f"{name!r} is not a list slot; list slots are {', '.join(sorted(specs.LIST_SLOTS))}")
        if not items:
            return []
        merged: list[Any] | None = None  # each item's contributions so far, joined
        for impl, listed in self._list_reached(name, group):
            if listed:
                answers = self._call_list(impl, name, items, group)
            else:
                hook = self.hook("template_slot")
                answers = []
                for context in items:
                    outcome = self._call_one(hook, impl, {"name": name, "context": context, "group": group})
                    answers.append(outcome.result if outcome.error is None else None)
            if not answers:
                continue
            if merged is None:  # the first plugin with an answer: taken as it is, made Markup at the end
                merged = list(answers)
                continue
            for index, answer in enumerate(answers):  # later ones joined with a newline, in plugin order
                if answer is not None:
                    before = merged[index]
                    if before is None:
                        merged[index] = answer
                    elif before.__class__ in _TEXT and answer.__class__ in _TEXT:  # their text as it is (an f-string)
                        merged[index] = _new_str(Markup, f"{before}\n{answer}")
                    else:
                        merged[index] = _new_str(Markup, f"{_text(before)}\n{_text(answer)}")
        if merged is None:
            return [_EMPTY] * len(items)
        # Each item as render_slot makes it: Markup of the text; a plugin's Markup is kept (one object fewer per item).
        return [_EMPTY if found is None else found if found.__class__ is Markup
                else _new_str(Markup, found) if found.__class__ is str else Markup(found) for found in merged]

    def _list_plan(self, name: str) -> tuple[tuple[Impl, bool], ...]:
        """Who fills list slot ``name``, in call order: (implementation, whether in its list form).

        A plugin whose ``template_slot_list`` declares the slot is asked in that form only."""
        found = self._list_plans.get(name)
        if found is None:
            listed = [impl for impl in self.hook("template_slot_list").impls
                      if impl.slots is not None and name in impl.slots]
            by_list = {impl.plugin_id for impl in listed}
            single = [impl for impl in self.hook("template_slot").impls
                      if impl.plugin_id not in by_list and (impl.slots is None or name in impl.slots)]
            plan = [(impl, True) for impl in listed] + [(impl, False) for impl in single]
            found = self._list_plans[name] = tuple(sorted(plan, key=lambda entry: entry[0].position))
        return found

    def _list_reached(self, name: str, group: Any) -> tuple[tuple[Impl, bool], ...]:
        """``_list_plan``'s implementations that hear a call now (enabled, for ``group``), remembered
        as ``_chosen`` remembers its selections: a page fills several list slots, each for a list
        of posts or comments of one group."""
        return self._per_state(_LIST_SLOT, group, name, self._list_reaching, name, group)

    def _list_reaching(self, name: str, group: Any) -> Iterator[tuple[Impl, bool]]:
        return (entry for entry in self._list_plan(name) if self._reaches(entry[0], group))

    def _call_list(self, impl: Impl, name: str, items: list[dict[str, Any]], group: Any) -> list[Any]:
        """One plugin's ``template_slot_list`` answer: one entry per item (None where it adds nothing).

        Called directly rather than through ``_call_one``: the hook writes nothing (no savepoint) and
        a page calls it for every list slot of every list."""
        given = {"name": name, "items": items, "group": group}
        try:
            result = impl.function(**{key: given[key] for key in impl.argnames})
        except Exception as exc:
            self._failed(self.hook("template_slot_list"), impl, exc)
            return []
        if result is None:
            return []
        if result.__class__ is list and len(result) == len(items):
            return result
        if isinstance(result, (str, bytes)) or not isinstance(result, (list, tuple)) or len(result) != len(items):
            log.error("plugin %s answered template_slot_list(%r) with %s for %d items; its contribution is dropped",
                      impl.plugin_id, name, type(result).__name__, len(items))
            if current_app.config.get("PLUGINS_RAISE_ERRORS"):
                raise TypeError(f"plugin {impl.plugin_id} answered template_slot_list({name!r}) with "
                                f"{type(result).__name__}, not a list of {len(items)} entries")
            return []
        return result


def fills_slots(*names: str):
    """Declare the template slots a ``template_slot`` implementation fills: core then asks it for
    those only. Under ``@hookimpl``::

        @hookimpl
        @fills_slots("post_actions", "footer")
        def template_slot(name, context): ...

    An unknown slot name raises at once (a typo would otherwise silently never render).
    """
    unknown = [name for name in names if name not in specs.SLOTS]
    if unknown or not names:
        raise ValueError(f"fills_slots: unknown template slot(s) {', '.join(map(repr, unknown)) or '(none named)'}; "
                         f"slots are {', '.join(sorted(specs.SLOTS))}")

    return _marker(SLOTS_ATTRIBUTE, names)


def answers_by_role(function: Any) -> Any:
    """Declare that a ``nav_items`` or ``group_tabs`` implementation's answer depends on nothing but
    the viewer's kind – signed in or not, suspended, a site admin, email confirmed, their role in
    the group – and, for ``group_tabs``, the group's id and slug (plus the plugins enabled and the
    language, which core keys anyway). Under ``@hookimpl``::

        @hookimpl
        @answers_by_role
        def group_tabs(group, user):
            if can_moderate(user, group):
                return [GroupTab(label=_l("Queue"), endpoint="myplugin.queue", values={"slug": group.slug})]
            return None

    Core then calls it once per such kind of viewer (and group, plugin state, language, host and
    mount point) and shows the remembered tabs and items, labels translated and links built, on
    every page after: a page no longer pays for the call, the permission check in it and the
    link. Leave it off when the answer reads anything else – a count for a badge, a setting, the
    time, the request – or the viewer's own data. An answer during which a plugin failed is not
    remembered. Ignored on other hooks.
    """
    setattr(function, BY_ROLE_ATTRIBUTE, True)
    return function


def answers_by_blueprint(*names: str):
    """Declare that a ``template_slot`` implementation's answer for the page slots ``names`` (``head``,
    ``header``, ``page_top``, ``footer``, ``sidebar``: no context, once per page) depends on nothing
    but the page's blueprint (``request.blueprint``) – plus the language, the host and mount point
    and the plugins enabled, which core keys anyway. Under ``@hookimpl``::

        @hookimpl
        @fills_slots("head")
        @answers_by_blueprint("head")
        def template_slot(name, context):
            if name == "head" and request.blueprint == "myplugin":
                return render_template("myplugin/slots/head.html")  # its stylesheet, on its own pages
            return None

    Core then asks it once per blueprint (and language, host, mount point, plugin state) and shows
    the remembered answer on every page after: a page no longer pays for the call. Leave it off
    for a slot whose answer reads anything else – the viewer, the time, a count, the URL's
    arguments. An answer during which a plugin failed is not remembered. Raises at once for
    another slot.
    """
    wrong = [name for name in names if name not in BY_BLUEPRINT_SLOTS]
    if wrong or not names:
        raise ValueError(f"answers_by_blueprint: {', '.join(map(repr, wrong)) or '(no slot named)'} not a page slot; "
                         f"page slots are {', '.join(sorted(BY_BLUEPRINT_SLOTS))}")

    return _marker(BY_BLUEPRINT_ATTRIBUTE, names)


def _marker(attribute: str, names: tuple[str, ...]) -> Any:
    """The decorator ``fills_slots`` and ``answers_by_blueprint`` return: it notes the slot names on the function."""

    def mark(function: Any) -> Any:
        setattr(function, attribute, frozenset(names))
        return function

    return mark


def _text(answer: Any) -> str:
    """A slot answer's HTML as text, as ``Markup(answer)`` would hold it."""
    return answer if answer.__class__ is Markup or answer.__class__ is str else Markup(answer)


def _position(entry: tuple[tuple[int, int], Any]) -> tuple[int, int]:
    return entry[0]


def group_of(kwargs: dict[str, Any], paths: tuple[tuple[str, tuple[str, ...]], ...] = _OBJECT_GROUP_PATHS) -> Any:
    """The group a hook call concerns: its ``group`` argument, or that of its post/comment/membership
    (``paths``: where to look; a hook's own are those of the arguments it takes)."""
    group = kwargs.get("group")
    if group is not None:
        return group
    for key, path in paths:
        obj = kwargs.get(key)
        if obj is None:
            continue
        for attr in path:
            obj = getattr(obj, attr, None)
        if obj is not None:
            return obj
    return None
