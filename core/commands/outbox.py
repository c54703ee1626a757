"""`flask outbox send|status`: deliver queued mail, see what is waiting.

Run ``flask outbox send --loop`` as a worker next to the web processes in production (and set
``OUTBOX_DELIVER_AFTER_REQUEST = False``), or ``flask outbox send`` from cron.
"""
from __future__ import annotations

import time

import click
from flask.cli import AppGroup

from core import outbox

cli = AppGroup("outbox", help="Deliver queued email and inspect the outbox.")


@cli.command("send")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(min=1),
              help="Most messages to deliver per batch.")
@click.option("--loop", is_flag=True, help="Keep running, delivering a batch every --interval seconds.")
@click.option("--interval", default=10.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds between batches with --loop.")
def send(limit: int, loop: bool, interval: float) -> None:
    """Deliver messages that are due; failures are retried later with backoff."""
    while True:
        report = outbox.send_pending(limit)
        if report.attempted or not loop:
            click.echo(f"sent {report.sent}, retrying {report.retrying}, failed {report.failed}")
            for error in report.errors:
                click.echo(f"  {error}", err=True)
        if not loop:
            return
        # A full batch means more may be due right away.
        if report.attempted < limit:
            time.sleep(interval)


@cli.command("status")
def status() -> None:
    """Show how many messages are due, waiting for a retry, sent and failed."""
    counts = outbox.status()
    click.echo(f"due: {counts.due}")
    click.echo(f"waiting for retry: {counts.waiting}")
    click.echo(f"sent: {counts.sent}")
    click.echo(f"failed: {counts.failed}")
