"""`flask jobs worker|list|status|run|enqueue`: run and inspect background jobs."""
from __future__ import annotations

import inspect

import click
from flask import current_app
from flask.cli import AppGroup

from core.jobs.job import JobError
from core.jobs.registry import get_registry

cli = AppGroup("jobs", help="Run the job worker and inspect background jobs.")


@cli.command("worker")
@click.option("--threads", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Jobs run at the same time in this process.")
@click.option("--no-periodic", is_flag=True,
              help="Do not start periodic jobs here (they still run exactly once per due minute "
                   "across all workers, so this is rarely needed).")
def worker(threads: int, no_periodic: bool) -> None:
    """Run queued, delayed and periodic jobs until stopped (Ctrl+C: after the running jobs finish)."""
    from core.jobs.worker import run_worker

    try:
        run_worker(current_app._get_current_object(), threads=threads, periodic=not no_periodic)
    except JobError as err:
        raise click.ClickException(str(err)) from err


@cli.command("list")
def list_jobs() -> None:
    """Every declared job: name, who declared it, its schedule (UTC) and what it does."""
    for declared in get_registry():
        job = declared.job
        schedule = "periodic" if job.schedule is not None else "on demand"
        click.echo(f"{job.name}  [{declared.owner}, {schedule}]  {job.summary}")


@cli.command("status")
def status() -> None:
    """How many jobs wait in the queue now, and how many are scheduled for later."""
    queue = get_registry().queue
    click.echo(f"queued: {queue.pending_count()}")
    click.echo(f"scheduled: {queue.scheduled_count()}")


def _without_arguments(name: str):
    """The declared job ``name``, if it can run without arguments; else a clear CLI error."""
    try:
        declared = get_registry().get(name)
    except JobError as err:
        raise click.ClickException(str(err)) from err
    try:
        inspect.signature(declared.job.func).bind()
    except TypeError:
        raise click.ClickException(f"job {name!r} needs arguments; the code that uses it queues it") from None
    return declared


@cli.command("run")
@click.argument("name")
def run(name: str) -> None:
    """Run job NAME (one that takes no arguments) here and now, e.g. core.outbox.relay."""
    _without_arguments(name).task.call_local()
    click.echo(f"ran {name}")


@cli.command("enqueue")
@click.argument("name")
def enqueue(name: str) -> None:
    """Queue job NAME (one that takes no arguments) for the workers."""
    from core.extensions import db
    from core.jobs import enqueue as enqueue_job

    _without_arguments(name)
    job_id = enqueue_job(name)
    db.session.commit()  # hands it over if a transaction was open
    click.echo(f"queued {name} ({job_id})")
