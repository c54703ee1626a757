"""The reminder job: those going hear once, the group's chosen hours before the event starts."""
from __future__ import annotations

from core.plugin_api import Notification, db, utcnow

from commonground_events import reminders


def reminders_for(user) -> list[Notification]:
    db.session.expire_all()
    return db.session.scalars(db.select(Notification).where(Notification.user_id == user.id,
                                                            Notification.kind == "events_reminder")).all()


def a_due_minute():
    """A minute the job's schedule (every five minutes) is due in, just past."""
    now = utcnow()
    return now.replace(minute=now.minute - now.minute % 5, second=0, microsecond=0)


def test_the_worker_reminds_those_going_the_day_before(events_on, make_event, people, job_queue, outbox):
    make_event(events_on, "Seed swap", hours=20, going=(people["member"], people["owner"]))
    assert reminders.JOB_NAME in job_queue.tick(a_due_minute())
    (note,) = reminders_for(people["member"])
    assert note.data["title"] == "Seed swap" and note.group_id == events_on.id
    assert len(reminders_for(people["owner"])) == 1
    assert {m.subject for m in outbox()} == {"Reminder: Seed swap"}


def test_each_event_is_reminded_once_however_often_the_job_runs(events_on, make_event, people, in_request):
    make_event(events_on, hours=20, going=(people["member"],))
    assert reminders.send_reminders() == 1
    assert reminders.send_reminders() == 0
    assert len(reminders_for(people["member"])) == 1


def test_events_further_off_than_the_groups_window_wait(events_on, make_event, people, as_, in_request):
    make_event(events_on, hours=30, going=(people["member"],))
    assert reminders.send_reminders() == 0
    as_("owner").post("/g/garden/plugins/events/settings", data={"who_creates": "members", "reminder_hours": "48"})
    assert reminders.send_reminders() == 1


def test_no_reminder_in_a_group_that_switched_events_off(events_on, make_event, people, in_request):
    from core.plugins import state

    make_event(events_on, hours=20, going=(people["member"],))
    state.set_group_enabled("events", events_on, False)
    assert reminders.send_reminders() == 0
    assert reminders_for(people["member"]) == []


def test_the_reminder_reads_in_the_readers_language(events_on, make_event, make_user, add_member, login, app):
    erika = make_user("erika", locale="de")
    add_member(events_on, erika)
    make_event(events_on, "Saattausch", hours=20, going=(erika,))
    with app.test_request_context():
        reminders.send_reminders()
    page = login(app.test_client(), erika).get("/notifications/").text
    assert "<strong>Saattausch</strong> in <strong>Garden club</strong> beginnt am" in page


def test_started_events_are_never_reminded(events_on, make_event, people, in_request):
    make_event(events_on, hours=-1, going=(people["member"],))
    assert reminders.send_reminders() == 0
