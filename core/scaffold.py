"""``flask plugins new ID``: a new plugin as its own distribution, ready to install and test.

The files come from ``core/scaffold_template`` (``string.Template`` placeholders such as
``${plugin_id}``; ``PACKAGE`` in a path becomes the package name; ``.tmpl`` is dropped). The
result mirrors ``examples/hello_plugin``: a model, a page, a navigation item, a template slot,
a settings schema and tests that pass as generated.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from string import Template

TEMPLATE_DIR = Path(__file__).parent / "scaffold_template"
PLUGIN_ID_RE = re.compile(r"^[a-z][a-z0-9_]{1,30}[a-z0-9]$")
RESERVED_IDS = frozenset({"core", "plugins", "admin", "api", "auth", "static", "groups", "notifications", "web"})


class ScaffoldError(ValueError):
    """The plugin cannot be created (bad id, id taken, target exists)."""


@dataclass(frozen=True)
class PluginNames:
    """Every name derived from a plugin id, as the templates use them."""

    plugin_id: str
    package: str
    distribution: str
    title: str
    model: str
    table: str

    @classmethod
    def from_id(cls, plugin_id: str) -> PluginNames:
        words = plugin_id.split("_")
        return cls(
            plugin_id=plugin_id,
            package=f"commonground_{plugin_id}",
            distribution=f"commonground-{plugin_id.replace('_', '-')}",
            title=" ".join(w.capitalize() for w in words),
            model="".join(w.capitalize() for w in words) + "Entry",
            table=f"{plugin_id}_entries",
        )


def check_plugin_id(plugin_id: str, installed: Iterable[str] = ()) -> None:
    """Ids become table prefixes, URL prefixes and package names: keep them short and plain."""
    if not PLUGIN_ID_RE.match(plugin_id) or "__" in plugin_id:
        raise ScaffoldError(
            f"{plugin_id!r} is not a valid plugin id: use 3-32 lowercase letters, digits and single "
            "underscores, starting with a letter."
        )
    if plugin_id in RESERVED_IDS:
        raise ScaffoldError(f"{plugin_id!r} is reserved by the core; choose another id.")
    if plugin_id in set(installed):
        raise ScaffoldError(f"A plugin with the id {plugin_id!r} is already installed.")


def create_plugin(plugin_id: str, parent: Path, installed: Iterable[str] = ()) -> Path:
    """Write the distribution into ``parent/<distribution name>``; returns that directory."""
    check_plugin_id(plugin_id, installed)
    names = PluginNames.from_id(plugin_id)
    root = Path(parent) / names.distribution
    if root.exists() and any(root.iterdir()):
        raise ScaffoldError(f"{root} already exists and is not empty.")
    values = asdict(names)
    files = sorted(p for p in TEMPLATE_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for source in files:
        relative = source.relative_to(TEMPLATE_DIR).as_posix().replace("PACKAGE", names.package)
        relative = relative.replace("PLUGIN_ID", names.plugin_id).removesuffix(".tmpl")
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(Template(source.read_text(encoding="utf-8")).substitute(values), encoding="utf-8")
    return root
