"""The clean-up of orphaned files: stored files that no row points at any more.

A file is stored before the row that names it is committed (``store_image``, then the avatar or
post is saved); a crash or a failed commit in between leaves the file behind, as can a delete
that failed after its commit. The periodic job ``core.storage.sweep_orphans`` lists storage,
asks every column that names files (core's and each installed plugin's, through the
``stored_files`` hook) which of the listed keys are still named, and deletes the others with
their renditions. Only files older than ``STORAGE_ORPHAN_GRACE_SECONDS`` are considered, so the
file of an upload whose row is not committed yet is never taken. When a plugin cannot answer
(its hook fails, or it is blocked from loading or uninstalled while its state stays in the
database) nothing is deleted: a file is only removed when it is *known* to be unreferenced. After
an uninstall for good, ``flask plugins forget ID`` deletes that state and the clean-up goes on.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice
from typing import Any

from flask import current_app
from sqlalchemy import select

from core.extensions import db
from core.models.base import utcnow
from core.storage import get_backend, renditions

log = logging.getLogger("commonground.storage")

JOB = "core.storage.sweep_orphans"
BATCH = 500  # keys checked per query, whatever the size of the storage


@dataclass(frozen=True)
class SweepResult:
    checked: int = 0  # files old enough to be considered
    deleted: int = 0
    skipped: str | None = None  # why nothing was deleted, when it was not


def sweep(now: datetime | None = None) -> SweepResult:
    """Delete the stored files older than the grace period that no column names; returns what it did."""
    from core.plugins import get_plugins

    plugins = get_plugins()
    unknown = _plugins_not_loaded(plugins)
    if unknown:
        reason = (f"plugins with data but not loaded: {', '.join(sorted(unknown))}; if uninstalled for good, "
                  f"`flask plugins forget ID` lets the clean-up go on")
        log.warning("orphaned files: nothing deleted (%s)", reason)
        return SweepResult(skipped=reason)
    columns = [column for result in plugins.call("stored_files") for column in (result or [])]
    cutoff = (now or utcnow()) - timedelta(seconds=int(current_app.config["STORAGE_ORPHAN_GRACE_SECONDS"]))
    backend = get_backend()
    checked = deleted = 0
    old_enough = (key for key, stored_at in backend.entries() if stored_at < cutoff)
    for batch in _batches(old_enough, BATCH):
        checked += len(batch)
        named = _named(columns, {renditions.original_key(key) for key in batch})
        for key in batch:
            if renditions.original_key(key) not in named:
                backend.delete(key)
                deleted += 1
    db.session.rollback()  # read only: end the transaction the checks opened
    if deleted:
        log.info("orphaned files: %s of %s old enough deleted", deleted, checked)
    return SweepResult(checked=checked, deleted=deleted)


def run() -> None:
    """The periodic job: ``sweep`` now (its result is logged, not kept in the queue's result store)."""
    sweep()


def _named(columns: list[Any], keys: set[str]) -> set[str]:
    """Which of ``keys`` some column names: one query per column for the whole batch."""
    found: set[str] = set()
    for column in columns:
        found.update(db.session.scalars(select(column).where(column.in_(keys))))
    return found


def _plugins_not_loaded(plugins: Any) -> set[str]:
    """Plugins the database knows (they may keep files) that this app did not load: blocked or removed."""
    from core.models.plugin_state import PluginState

    known = set(db.session.scalars(select(PluginState.plugin_id)))
    return known - set(plugins.installed)


def _batches(items: Iterable[str], size: int) -> Iterator[list[str]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
