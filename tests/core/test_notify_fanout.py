"""Notifying many people costs a fixed number of queries, whatever their number.

Measured with the reporting plugin enabled, so the ``can_interact`` policy (blocks) takes
part, and with every recipient's email on, so each notification also writes an outbox row.
"""
from __future__ import annotations

import pytest

from core.extensions import db
from core.models import Notification, NotificationPreference, OutboxMessage, User
from core.notify import notify_many

# the actor's blocks (policy) + one INSERT of notifications + the email choices + one INSERT into the outbox
# + the site's name and logo for the mail (read once per job; requests have it cached)
FANOUT_QUERIES = 5


@pytest.fixture
def app_plugins():
    return ["plugins.reporting"]


@pytest.fixture
def crowd(app, make_user, make_group, enable_plugin):
    """``crowd(n)``: the actor and ``n`` members loaded in one query each, as a caller holds them;
    ``crowd.group`` their group."""
    enable_plugin("reporting")
    actor = make_user("anna", display_name="Anna Actor")
    group = make_group(owner=actor, slug="garden", name="Garden")
    made = {"n": 0}

    def build(n: int) -> tuple[User, list[User]]:
        ids = []
        for _ in range(n):
            made["n"] += 1
            ids.append(make_user(f"member{made['n']}").id)
        members = list(db.session.scalars(db.select(User).where(User.id.in_(ids)).order_by(User.id)))
        db.session.refresh(actor)
        db.session.refresh(group)
        return actor, members

    build.group = group
    return build


def fan_out(count_queries, actor, members, group) -> int:
    from flask import g

    from core.site_profile import CACHE_KEY

    g.pop(CACHE_KEY, None)  # each fan-out as a job of its own would run it
    with count_queries() as queries:
        notify_many(members, "join_request", actor=actor, group=group, url="/g/garden/requests")
        db.session.commit()
    return len(queries)


def test_notifying_3_or_30_people_costs_the_same_few_queries(app, crowd, count_queries):
    actor, three = crowd(3)
    few = fan_out(count_queries, actor, three, crowd.group)
    actor, thirty = crowd(30)
    many = fan_out(count_queries, actor, thirty, crowd.group)
    assert few == many == FANOUT_QUERIES
    assert db.session.scalar(db.select(db.func.count(Notification.id))) == 33
    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 33


def test_each_recipient_still_gets_their_own_choice_and_language(app, crowd, outbox):
    actor, (german, switched_off, unconfirmed) = crowd(3)
    german.locale = "de"
    unconfirmed.email_confirmed_at = None
    db.session.add(NotificationPreference(user_id=switched_off.id, kind="join_request", email_enabled=False))
    db.session.commit()
    created = notify_many([german, switched_off, unconfirmed, german], "join_request", actor=actor,
                          group=crowd.group, url="/g/garden/requests")
    db.session.commit()
    assert sorted(note.user_id for note in created) == sorted([german.id, switched_off.id, unconfirmed.id])
    [mail] = outbox()
    assert mail.to_addr == german.email and mail.subject == "Anna Actor möchte Garden beitreten"


def test_the_actor_and_people_they_may_not_reach_are_left_out(app, crowd):
    from plugins.reporting.blocks import block

    actor, (friend, blocker) = crowd(2)
    block(blocker, actor)
    db.session.commit()
    created = notify_many([friend, blocker, actor], "join_request", actor=actor, group=crowd.group)
    assert [note.user_id for note in created] == [friend.id]


def test_url_and_data_may_differ_per_recipient(app, crowd):
    actor, members = crowd(2)
    created = notify_many(members, "role_changed", actor=actor, group=crowd.group,
                          url=lambda user: f"/g/garden/members/{user.id}", data=lambda user: {"role": "moderator"})
    db.session.commit()
    assert [note.url for note in created] == [f"/g/garden/members/{m.id}" for m in members]
    assert all(note.data == {"role": "moderator"} for note in created)
