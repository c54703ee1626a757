"""Database migrations per plugin: one Alembic branch for core, one per installed plugin.

Core's revisions live in ``core/migrations/versions`` (branch label ``core``). A plugin keeps
its own in ``<plugin package>/migrations/versions`` as a branch labelled with its id whose
first revision ``depends_on`` a core revision. Alembic looks in all of these directories, so

- ``flask db upgrade`` (target ``heads``) brings core and every installed plugin to head;
- ``flask db migrate -m "..."`` writes a core revision (only core tables are compared);
- ``flask db migrate -m "..." --branch-label ID`` starts plugin ID's branch in its package;
- ``flask db migrate -m "..." --head ID@head`` adds the next revision to plugin ID's branch.

``core/migrations/env.py`` calls into this module; ``init_app`` wires the Flask-Migrate side.
"""
from __future__ import annotations

import importlib
import importlib.util
import logging
import os
from collections.abc import Iterable
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import click
import flask_migrate
from alembic.config import Config
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy.types import TypeDecorator

from core.extensions import db, migrate
from core.plugins import ENTRY_POINT_GROUP, get_plugins

log = logging.getLogger("commonground.migrations")

CORE_BRANCH = "core"
MIGRATIONS_DIR = Path(__file__).parents[1] / "migrations"


def core_versions_dir() -> Path:
    return MIGRATIONS_DIR / "versions"


def _package_dir(module_name: str) -> Path | None:
    """The directory of a plugin *package* (a single-module plugin has no migrations)."""
    try:
        spec = importlib.util.find_spec(module_name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def plugin_packages(app: Flask) -> dict[str, str]:
    """Plugin id -> package name, for installed plugins and for blocked ones.

    Blocked plugins are never imported, but their revisions may already be recorded in the
    database; keeping their version directory known lets ``flask db upgrade`` still run.
    """
    packages = {pid: info.module.__name__ for pid, info in get_plugins(app).installed.items()}
    blocked = set(app.config.get("PLUGINS_BLOCKED") or [])
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name in blocked and ep.name not in packages:
            packages[ep.name] = ep.module
    return packages


def plugin_versions_dirs(app: Flask) -> dict[str, Path]:
    """Plugin id -> its ``migrations/versions`` directory (which may not exist yet)."""
    dirs = {}
    for pid, package in plugin_packages(app).items():
        base = _package_dir(package)
        if base is not None:
            dirs[pid] = base / "migrations" / "versions"
    return dirs


def version_locations(app: Flask) -> list[Path]:
    return [core_versions_dir(), *plugin_versions_dirs(app).values()]


def configure_alembic(config: Config) -> Config:
    """Flask-Migrate ``configure`` callback: every installed plugin's versions are searched."""
    locations = os.pathsep.join(str(path) for path in version_locations(current_app))
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", locations.replace("%", "%%"))
    return config


def import_plugin_models(app: Flask) -> None:
    """Import ``<package>.models`` of every installed plugin so autogenerate sees its tables."""
    for package in (info.module.__name__ for info in get_plugins(app).installed.values()):
        name = f"{package}.models"
        if _package_dir(package) is not None and importlib.util.find_spec(name) is not None:
            importlib.import_module(name)


def table_owners(app: Flask) -> dict[str, str]:
    """Table name -> ``core`` or the id of the plugin whose package defines the model.

    Every advertised plugin counts, loaded or not: its models may have been imported anyway.
    Models from any other module (not core, no known plugin) belong to no branch.
    """
    packages = {ep.module: ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)}
    packages.update({package: pid for pid, package in plugin_packages(app).items()})
    owners = {}
    for mapper in db.Model.registry.mappers:
        module = mapper.class_.__module__
        fallback = CORE_BRANCH if module.split(".")[0] == "core" else f"module:{module}"
        owner = next((pid for package, pid in packages.items()
                      if module == package or module.startswith(package + ".")), fallback)
        for table in mapper.tables:
            owners[table.name] = owner
    return owners


def owner_of(table_name: str, owners: dict[str, str], plugin_ids: Iterable[str]) -> str:
    """Known model tables by their module; other tables (about to be dropped) by id prefix."""
    if table_name in owners:
        return owners[table_name]
    for pid in plugin_ids:
        if table_name.startswith(f"{pid}_"):
            return pid
    return CORE_BRANCH


def known_plugin_ids(app: Flask) -> set[str]:
    """Installed plugins and every advertised entry point (its tables are not core's)."""
    return set(plugin_packages(app)) | {ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)}


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Render custom column types as their plain SQLAlchemy type, so a migration never imports app code."""
    if type_ == "type" and isinstance(obj, TypeDecorator):
        module = type(obj.impl).__module__
        if module.startswith("sqlalchemy.") and not module.startswith("sqlalchemy.dialects"):
            return f"sa.{obj.impl!r}"
    return False


def target_branch(script: Any, script_directory: Any, app: Flask) -> str:
    """Which branch a new revision belongs to: its new label, its version path, or its head's branch."""
    plugin_dirs = plugin_versions_dirs(app)
    if script.branch_label:
        labels = [script.branch_label] if isinstance(script.branch_label, str) else list(script.branch_label)
        for label in labels:
            if label in plugin_dirs or label == CORE_BRANCH:
                return label
    if script.version_path:
        wanted = Path(script.version_path).absolute()
        for pid, path in plugin_dirs.items():
            if path.absolute() == wanted:
                return pid
        return CORE_BRANCH
    head = script.head or "head"
    if head not in ("head", "base"):
        for rev in script_directory.get_revisions(head):
            if rev is None:
                continue
            for label in rev.branch_labels:
                if label in plugin_dirs:
                    return label
    return CORE_BRANCH


def _branch_exists(script_directory: Any, label: str) -> bool:
    return any(label in rev.branch_labels for rev in script_directory.walk_revisions())


def prepare_revision(script: Any, script_directory: Any, app: Flask) -> str:
    """Fill in what Alembic needs for a branch's revision and keep only that branch's tables.

    A plugin's first revision starts from ``base``, goes into the plugin's versions directory and
    ``depends_on`` core's current head. A core revision without ``--head`` is based on ``core@head``.
    Returns the branch id.
    """
    branch = target_branch(script, script_directory, app)
    exists = _branch_exists(script_directory, branch)
    if branch == CORE_BRANCH:
        if script.head in (None, "head") and exists:
            script.head = f"{CORE_BRANCH}@head"
    else:
        if script.version_path is None:
            script.version_path = str(plugin_versions_dirs(app)[branch])
        if not exists:
            script.head = "base"
            if not script.depends_on and _branch_exists(script_directory, CORE_BRANCH):
                script.depends_on = [rev.revision for rev in script_directory.get_revisions(f"{CORE_BRANCH}@head")]
        elif script.head in (None, "head"):
            script.head = f"{branch}@head"
    owners = table_owners(app)
    ids = known_plugin_ids(app)

    def keep(op: Any) -> bool:
        name = getattr(op, "table_name", None)
        return name is None or owner_of(name, owners, ids) == branch

    for ops in (script.upgrade_ops_list or []) + (script.downgrade_ops_list or []):
        ops.ops[:] = [op for op in ops.ops if keep(op)]
    return branch


@click.command("upgrade")
@click.option("-d", "--directory", default=None, help="Migration script directory.")
@click.option("--sql", is_flag=True, help="Print the SQL instead of running it.")
@click.option("--tag", default=None, help='Arbitrary "tag" name for custom env.py scripts.')
@click.option("-x", "--x-arg", multiple=True, help="Additional arguments consumed by env.py.")
@click.argument("revision", default="heads")
@with_appcontext
def upgrade_command(directory: str | None, sql: bool, tag: str | None, x_arg: tuple, revision: str) -> None:
    """Upgrade core and every installed plugin to their heads (or to REVISION, e.g. hello@head)."""
    flask_migrate.upgrade(directory, revision, sql, tag, x_arg)


_configured = False


def init_app(app: Flask) -> None:
    """Register the version-location callback once and make ``flask db upgrade`` target all heads."""
    global _configured
    if not _configured:
        migrate.configure(configure_alembic)
        _configured = True
    db_group = app.cli.commands.get(migrate.command)
    if db_group is not None:
        db_group.add_command(upgrade_command)
