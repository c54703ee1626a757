"""Work done "after the commit" waits for the outermost transaction, not a SAVEPOINT's release.

SQLAlchemy's ``after_commit`` event also fires when a SAVEPOINT (``begin_nested``) is released,
and ``after_rollback`` when one is rolled back, while the outer transaction goes on. The hook
runner wraps every plugin's in-transaction implementation in a SAVEPOINT, so each handler that
acts after a commit is checked here: a job is queued, a file deleted and a page version replaced
only when the outer transaction commits — never for a change it later rolls back — and what a
rolled-back SAVEPOINT asked for is dropped without dropping what the outer transaction asked for.
"""
from __future__ import annotations

import hashlib
import types
from typing import Any

import pytest

from core.extensions import db
from core.jobs import enqueue
from core.models import Group, JobClaim
from core.page_cache.scopes import EXTENSION
from core.page_cache.versions import group_key
from core.plugins import PluginMeta
from core.plugins.specs import hookimpl
from core.storage import delete_after_commit, get_backend

pytestmark = pytest.mark.plugins("tests.core.jobs_probe")


def _open_transaction() -> None:
    db.session.execute(db.select(JobClaim))  # autobegins the outer transaction


# --- jobs (core.jobs.dispatch) -----------------------------------------------------------------


def test_a_job_queued_in_a_released_savepoint_is_not_queued_before_the_outer_commit(app, job_queue):
    _open_transaction()
    with db.session.begin_nested():
        enqueue("probe.record", "in a savepoint")
    assert job_queue.queued() == []


def test_a_job_queued_before_a_savepoint_waits_past_its_release(app, job_queue):
    """Core queues a job, then a hook runs each plugin in a SAVEPOINT: the row is not committed yet."""
    _open_transaction()
    enqueue("probe.record", "the action's own")
    with db.session.begin_nested():
        pass
    assert job_queue.queued() == []


def test_a_job_queued_in_a_released_savepoint_is_dropped_when_the_outer_transaction_rolls_back(app, job_queue):
    _open_transaction()
    with db.session.begin_nested():
        enqueue("probe.record", "rolled back later")
    db.session.rollback()
    db.session.commit()
    assert job_queue.queued() == []


def test_a_job_queued_in_a_released_savepoint_is_queued_when_the_outer_transaction_commits(app, job_queue):
    _open_transaction()
    with db.session.begin_nested():
        enqueue("probe.record", "committed")
    db.session.commit()
    assert [job.args for job in job_queue.queued()] == [("committed",)]


def test_a_job_queued_in_a_rolled_back_savepoint_is_dropped_and_the_outer_ones_kept(app, job_queue):
    _open_transaction()
    enqueue("probe.record", "outer")
    savepoint = db.session.begin_nested()
    enqueue("probe.record", "failed plugin")
    savepoint.rollback()
    db.session.commit()
    assert [job.args for job in job_queue.queued()] == [("outer",)]


# --- stored files (core.storage.delete_after_commit) -----------------------------------------


@pytest.fixture
def stored() -> Any:
    """``stored(name)``: a file put in the app's storage; returns its key."""

    def put(name: str) -> str:
        key = f"images/{hashlib.sha256(name.encode()).hexdigest()}.png"
        get_backend().put(key, b"kept?", "image/png")
        return key

    return put


def test_a_file_deleted_in_a_released_savepoint_is_kept_until_the_outer_commit(app, stored, stored_keys):
    key = stored("avatar")
    _open_transaction()
    with db.session.begin_nested():
        delete_after_commit([key])
    assert stored_keys() == [key]


def test_a_file_deleted_in_a_released_savepoint_is_kept_when_the_outer_transaction_rolls_back(
        app, stored, stored_keys):
    key = stored("avatar")
    _open_transaction()
    with db.session.begin_nested():
        delete_after_commit([key])
    db.session.rollback()
    db.session.commit()
    assert stored_keys() == [key]


def test_a_file_deleted_in_a_released_savepoint_goes_when_the_outer_transaction_commits(app, stored, stored_keys):
    key = stored("avatar")
    _open_transaction()
    with db.session.begin_nested():
        delete_after_commit([key])
    db.session.commit()
    assert stored_keys() == []


def test_a_rolled_back_savepoint_keeps_its_file_and_not_the_outer_transactions(app, stored, stored_keys):
    outer, failed = stored("outer"), stored("failed-plugin")
    _open_transaction()
    delete_after_commit([outer])
    savepoint = db.session.begin_nested()
    delete_after_commit([failed])
    savepoint.rollback()
    db.session.commit()
    assert stored_keys() == [failed]


# --- page versions (core.page_cache.scopes) ----------------------------------------------------


@pytest.fixture
def group_version(app, make_group) -> Any:
    """``(group, version())``: a group and its page version as a page would read it now."""
    group = make_group(slug="garden")
    versions = app.extensions[EXTENSION].versions
    return group, lambda: versions.read([group_key(group.id)])


def test_a_change_in_a_released_savepoint_keeps_the_version_until_the_outer_commit(app, group_version):
    group, version = group_version
    before = version()
    with db.session.begin_nested():
        db.session.get(Group, group.id).name = "Allotment"
    assert version() == before


def test_a_change_in_a_released_savepoint_then_rolled_back_never_replaces_the_version(app, group_version):
    group, version = group_version
    before = version()
    with db.session.begin_nested():
        db.session.get(Group, group.id).name = "Allotment"
    db.session.rollback()
    db.session.commit()  # a later commit in the same session replaces nothing either
    assert version() == before


def test_a_change_in_a_released_savepoint_replaces_the_version_when_the_outer_transaction_commits(
        app, group_version):
    group, version = group_version
    before = version()
    with db.session.begin_nested():
        db.session.get(Group, group.id).name = "Allotment"
    db.session.commit()
    assert version() != before


# --- through the hook runner: each plugin's implementation in its own SAVEPOINT ------------------


def _queue_then_fail(post: Any) -> None:
    enqueue("probe.record", "from the failing plugin")
    raise RuntimeError("the plugin fails after asking for a job")


def _queue(post: Any) -> None:
    enqueue("probe.record", "from the working plugin")


def _plugin(plugin_id: str, post_created: Any) -> types.ModuleType:
    module = types.ModuleType(f"savepoint_{plugin_id}")
    module.META = PluginMeta(id=plugin_id, name=plugin_id.title(), version="1", default_enabled=True)
    module.post_created = hookimpl(post_created)
    return module


@pytest.mark.plugins("tests.core.jobs_probe", _plugin("failing", _queue_then_fail), _plugin("working", _queue))
def test_a_failed_plugins_job_goes_with_its_savepoint_and_the_others_job_is_queued(
        app, job_queue, make_group, member, member_client):
    make_group(slug="allotment", members=(member,))
    assert member_client.post("/g/allotment/posts", data={"body": "Beans are up"}).status_code == 302
    assert [job.args for job in job_queue.queued() if job.name == "probe.record"] == [("from the working plugin",)]
