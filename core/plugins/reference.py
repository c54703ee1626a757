"""The two references for plugin authors, generated from docstrings (one source, never stale).

``docs/hooks.md`` comes from ``core.plugins.specs`` (each hook's docstring and contract) and
``docs/plugin-api.md`` from ``core.plugin_api`` (each public name's docstring, models' columns,
the test kit's fixtures). ``flask plugins docs`` writes both; a test fails when a committed
file differs from what this module generates.
"""
from __future__ import annotations

import ast
import dataclasses
import inspect
import re
import textwrap
from pathlib import Path
from typing import Any

from core.plugins import specs

DOCS_DIR = Path(__file__).resolve().parents[2] / "docs"
HOOKS_FILE = "hooks.md"
PLUGIN_API_FILE = "plugin-api.md"

_SECRET = re.compile(r"password|token|session")  # columns a plugin has no business reading
_REACHES = {
    "enabled": "enabled plugins (a group-scope plugin only where its group switched it on)",
    "installed": "every installed plugin, enabled or not",
}
_ON_ERROR = {
    "drop": "logged and dropped; the other plugins' answers still count",
    "deny": "counts as “no” – this hook **fails closed**",
    "abort": "undoes the whole action – **all or nothing**",
}


# --- docstrings to Markdown -------------------------------------------------------------------


def _inline(text: str) -> str:
    """reStructuredText inline literals (````x````) and roles (``:class:`X```) become Markdown code spans."""
    return re.sub(r"``(.+?)``", r"`\1`", re.sub(r":\w+:`([^`]+)`", r"``\1``", text))


def _paragraphs(doc: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", doc.strip()) if p.strip()]


def docstring_markdown(doc: str, *, hook: bool = False) -> str:
    """A docstring as Markdown: ``Example::`` blocks fenced as Python, ``Arguments:``/``Return:``
    lines in bold; for a hook, the first paragraph is its **When**."""
    doc = inspect.cleandoc(doc or "")
    out: list[str] = []
    parts = _paragraphs(doc)
    i = 0
    while i < len(parts):
        part = parts[i].rstrip()
        lead = ""
        if part.endswith("::"):  # a code block follows; its lead-in may share the paragraph
            *text, lead = part.splitlines()
            part = "\n".join(text)
            lead = lead.strip()[:-2].rstrip()
        if part:
            out.append(_paragraph(part, when=hook and i == 0))
        if lead or parts[i].rstrip().endswith("::"):
            if lead and lead not in ("Example", "Example:"):
                out.append(_inline(lead) + ":")
            code = []
            i += 1
            while i < len(parts) and parts[i].startswith("    "):
                code.append(parts[i])
                i += 1
            out.append("```python\n" + textwrap.dedent("\n\n".join(code)).rstrip() + "\n```")
            continue
        i += 1
    return _inline("\n\n".join(out))


def _paragraph(part: str, *, when: bool) -> str:
    if re.match(r"^(Arguments|Return):", part):
        return _labelled_lines(part)
    text = " ".join(line.strip() for line in part.splitlines())
    if when:
        return f"**When:** {text[0].lower() + text[1:] if text.startswith('Called') else text}"
    return text


def _labelled_lines(part: str) -> str:
    """``Arguments: …`` / ``Return: …`` lines (each may continue on the next lines) as bold labels."""
    items: list[str] = []
    for line in part.splitlines():
        match = re.match(r"^\s*(Arguments|Return):\s*(.*)$", line)
        if match:
            label = "Returns" if match.group(1) == "Return" else "Arguments"
            items.append(f"**{label}:** {match.group(2)}")
        elif items:
            items[-1] += " " + line.strip()
    return "\n\n".join(items)


def _parameter(p: inspect.Parameter) -> str:
    prefix = {p.VAR_POSITIONAL: "*", p.VAR_KEYWORD: "**"}.get(p.kind, "")
    text = prefix + p.name + ("" if p.annotation is p.empty else f": {p.annotation}")
    return text if p.default is p.empty else f"{text} = {p.default!r}"


def _parameters(sig: inspect.Signature) -> str:
    """Parameters as written, with the bare ``*`` before keyword-only ones."""
    out: list[str] = []
    star = any(p.kind is p.VAR_POSITIONAL for p in sig.parameters.values())
    for p in sig.parameters.values():
        if p.kind is p.KEYWORD_ONLY and not star:
            out.append("*")
            star = True
        out.append(_parameter(p))
    return ", ".join(out)


def _signature(name: str, function: Any) -> str:
    sig = inspect.signature(function)
    params = _parameters(sig)
    returns = "" if sig.return_annotation is inspect.Signature.empty else f" -> {sig.return_annotation}"
    return f"def {name}({params}){returns}"


# --- docs/hooks.md ----------------------------------------------------------------------------

_HOOKS_INTRO = """\
# Hook reference

<!-- Generated from core/plugins/specs.py by `flask plugins docs`. Do not edit: change the
     docstrings and run the command again (a test fails while this file is stale). -->

Every hook a Common Ground plugin may implement, generated from
[`core/plugins/specs.py`](../core/plugins/specs.py): signature, when core calls it, its
arguments, what to return, an example, and how the hook runner treats it. For a
step-by-step introduction read the [plugin guide](plugin-guide.md); for what else a plugin
may use from core, the [plugin-API reference](plugin-api.md).

## How hooks are called

```python
from core.plugin_api import hookimpl

@hookimpl
def nav_items(user):
    ...
```

- **Keyword arguments, any subset.** Core passes arguments by name; your implementation
  may accept only the ones it needs (`def template_slot(name): ...`). Asking for an
  argument the hook does not have, or misspelling a hook's name, stops the app at start-up
  with a message naming your plugin, the hook and the argument, so a typo never goes
  unnoticed. Hook wrappers (`wrapper=True`) are not supported.
- **Who is called.** Most hooks reach only enabled plugins. A plugin whose `META.scope` is
  `"group"` is only called for groups that switched it on: core takes the group from a
  `group`, `membership`, `post` or `comment` argument (or from the `group` a template
  passes to a slot). Hooks without a group (navigation, policy) reach every group plugin
  that is enabled site-wide. Setup and privacy hooks reach every installed plugin, enabled
  or not. Each hook below says which.
- **Faults are isolated.** An exception in your implementation is logged as
  `plugin <id> failed in hook <name>` with the traceback. What happens next is written in
  the hook's contract and shown below: your contribution is dropped (most hooks), it
  counts as “no” (policy hooks fail closed), or the whole action is undone (erasure is all
  or nothing). In your own tests set `PLUGINS_RAISE_ERRORS = True` (an `app_config`
  override) to see the exception instead.
- **Your writes are yours alone.** Hooks that run inside the member's transaction (events,
  lifecycle) run each implementation in its own SAVEPOINT: if yours fails – even with
  broken SQL – only your changes are rolled back, and the member's post, sign-up or
  membership is still saved. Never commit in a hook.
- **Order.** Implementations run in the order plugins were loaded: installed plugins by
  id (alphabetically, the same on every host), or an explicit plugin list in its order.
  `@hookimpl(tryfirst=True)` runs before the others, `trylast=True` after them; core's own
  defaults are registered as plugin `core` with `trylast=True`, so plugins come first.
- **First result wins** for hooks marked so: the first implementation that returns
  something other than None answers, and the rest are not called.
- **Calling hooks** is core's job: core calls every hook through one runner
  (`core.plugins.runner`). A call with an argument the hook does not have raises at once
  (it is a bug in the caller, not in your plugin). Plugins use what the
  [plugin API](plugin-api.md) offers instead (`content_types()`, `support_resources()`).
"""


def _value_types() -> str:
    rows = []
    for cls in (specs.NavItem, specs.GroupTab, specs.ContentType, specs.SupportResource):
        fields = ", ".join(f"`{f.name}`" for f in dataclasses.fields(cls))
        summary = _inline(_paragraphs(inspect.getdoc(cls) or "")[0].replace("\n", " "))
        rows.append(f"| `{cls.__name__}` | {summary} | {fields} |")
    return "\n".join([
        "## Value types", "",
        "Importable from `core.plugin_api`; return these rather than HTML where a hook asks for them.", "",
        "| Type | What it is | Fields |", "|---|---|---|", *rows,
    ])


def hook_names() -> list[str]:
    """Every hookspec, in the order the specs module declares them."""
    marker = f"{specs.PROJECT}_spec"
    return [name for name, obj in vars(specs).items() if callable(obj) and hasattr(obj, marker)]


def _facts(name: str, function: Any) -> str:
    contract = specs.contract_of(function)
    opts = getattr(function, f"{specs.PROJECT}_spec", {}) or {}
    facts = [f"**Reaches:** {_REACHES[contract.reaches]}.", f"**If an implementation fails:** "
             f"{_ON_ERROR[contract.on_error]}."]
    if contract.savepoint:
        facts.append("**Transaction:** inside the caller's; each implementation in its own SAVEPOINT.")
    if opts.get("firstresult"):
        facts.append("**First result wins.**")
    return "\n".join(f"- {fact}" for fact in facts)


def _slots_table() -> str:
    rows = [f"| `{name}` | {where} | {context} |" for name, (where, context) in specs.SLOTS.items()]
    return "\n".join(["The slots core's templates render:", "", "| Slot | Where | Context |", "|---|---|---|", *rows])


def hooks_markdown() -> str:
    """The whole of ``docs/hooks.md``."""
    sections = [_HOOKS_INTRO.rstrip(), _value_types()]
    by_phase: dict[str, list[str]] = {phase: [] for phase in specs.PHASES}
    for name in hook_names():
        by_phase.setdefault(specs.contract_of(getattr(specs, name)).phase, []).append(name)
    for phase, names in by_phase.items():
        if not names:
            continue
        sections.append(f"## {specs.PHASES.get(phase, phase.title())}")
        for name in names:
            function = getattr(specs, name)
            args = ", ".join(inspect.signature(function).parameters)
            part = [f"### `{name}({args})`", f"```python\n{_signature(name, function)}\n```", _facts(name, function),
                    docstring_markdown(inspect.getdoc(function) or "", hook=True)]
            if name == "template_slot":
                part.append(_slots_table())
            sections.append("\n\n".join(part))
    renamed = ", ".join(f"`{old}` → `{new}`" for old, new in specs.RENAMED_HOOKS.items()) or "none yet"
    sections.append("## Renamed hooks\n\n" + docstring_markdown(_attribute_docs(specs)["RENAMED_HOOKS"])
                    + f"\n\nRenamed so far: {renamed}.")
    return "\n\n".join(sections).rstrip() + "\n"


# --- docs/plugin-api.md -----------------------------------------------------------------------

_API_INTRO = """\
# Plugin-API reference

<!-- Generated from core/plugin_api.py by `flask plugins docs`. Do not edit: change the
     docstrings and run the command again (a test fails while this file is stale). -->
"""


def _attribute_docs(module: Any) -> dict[str, str]:
    """Docstrings written under module-level assignments (``NAME = ...`` then a string)."""
    tree = ast.parse(inspect.getsource(module))
    docs: dict[str, str] = {}
    body = tree.body
    for node, following in zip(body, body[1:], strict=False):
        targets = []
        if isinstance(node, ast.Assign):
            targets = [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            targets = [node.target.id]
        if (targets and isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant)
                and isinstance(following.value.value, str)):
            for target in targets:
                docs[target] = following.value.value
    return docs


def api_doc(name: str) -> str:
    """What the reference says about one public name (its own docstring, or the one under it)."""
    from core import plugin_api

    written = _attribute_docs(plugin_api).get(name)
    if written:
        return written
    obj = getattr(plugin_api, name)
    if inspect.isclass(obj):
        return inspect.cleandoc(vars(obj).get("__doc__") or "")  # its own, not a base class's
    if inspect.isroutine(obj):
        return inspect.getdoc(obj) or ""
    return ""


def _describe_name(name: str, obj: Any) -> str:
    from sqlalchemy import inspect as sa_inspect

    if inspect.isclass(obj) and hasattr(obj, "__table__"):
        columns = [c for c in sa_inspect(obj).columns if not _SECRET.search(c.key)]
        # A computed column (``column_property``, e.g. ``Membership.read_until``) has no ``nullable``.
        rows = [f"| `{c.key}` | `{c.type}` | {'' if getattr(c, 'nullable', True) else 'yes'} |" for c in columns]
        head = f"Model `{obj.__name__}`, table `{obj.__tablename__}`: read it; core's actions write it."
        return "\n".join([head, "", "| Column | Type | Required |", "|---|---|---|", *rows])
    if dataclasses.is_dataclass(obj) and inspect.isclass(obj):
        params = _parameters(inspect.signature(obj))
        return f"```python\n{obj.__name__}({params})\n```"
    if inspect.isroutine(obj):
        try:
            return f"```python\n{_signature(name, obj)}\n```"
        except (TypeError, ValueError):
            return ""
    return ""


def plugin_api_markdown() -> str:
    """The whole of ``docs/plugin-api.md``."""
    from core import plugin_api

    sections = [_API_INTRO.rstrip(), docstring_markdown(inspect.getdoc(plugin_api) or "")]
    toc = []
    for title, names in plugin_api.SECTIONS.items():
        toc.append(f"- **{title}:** " + ", ".join(f"[`{n}`](#{n.lower()})" for n in names))
    sections.append("\n".join(toc))
    for title, names in plugin_api.SECTIONS.items():
        sections.append(f"## {title}")
        for name in names:
            obj = getattr(plugin_api, name)
            part = [f"### {name}", _describe_name(name, obj), docstring_markdown(api_doc(name))]
            sections.append("\n\n".join(p for p in part if p))
    sections.append(_fixtures_section())
    return "\n\n".join(sections).rstrip() + "\n"


def _fixtures_section() -> str:
    """The test kit: every fixture ``core.testing`` gives a plugin's tests (no import needed)."""
    from core import testing

    rows = []
    for name, obj in vars(testing).items():
        if getattr(obj, "_fixture_function_marker", None) is None:
            continue
        doc = _paragraphs(inspect.getdoc(obj) or "")
        summary = doc[0].replace("\n", " ").removesuffix("::").rstrip(":") if doc else ""
        rows.append(f"| `{name}` | {_inline(summary)} |")
    intro = docstring_markdown(_paragraphs(inspect.getdoc(testing) or "")[0])
    return "\n".join([
        "## Test kit",
        "",
        "The fixtures of `core.testing` reach a plugin's tests by themselves (it is a `pytest11` plugin, "
        "installed with Common Ground): ask for them by name, import nothing. " + intro,
        "",
        "| Fixture | What it gives you |", "|---|---|", *rows,
    ])


# --- writing ----------------------------------------------------------------------------------


def generated() -> dict[str, str]:
    """File name -> content, for both references."""
    return {HOOKS_FILE: hooks_markdown(), PLUGIN_API_FILE: plugin_api_markdown()}


def stale(docs_dir: Path = DOCS_DIR) -> list[str]:
    """The reference files whose committed content differs from what the docstrings say."""
    return [name for name, text in generated().items()
            if not (docs_dir / name).exists() or (docs_dir / name).read_text() != text]


def write(docs_dir: Path = DOCS_DIR) -> list[str]:
    """Write both references; returns the names of the files that changed."""
    changed = stale(docs_dir)
    for name, text in generated().items():
        if name in changed:
            (docs_dir / name).write_text(text)
    return changed
