"""An id is never handed out twice, even after the newest row is deleted.

Reports, blocks, bans and plugin rows point at accounts, posts and comments by id. SQLite gives
the next insert the id of the newest deleted row unless a table is AUTOINCREMENT, so an old
report would show on a new post and a block of a deleted account would land on a new person.
(The migration that converts existing databases is tested in ``test_migrations.py``.)
"""
from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Integer
from sqlalchemy.dialects import sqlite
from sqlalchemy.schema import CreateTable

from core.extensions import db
from core.models.base import utcnow

pytestmark = pytest.mark.plugins("plugins.reporting", "plugins.helpcenter")

_serial = itertools.count(1)


def _user(w: Any) -> Any:
    return w.make_user(f"person{next(_serial)}")


def _group(w: Any) -> Any:
    return w.make_group(owner=w.alice)


def _post(w: Any) -> Any:
    return w.make_post(w.group, w.alice, "A post")


def _comment(w: Any) -> Any:
    return w.make_comment(w.post, w.bob, "A comment")


def _membership(w: Any) -> Any:
    return w.add_member(w.group, _user(w))


def _notification(w: Any) -> Any:
    from core.models import Notification

    return _add(Notification(user_id=w.alice.id, kind="test", data={}))


def _api_token(w: Any) -> Any:
    from core.models import ApiToken

    token, _secret = ApiToken.issue(w.alice, "laptop")
    db.session.commit()
    return token


def _join_request(w: Any) -> Any:
    from core.models import JoinRequest

    return _add(JoinRequest(group_id=w.group.id, user_id=_user(w).id))


def _case(w: Any) -> Any:
    from plugins.reporting.models import Case

    return _add(Case(content_type="post", content_id=next(_serial), content_hash="x", group_id=w.group.id))


def _report(w: Any) -> Any:
    from plugins.reporting.models import Report

    case = _case(w)
    return _add(Report(case_id=case.id, reporter_id=w.bob.id, content_type="post", content_id=case.content_id,
                       category="spam", content_hash="x"))


def _decision(w: Any) -> Any:
    from plugins.reporting.models import Decision

    return _add(Decision(case_id=_case(w).id, moderator_id=w.alice.id, target_user_id=w.bob.id, actions=["hide"]))


def _block(w: Any) -> Any:
    from plugins.reporting.models import Block

    return _add(Block(blocker_id=w.alice.id, blocked_id=_user(w).id))


def _group_ban(w: Any) -> Any:
    from plugins.reporting.models import GroupBan

    return _add(GroupBan(group_id=w.group.id, user_id=_user(w).id))


def _hidden(w: Any) -> Any:
    from plugins.reporting.models import HiddenContent

    return _add(HiddenContent(content_type="post", content_id=next(_serial), group_id=w.group.id))


def _helpline(w: Any) -> Any:
    from plugins.helpcenter.models import Helpline

    return _add(Helpline(name=f"Line {next(_serial)}", country="DE", description={}, languages=[], topics=[],
                         updated_at=utcnow()))


def _add(row: Any) -> Any:
    db.session.add(row)
    db.session.commit()
    return row


MAKERS: dict[str, Callable[[Any], Any]] = {
    "users": _user, "groups": _group, "posts": _post, "comments": _comment, "memberships": _membership,
    "notifications": _notification, "api_tokens": _api_token, "join_requests": _join_request,
    "reporting_cases": _case, "reporting_reports": _report, "reporting_decisions": _decision,
    "reporting_blocks": _block, "reporting_group_bans": _group_ban, "reporting_hidden": _hidden,
    "helpcenter_helplines": _helpline,
}


@pytest.fixture
def world(make_user, make_group, make_post, make_comment, add_member):
    class World:
        pass

    w = World()
    w.make_user, w.make_group, w.make_post, w.make_comment, w.add_member = (
        make_user, make_group, make_post, make_comment, add_member)
    w.alice, w.bob = make_user("alice"), make_user("bob")
    w.group = make_group(owner=w.alice, members=(w.bob,))
    w.post = make_post(w.group, w.alice, "The first post")
    return w


@pytest.mark.parametrize("table", sorted(MAKERS))
def test_deleting_the_newest_row_does_not_free_its_id(world, table):
    make = MAKERS[table]
    make(world)
    newest = make(world)
    assert newest.__table__.name == table
    newest_id = newest.id
    db.session.delete(newest)
    db.session.commit()
    assert make(world).id > newest_id


def test_every_table_with_an_integer_id_is_autoincrement_on_sqlite(app):
    """Core's and every loaded plugin's tables; a plugin's model gets it from core without asking."""
    integer_ids = [table for table in db.metadata.sorted_tables
                   if len(table.primary_key.columns) == 1
                   and isinstance(next(iter(table.primary_key.columns)).type, Integer)]
    assert {"users", "posts", "reporting_blocks", "helpcenter_helplines"} <= {t.name for t in integer_ids}
    missing = [table.name for table in integer_ids
               if "AUTOINCREMENT" not in str(CreateTable(table).compile(dialect=sqlite.dialect()))]
    assert missing == []
