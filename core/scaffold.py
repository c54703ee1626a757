"""``flask plugins new ID [--scope group]``: a new plugin as its own distribution, ready to run.

The files come from ``core/scaffold_template``: ``common/`` for every plugin, then ``site/`` or
``group/`` for the scope (``string.Template`` placeholders such as ``${plugin_id}``; ``PACKAGE``,
``PLUGIN_ID`` and ``REVISION`` in a path become the package name, the id and the first
migration's revision; ``.tmpl`` is dropped). The result mirrors the examples in ``examples/``:
a model with the first revision of its own migration branch, a page with a validated form,
permissions through ``core.plugin_api``, a setting, a German catalog compiled when the
distribution is built or installed, and tests that pass as generated. ``next_steps`` are the
commands that take it from here to a page in the browser; the CLI prints them, the README
repeats them, and a test runs them.
"""
from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from string import Template

TEMPLATE_DIR = Path(__file__).parent / "scaffold_template"
SCOPES = ("site", "group")
PLUGIN_ID_RE = re.compile(r"^[a-z][a-z0-9_]{1,30}[a-z0-9]$")
RESERVED_IDS = frozenset({"core", "plugins", "admin", "api", "auth", "static", "groups", "notifications", "web"})
DEMO_GROUP = "neighbours"
"""The group ``flask seed`` (``make run``) creates: the next steps of a group plugin switch it on there."""


class ScaffoldError(ValueError):
    """The plugin cannot be created (bad id or scope, id taken, target exists)."""


@dataclass(frozen=True)
class PluginNames:
    """Every name derived from a plugin id, as the templates use them."""

    plugin_id: str
    package: str
    distribution: str
    title: str
    model: str
    table: str
    revision: str
    scope: str

    @classmethod
    def from_id(cls, plugin_id: str, scope: str = "site", revision: str | None = None) -> PluginNames:
        words = plugin_id.split("_")
        return cls(
            plugin_id=plugin_id,
            package=f"commonground_{plugin_id}",
            distribution=f"commonground-{plugin_id.replace('_', '-')}",
            title=" ".join(w.capitalize() for w in words),
            model="".join(w.capitalize() for w in words) + "Entry",
            table=f"{plugin_id}_entries",
            # Alembic's own style (12 hex digits): fits its 32-character version column for any id.
            revision=revision or uuid.uuid4().hex[:12],
            scope=scope,
        )


def check_plugin_id(plugin_id: str, installed: Iterable[str] = (), taken_paths: Iterable[str] = ()) -> None:
    """Ids become table prefixes, URL paths and package names: keep them short, plain and free."""
    if not PLUGIN_ID_RE.match(plugin_id) or "__" in plugin_id:
        raise ScaffoldError(
            f"{plugin_id!r} is not a valid plugin id: use 3-32 lowercase letters, digits and single "
            "underscores, starting with a letter."
        )
    if plugin_id in RESERVED_IDS:
        raise ScaffoldError(f"{plugin_id!r} is reserved by the core; choose another id.")
    if plugin_id in set(installed):
        raise ScaffoldError(f"A plugin with the id {plugin_id!r} is already installed.")
    if plugin_id in set(taken_paths):
        raise ScaffoldError(f"{plugin_id!r} is already a path of the site; choose another id.")


def page_path(names: PluginNames, group_slug: str = DEMO_GROUP) -> str:
    """Where the generated plugin's page is: ``/<id>/``, or ``/g/<slug>/<id>`` inside a group."""
    if names.scope == "group":
        return f"/g/{group_slug}/{names.plugin_id}"
    return f"/{names.plugin_id}/"


def next_steps(names: PluginNames, root: Path) -> list[str]:
    """The commands from a fresh distribution to its page, run in the Common Ground checkout.

    ``flask db upgrade`` creates the plugin's tables from its migration branch; leaving it out is
    what used to end in a "no such table" error.
    """
    steps = [
        f"pip install -e {root}",
        "flask db upgrade",
        f"flask plugins enable {names.plugin_id}",
    ]
    if names.scope == "group":
        # ``flask seed`` adds the demo group (only to a database without people, as ``make run`` does).
        steps[2:2] = ["flask seed"]
        steps.append(f"flask plugins enable {names.plugin_id} --group {DEMO_GROUP}")
    steps += [f"(cd {root} && pytest)", "flask run"]
    return steps


def next_steps_text(names: PluginNames, root: Path) -> str:
    """``next_steps`` as the CLI prints them, with where to look afterwards."""
    lines = ["Next steps, in your Common Ground checkout (virtualenv active, FLASK_APP=wsgi:app):"]
    lines += [f"  {step}" for step in next_steps(names, root)]
    where = f"http://127.0.0.1:5000{page_path(names)}"
    if names.scope == "group":
        lines.append(f"then open {where} (the demo group of `flask seed`; group admins switch the feature "
                     f"on for their own group under Settings > Features).")
    else:
        lines.append(f"then open {where}")
    return "\n".join(lines)


def create_plugin(plugin_id: str, parent: Path, installed: Iterable[str] = (), *, scope: str = "site",
                  taken_paths: Iterable[str] = ()) -> Path:
    """Write the distribution into ``parent/<distribution name>``; returns that directory."""
    if scope not in SCOPES:
        raise ScaffoldError(f"scope must be one of {', '.join(SCOPES)}, not {scope!r}.")
    check_plugin_id(plugin_id, installed, taken_paths)
    names = PluginNames.from_id(plugin_id, scope)
    root = Path(parent).absolute() / names.distribution
    if root.exists() and any(root.iterdir()):
        raise ScaffoldError(f"{root} already exists and is not empty.")
    shown_root = Path("path/to") / names.distribution
    values = {**asdict(names), "next_steps": "\n".join(next_steps(names, shown_root)), "page_path": page_path(names)}
    for layer in ("common", scope):
        base = TEMPLATE_DIR / layer
        for source in sorted(p for p in base.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            relative = source.relative_to(base).as_posix()
            for marker, value in (("PACKAGE", names.package), ("PLUGIN_ID", names.plugin_id),
                                  ("REVISION", names.revision)):
                relative = relative.replace(marker, value)
            target = root / relative.removesuffix(".tmpl")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(Template(source.read_text(encoding="utf-8")).substitute(values), encoding="utf-8")
    return root
