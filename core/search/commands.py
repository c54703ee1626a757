"""`flask search reindex|status`: rebuild the index, see what is in it."""
from __future__ import annotations

import time

import click
from flask.cli import AppGroup

cli = AppGroup("search", help="Rebuild and inspect the full-text search index.")


@cli.command("reindex")
@click.option("--source", "sources", multiple=True, metavar="NAME",
              help="Only this search source (repeatable); default: all of them.")
@click.option("--batch", default=1000, show_default=True, type=click.IntRange(min=1),
              help="Rows read and written per round trip.")
def reindex(sources: tuple[str, ...], batch: int) -> None:
    """Rebuild the index from the content (after an upgrade, a restore, or a new plugin).

    Each source is rebuilt in one transaction, so searches meanwhile see the old rows.
    """
    from core.search import SearchSourceError
    from core.search import reindex as rebuild

    started = time.perf_counter()
    try:
        counts = rebuild(list(sources) or None, batch=batch)
    except SearchSourceError as error:
        raise click.UsageError(str(error)) from error
    for name, count in counts.items():
        click.echo(f"{name}: {count} indexed")
    click.echo(f"done in {time.perf_counter() - started:.1f}s")


@cli.command("status")
def status() -> None:
    """Rows in the index per search source."""
    from core.search import get_registry
    from core.search.indexing import index_counts

    counts = index_counts()
    for source in get_registry():
        click.echo(f"{source.name} ({source.plugin_id}): {counts.get(source.name, 0)}")
