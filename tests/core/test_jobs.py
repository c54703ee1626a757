"""The jobs service: declared per app through a hook, queued now, later or on a schedule, run once."""
from __future__ import annotations

import types
from datetime import timedelta

import pytest

from core.extensions import db
from core.jobs import Job, JobError, crontab, enqueue, get_registry
from core.models import JobClaim
from core.models.base import utcnow
from core.plugins import PluginMeta
from core.plugins.specs import hookimpl
from tests.core.jobs_probe import runs

pytestmark = pytest.mark.plugins("tests.core.jobs_probe")


def plugin(plugin_id: str, *jobs: object) -> types.ModuleType:
    """A throwaway plugin module whose ``register_jobs`` returns ``jobs``."""
    module = types.ModuleType(f"{plugin_id}_plugin")
    module.META = PluginMeta(id=plugin_id, name=plugin_id.title(), version="1.0", default_enabled=True)

    @hookimpl
    def register_jobs(app):
        return list(jobs)

    module.register_jobs = register_jobs
    return module


def nothing() -> None:
    """Does nothing."""


# --- declaring ----------------------------------------------------------------------------


def test_core_and_plugins_declare_their_jobs_per_app(app, make_app):
    names = {declared.job.name: declared.owner for declared in get_registry(app)}
    assert names["core.outbox.relay"] == "core"
    assert names["probe.record"] == "probe"
    bare = make_app(plugins=[])
    assert "probe.record" not in get_registry(bare)
    assert "probe.record" in get_registry(app)  # the other app's registry is its own


def test_a_job_declared_twice_stops_start_up_naming_the_plugin(make_app):
    twice = plugin("twice", Job("twice.send", nothing), Job("twice.send", nothing))
    with pytest.raises(JobError, match=r"plugin 'twice' declares job 'twice.send' twice"):
        make_app(plugins=[twice])


def test_a_job_named_in_another_plugins_namespace_stops_start_up(make_app):
    squatter = plugin("squatter", Job("probe.record", nothing))
    with pytest.raises(JobError, match=r"plugin 'squatter' declares job 'probe.record': its job names "
                                       r"must start with 'squatter.'"):
        make_app(plugins=["tests.core.jobs_probe", squatter])


def test_register_jobs_must_return_jobs(make_app):
    sloppy = plugin("sloppy", "sloppy.send")
    with pytest.raises(JobError, match=r"plugin 'sloppy': register_jobs must return Job objects"):
        make_app(plugins=[sloppy])


@pytest.mark.parametrize("name", ["nodot", "Upper.case", "core.", "a.b-c", ""])
def test_a_job_name_is_dotted_lowercase(name):
    with pytest.raises(JobError, match="job name"):
        Job(name, nothing)


def test_an_unsupported_queue_url_stops_start_up(make_app):
    with pytest.raises(JobError, match=r"JOBS_URL 'amqp://x' is not supported"):
        make_app(JOBS_URL="amqp://x")


# --- queuing and running ------------------------------------------------------------------


def test_a_job_queued_now_runs_once_with_its_arguments(app, job_queue):
    enqueue("probe.record", "now")
    assert [(j.name, j.args, j.eta) for j in job_queue.queued()] == [("probe.record", ("now",), None)]
    assert job_queue.run() == ["probe.record"]
    assert runs() == [("now", runs()[0][1])]
    assert job_queue.queued() == [] and job_queue.run() == []


def test_a_delayed_job_waits_for_its_time(app, job_queue):
    enqueue("probe.record", "later", delay=timedelta(hours=2))
    [queued] = job_queue.queued()
    assert timedelta(hours=2) - timedelta(minutes=1) < queued.eta - utcnow() <= timedelta(hours=2)
    assert job_queue.run(now=utcnow() + timedelta(hours=1)) == []
    assert job_queue.run(now=utcnow() + timedelta(hours=2, minutes=1)) == ["probe.record"]
    assert [key for key, _ in runs()] == ["later"]


def test_a_job_queued_for_a_time_runs_from_then(app, job_queue):
    at = utcnow() + timedelta(days=1)
    enqueue("probe.record", "tomorrow", at=at)
    assert job_queue.queued()[0].eta == at
    assert job_queue.run(now=at - timedelta(seconds=1)) == []
    assert job_queue.run(now=at) == ["probe.record"]


def test_bad_requests_fail_at_once_with_the_job_name(app):
    with pytest.raises(JobError, match=r"no job named 'probe.missing'"):
        enqueue("probe.missing")
    with pytest.raises(JobError, match=r"job 'probe.record': arguments must be plain values"):
        enqueue("probe.record", object())
    with pytest.raises(JobError, match=r"job 'probe.record': give at= or delay=, not both"):
        enqueue("probe.record", "x", at=utcnow(), delay=5)


def test_a_job_queued_in_a_transaction_is_handed_over_when_it_commits(app, job_queue, make_user):
    make_user("ada")  # commits
    db.session.execute(db.select(JobClaim))  # a transaction is open now
    enqueue("probe.record", "after commit")
    assert job_queue.queued() == []
    db.session.commit()
    assert [j.name for j in job_queue.queued()] == ["probe.record"]


def test_a_job_queued_in_a_rolled_back_transaction_is_never_queued(app, job_queue):
    db.session.execute(db.select(JobClaim))
    enqueue("probe.record", "rolled back")
    db.session.rollback()
    db.session.commit()
    assert job_queue.queued() == []


def test_a_job_may_queue_the_next_one(app, job_queue):
    enqueue("probe.chain", "second")
    assert job_queue.run() == ["probe.chain", "probe.record"]
    assert [key for key, _ in runs()] == ["second"]


def test_jobs_run_in_an_app_context_whose_links_point_at_the_site(app, job_queue):
    app.config["SITE_URL"] = "https://community.example.org"
    enqueue("probe.link")
    job_queue.run()
    assert [key for key, _ in runs()] == ["https://community.example.org/"]


def test_running_the_same_queued_job_twice_runs_it_once(app, job_queue):
    """A message delivered twice (or a worker re-running it) finds the run already claimed."""
    enqueue("probe.record", "once")
    [task] = job_queue.queue.pending()
    job_queue.queue.execute(task)
    job_queue.queue.execute(task)
    assert [key for key, _ in runs()] == ["once"]


def test_a_failed_job_is_retried_after_its_delay_and_then_succeeds(app, job_queue, caplog):
    enqueue("probe.fail_first", "flaky")
    assert job_queue.run() == ["probe.fail_first"]
    assert [key for key, _ in runs()] == ["attempt:flaky"]
    [retry] = job_queue.queued()
    assert retry.name == "probe.fail_first" and retry.eta - utcnow() <= timedelta(seconds=30)
    assert job_queue.run(now=utcnow() + timedelta(seconds=31)) == ["probe.fail_first"]
    assert [key for key, _ in runs()] == ["attempt:flaky", "attempt:flaky", "flaky"]
    assert job_queue.queued() == []


def test_a_disabled_plugins_jobs_do_not_run(app, job_queue):
    from core.plugins import state as plugin_state

    plugin_state.set_enabled("probe", False)
    enqueue("probe.record", "while disabled")
    assert job_queue.run() == ["probe.record"]  # taken from the queue ...
    assert runs() == []  # ... and skipped


# --- periodic jobs and several workers ----------------------------------------------------


def test_a_periodic_job_starts_once_per_due_minute_however_many_schedulers(app, make_app, job_queue):
    """Two apps are two worker processes: both schedulers look at the same minute."""
    other = make_app()
    minute = utcnow().replace(second=5, microsecond=0)
    assert "probe.tick" in job_queue.tick(now=minute)
    with other.app_context():
        from core.testing import JobQueueDriver

        assert "probe.tick" not in JobQueueDriver(other).tick(now=minute + timedelta(seconds=30))
    assert [key for key, _ in runs()] == ["tick"]
    assert "probe.tick" in job_queue.tick(now=minute + timedelta(minutes=1))
    assert [key for key, _ in runs()] == ["tick", "tick"]


def test_a_schedule_says_which_minutes_are_due(app, job_queue):
    daily = {d.job.name: d.job.schedule for d in get_registry(app)}["core.outbox.clean_up"]
    day = utcnow().replace(hour=3, minute=17, second=0, microsecond=0).replace(tzinfo=None)
    assert daily(day) and not daily(day + timedelta(minutes=1))
    assert crontab(minute="*/5")(day.replace(minute=20))


def test_expired_claims_are_cleaned_up_by_a_job(app, job_queue):
    db.session.add_all([JobClaim(key="old", expires_at=utcnow() - timedelta(seconds=1)),
                        JobClaim(key="current", expires_at=utcnow() + timedelta(hours=1))])
    db.session.commit()
    enqueue("core.jobs.clean_up")
    job_queue.run()
    db.session.expire_all()
    assert db.session.scalars(db.select(JobClaim.key).where(JobClaim.key.in_(["old", "current"]))).all() == ["current"]


class TestImmediateMode:
    @pytest.fixture
    def app_config(self):
        return {"JOBS_URL": "immediate://"}

    def test_jobs_run_when_the_transaction_commits(self, app, make_user):
        db.session.execute(db.select(JobClaim))
        enqueue("probe.record", "immediately")
        assert runs() == []
        db.session.commit()
        assert [key for key, _ in runs()] == ["immediately"]

    def test_a_worker_refuses_a_queue_it_cannot_share(self, app):
        result = app.test_cli_runner().invoke(args=["jobs", "worker"])
        assert result.exit_code != 0
        assert "a worker needs a shared queue" in result.output


# --- the command line ---------------------------------------------------------------------


def test_cli_lists_every_job_with_owner_and_schedule(app):
    output = app.test_cli_runner().invoke(args=["jobs", "list"]).output
    assert "core.outbox.relay  [core, periodic]  Deliver due mail from the outbox" in output
    assert "probe.record  [probe, on demand]  Write down one run of ``key``" in output
    assert "probe.tick  [probe, periodic]  Write down a run every minute." in output


def test_cli_runs_and_queues_jobs_by_name(app, job_queue):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["jobs", "run", "probe.tick"])
    assert result.exit_code == 0 and "ran probe.tick" in result.output
    assert [key for key, _ in runs()] == ["tick"]
    result = runner.invoke(args=["jobs", "enqueue", "probe.tick"])
    assert result.exit_code == 0 and "queued probe.tick" in result.output
    assert "queued: 1" in runner.invoke(args=["jobs", "status"]).output
    assert job_queue.run() == ["probe.tick"]


def test_cli_explains_jobs_it_cannot_run(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["jobs", "run", "probe.record"])
    assert result.exit_code != 0 and "job 'probe.record' needs arguments" in result.output
    result = runner.invoke(args=["jobs", "enqueue", "nope.nothing"])
    assert result.exit_code != 0 and "no job named 'nope.nothing'" in result.output
