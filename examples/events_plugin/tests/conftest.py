"""Every test app loads the events plugin (``core.testing`` provides the fixtures): a public group
"Garden club" with an owner, a moderator and a member, events enabled site-wide and switched on
there; ``as_("member")`` is a client logged in as that person; ``make_event`` adds an event."""
from __future__ import annotations

from datetime import timedelta

import pytest
from core.plugin_api import db, utcnow

from commonground_events.models import Attendance, Event


@pytest.fixture
def app_plugins():
    return ["commonground_events"]


@pytest.fixture
def people(make_user):
    return {name: make_user(name) for name in ("owner", "moderator", "member", "outsider")}


@pytest.fixture
def group(make_group, people):
    return make_group(owner=people["owner"], slug="garden", name="Garden club",
                      members=((people["moderator"], "moderator"), people["member"]))


@pytest.fixture
def events_on(enable_plugin, group):
    enable_plugin("events", group=group)
    return group


@pytest.fixture
def as_(app, login, people):
    return lambda name: login(app.test_client(), people[name])


@pytest.fixture
def make_event(people):
    """``make_event(group, title=..., hours=48, by=person, going=(people...))``: an event starting in ``hours``."""

    def make(group, title="Seed swap", hours=48, by=None, going=(), **columns):
        author = by or people["member"]
        event = Event(group_id=group.id, created_by_id=author.id, title=title,
                      starts_at=utcnow() + timedelta(hours=hours), **columns)
        db.session.add(event)
        db.session.flush()
        for person in going:
            db.session.add(Attendance(event_id=event.id, user_id=person.id))
        db.session.commit()
        return event

    return make


@pytest.fixture
def in_request(app):
    """A request context, as the job worker gives jobs (``url_for`` builds the site's links)."""
    with app.test_request_context():
        yield
