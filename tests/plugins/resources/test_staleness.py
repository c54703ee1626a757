"""Review-by dates: a daily job notifies the hub's editors once per overdue date."""
from __future__ import annotations

from datetime import date, timedelta

from core.extensions import db
from core.models import Notification


def stale_notes():
    return db.session.scalars(db.select(Notification).where(Notification.kind == "resources_stale")).all()


def test_overdue_resources_notify_their_editors_once(app, hub, make_resource, writer, reviewer):
    from plugins.resources.staleness import flag_stale

    make_resource(title="Old advice", review_by=date.today() - timedelta(days=1))
    make_resource(title="Fresh advice", review_by=date.today() + timedelta(days=30))
    with app.test_request_context():
        assert flag_stale() == 1
        assert flag_stale() == 0  # idempotent
    notes = stale_notes()
    assert sorted(n.user_id for n in notes) == sorted([writer.id, reviewer.id])


def test_a_new_review_date_is_flagged_again_when_it_passes(app, hub, make_resource):
    from plugins.resources.staleness import flag_stale

    resource = make_resource(review_by=date.today() - timedelta(days=1))
    with app.test_request_context():
        flag_stale()
        resource.review_by = date.today() - timedelta(days=0) - timedelta(days=0)
        resource.review_by = date.today() + timedelta(days=10)
        db.session.commit()
        assert flag_stale() == 0
        assert flag_stale(today=date.today() + timedelta(days=11)) == 1


def test_the_daily_job_runs_on_the_queue(app, hub, make_resource, job_queue):
    from datetime import UTC, datetime

    make_resource(review_by=date.today() - timedelta(days=3))
    ran = job_queue.tick(datetime.now(UTC).replace(hour=6, minute=15))
    assert "resources.flag_stale" in ran
    assert stale_notes()


def test_editors_see_an_overdue_resource_flagged_before_the_daily_job_ran(app, login, hub, make_resource, writer):
    from datetime import timedelta

    from core.models.base import utcnow

    resource = make_resource(review_by=utcnow().date() - timedelta(days=1))
    page = login(app.test_client(), writer).get(f"/resources/wellbeing/r/{resource.id}").get_data(as_text=True)
    assert "<strong>overdue</strong>" in page


def test_readers_see_when_a_resource_was_last_reviewed(client, hub, make_resource):
    resource = make_resource()
    assert "Last reviewed" in client.get(f"/resources/wellbeing/r/{resource.id}").get_data(as_text=True)
