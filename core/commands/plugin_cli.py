"""`flask plugins` commands: list, enable, disable (site-wide or ``--group SLUG``), forget, new, docs.

Changes go through ``core.plugins.state`` like the admin page and the API, so running
workers pick them up on their next request.
"""
from pathlib import Path

import click
from flask.cli import AppGroup

cli = AppGroup("plugins", help="Manage plugins.")


@cli.command("new")
@click.argument("plugin_id")
@click.option("--scope", type=click.Choice(["site", "group"]), default="site", show_default=True,
              help="site: one page for the whole site; group: a tab inside each group that switches it on.")
@click.option("--dir", "directory", default=".", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Where to create the distribution.")
def new_plugin(plugin_id: str, scope: str, directory: Path) -> None:
    """Scaffold plugin PLUGIN_ID as its own distribution (see docs/plugin-guide.md)."""
    from flask import current_app

    from core.plugins import get_plugins
    from core.scaffold import PluginNames, ScaffoldError, create_plugin, next_steps_text

    try:
        root = create_plugin(plugin_id, directory, installed=get_plugins().installed, scope=scope,
                             taken_paths=_taken_paths(current_app.url_map, scope))
    except ScaffoldError as err:
        raise click.ClickException(str(err)) from err
    click.echo(f"Created {root}")
    click.echo(next_steps_text(PluginNames.from_id(plugin_id, scope), root))


def _taken_paths(url_map, scope: str) -> set[str]:
    """Path segments the site already uses where the new plugin's page would go."""
    taken = set()
    for rule in url_map.iter_rules():
        parts = rule.rule.strip("/").split("/")
        if scope == "group" and len(parts) >= 3 and parts[:2] == ["g", "<slug>"]:
            taken.add(parts[2])
        elif scope == "site" and parts[0]:
            taken.add(parts[0])
    return taken


def _group(slug: str | None):
    from core.extensions import db
    from core.models import Group

    if slug is None:
        return None
    group = db.session.scalar(db.select(Group).where(Group.slug == slug))
    if group is None:
        raise click.ClickException(f"No group with the slug {slug!r}.")
    return group


def _plugins():
    from core.plugins import get_plugins

    plugins = get_plugins()
    plugins.refresh(force=True)
    return plugins


@cli.command("list")
@click.option("--group", "slug", metavar="SLUG", help="Show group features and whether this group has them on.")
def list_plugins(slug: str | None) -> None:
    """Installed plugins with version, scope, state and hooks."""
    plugins = _plugins()
    group = _group(slug)
    if not plugins.installed:
        click.echo("No plugins installed.")
    for status in plugins.statuses():
        if group is not None and status.scope != "group":
            continue
        if group is not None:
            state = "on" if plugins.is_enabled(status.id, group) else "off"
            if not status.enabled:
                state += " (disabled site-wide)"
        else:
            state = "enabled" if status.enabled else "disabled"
            if status.enabled and status.scope == "group":
                state += f", on in {status.group_count} group(s)"
        click.echo(f"{status.id}  {status.version}  [{status.scope}]  {state}")
        click.echo(f"    {status.name}: {status.description}")
        click.echo(f"    hooks: {', '.join(status.hooks)}")
    for plugin_id in sorted(plugins.blocked):
        click.echo(f"{plugin_id}  blocked by COMMONGROUND_PLUGINS_BLOCKED (not imported)")
    for plugin_id, error in sorted(plugins.failed.items()):
        click.echo(f"{plugin_id}  failed to load: {error}")


def _switch(plugin_id: str, slug: str | None, enabled: bool) -> None:
    from core.plugins import state as plugin_state

    plugins = _plugins()
    if plugin_id not in plugins.installed:
        known = ", ".join(sorted(plugins.installed)) or "none"
        raise click.ClickException(f"No installed plugin {plugin_id!r} (installed: {known}).")
    word = "enabled" if enabled else "disabled"
    if slug is None:
        changed = plugin_state.set_enabled(plugin_id, enabled)
        click.echo(f"{plugin_id} {word} site-wide." if changed else f"{plugin_id} was already {word}.")
        return
    group = _group(slug)
    try:
        changed = plugin_state.set_group_enabled(plugin_id, group, enabled)
    except plugin_state.NotGroupScoped as err:
        raise click.ClickException(f"{plugin_id} is a site-wide plugin; it cannot be switched per group.") from err
    except plugin_state.NotEnabledSiteWide as err:
        raise click.ClickException(f"{plugin_id} is disabled site-wide; enable it first: "
                                   f"flask plugins enable {plugin_id}") from err
    where = f"for group {slug}"
    click.echo(f"{plugin_id} {word} {where}." if changed else f"{plugin_id} was already {word} {where}.")


@cli.command("enable")
@click.argument("plugin_id")
@click.option("--group", "slug", metavar="SLUG", help="Switch a group-scope plugin on for this group only.")
def enable(plugin_id: str, slug: str | None) -> None:
    """Enable PLUGIN_ID site-wide, or for one group with --group."""
    _switch(plugin_id, slug, True)


@cli.command("disable")
@click.argument("plugin_id")
@click.option("--group", "slug", metavar="SLUG", help="Switch a group-scope plugin off for this group only.")
def disable(plugin_id: str, slug: str | None) -> None:
    """Disable PLUGIN_ID site-wide (its data is kept), or for one group with --group."""
    _switch(plugin_id, slug, False)


@cli.command("forget")
@click.argument("plugin_id")
@click.confirmation_option(prompt="Forget this plugin's settings for good? Files only its tables name will be "
                                  "deleted by the daily clean-up.")
def forget(plugin_id: str) -> None:
    """Delete the settings and switches of PLUGIN_ID after it was uninstalled (its tables stay).

    While they are kept, the daily clean-up of stored files deletes nothing: the plugin's tables
    may name files it can no longer be asked about.
    """
    from core.plugins import state as plugin_state

    try:
        forgotten = plugin_state.forget(plugin_id)
    except plugin_state.StillInstalled as err:
        raise click.ClickException(f"{plugin_id} is installed (loaded, blocked or failing to load): disable it, "
                                   "pip uninstall it and restart, then forget it.") from err
    if not forgotten:
        raise click.ClickException(f"Nothing to forget: the database has no state of a plugin {plugin_id!r}.")
    click.echo(f"{plugin_id} forgotten: its settings and switches are deleted, its tables left in place. "
               "The clean-up of stored files no longer waits for it.")


@cli.command("docs")
@click.option("--check", is_flag=True, help="Only say whether the files are stale (exit status 1 if so).")
def docs(check: bool) -> None:
    """Write docs/hooks.md and docs/plugin-api.md from the hook specs and the plugin API's docstrings."""
    from core.plugins import reference

    if check:
        stale = reference.stale()
        for name in stale:
            click.echo(f"docs/{name} is stale: run `flask plugins docs`")
        if stale:
            raise SystemExit(1)
        click.echo("docs/hooks.md and docs/plugin-api.md are up to date.")
        return
    changed = reference.write()
    click.echo(f"Wrote {', '.join('docs/' + n for n in changed)}." if changed else "Nothing to change.")
