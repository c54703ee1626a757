"""`flask outbox send|status`: deliver queued mail now, see what is waiting.

The job worker (``flask jobs worker``, started by ``make run``) delivers mail as soon as it is
queued and retries what failed every minute; ``flask outbox send`` is for delivering by hand.
"""
from __future__ import annotations

import click
from flask.cli import AppGroup

from core import outbox

cli = AppGroup("outbox", help="Deliver queued email and inspect the outbox.")


@cli.command("send")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(min=1),
              help="Most messages to deliver.")
def send(limit: int) -> None:
    """Deliver messages that are due now; failures are retried later with backoff."""
    report = outbox.send_pending(limit)
    click.echo(f"sent {report.sent}, retrying {report.retrying}, failed {report.failed}")
    for error in report.errors:
        click.echo(f"  {error}", err=True)


@cli.command("status")
def status() -> None:
    """Show how many messages are due, waiting for a retry, sent and failed."""
    counts = outbox.status()
    click.echo(f"due: {counts.due}")
    click.echo(f"waiting for retry: {counts.waiting}")
    click.echo(f"sent: {counts.sent}")
    click.echo(f"failed: {counts.failed}")
