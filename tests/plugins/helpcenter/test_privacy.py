"""Privacy by design: a use of the form leaves one counter by ISO week, country and path – nothing else.

Every table is dumped after each path through the form (visitor, member, reminder, SMTP outage,
final failure) and searched for the address, the subjects and the topic; so is the job queue's own
storage (the SQLite file with its journal, or the Redis keys), which only ever sees an account id.
"""
from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
import redis

from core.extensions import db
from core.models.base import utcnow
from plugins.helpcenter.models import UsageCount
from plugins.helpcenter.usage import iso_week

ADDRESS = "pia@example.org"
SUBJECTS = ("The information you asked for", "A reminder you asked for",
            "Die Informationen, um die du gebeten hast", "Eine Erinnerung, um die du gebeten hast")
# The topic: the path chosen, and what the mails say about it.
TOPICS = ("worried", "support", "vor zwei Tagen", "So kannst du auf die Person zugehen")
CLAIM_KEY = re.compile(r"^(run:[0-9a-f-]{36}|tick:[a-z0-9_.]+:\d{4}-\d\d-\d\dT\d\d:\d\d)$")


@pytest.fixture(params=["sqlite", "redis"])
def jobs_url(request, tmp_path) -> str:
    """The job queue as deployed: the embedded SQLite file, or Redis."""
    if request.param == "redis":
        return request.getfixturevalue("redis_url")
    return f"sqlite:///{tmp_path / 'jobs.sqlite'}"


@pytest.fixture
def app_config(smtp_config, jobs_url):
    return {**smtp_config, "JOBS_URL": jobs_url, "JOBS_NAME": f"cgtest{uuid.uuid4().hex[:10]}",
            "OUTBOX_MAX_ATTEMPTS": 2, "OUTBOX_BACKOFF_SECONDS": 30}


@pytest.fixture
def queue_storage(app) -> Iterator[Callable[[], bytes]]:
    """``queue_storage()``: every byte the job queue holds – the SQLite file and its journal, or the
    queue's Redis keys – for searching."""
    url, name = app.config["JOBS_URL"], app.config["JOBS_NAME"]
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///"):])

        def read_file() -> bytes:
            return b"".join(p.read_bytes() for p in (path, Path(f"{path}-journal"), Path(f"{path}-wal")) if p.exists())

        yield read_file
        return
    client = redis.Redis.from_url(url)

    def read_keys() -> bytes:
        found = []
        for key in client.keys(f"huey.*{name}*"):
            kind = client.type(key)
            if kind == b"list":
                found += client.lrange(key, 0, -1)
            elif kind == b"zset":
                found += client.zrange(key, 0, -1)
            elif kind == b"hash":
                found += [k + v for k, v in client.hgetall(key).items()]
            else:
                found.append(client.get(key) or b"")
        return b"".join(found)

    yield read_keys
    client.delete(*(client.keys(f"huey.*{name}*") or ["-"]))
    client.close()


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table the app knows, as plain tuples."""
    db.session.expire_all()
    with db.engine.connect() as conn:
        return {
            table.name: sorted((tuple(row) for row in conn.execute(table.select())), key=repr)
            for table in db.metadata.sorted_tables
        }


def new_traces(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> list[str]:
    """What the help center left in the database beyond the weekly counter: rows that are new or
    changed since ``before``, apart from the counter's own row and claims keyed by random job ids."""
    found = []
    for table, rows in after.items():
        earlier = before.get(table, [])
        for row in (row for row in rows if row not in earlier):
            if table == "helpcenter_usage_counts":
                week, country, path, count = row
                assert isinstance(count, int) and len(country) == 2 and path in ("support", "worried")
                continue
            if table == "job_claims" and CLAIM_KEY.match(row[0]):
                continue
            found.append(f"{table}: {row!r}")
    return found


def words_in(data: str | bytes) -> list[str]:
    """The address, subjects and topic words found in ``data``."""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    return [word for word in (ADDRESS, *SUBJECTS, *TOPICS) if word in text]


def check_nothing_kept(before, queue_storage) -> None:
    """No new row but the counter's; the address only in the member's account, no subject or mail text
    in any table; no address in the job queue's storage."""
    after = snapshot()
    assert new_traces(before, after) == []
    for table, rows in after.items():
        for row in rows:
            found = [word for word in words_in(repr(row)) if word not in ("worried", "support")]
            if table == "users" and found == [ADDRESS]:
                continue
            assert found == [], f"{table}: {row!r}"
    assert ADDRESS.encode() not in queue_storage()


@pytest.fixture
def pia(make_user):
    return make_user("pia", locale="de", country="DE", email=ADDRESS)


def test_a_visitor_leaves_only_the_counter(app, client, send_form, queue_storage, job_queue):
    before = snapshot()
    send_form(client, path="worried", country="DE", language="de", remind="on")
    check_nothing_kept(before, queue_storage)
    assert job_queue.queued() == [] and words_in(queue_storage()) == []


def test_a_member_leaves_only_the_counter_before_and_after_the_copy_is_sent(app, pia, login, send_form,
                                                                            smtp_server, queue_storage, job_queue):
    client = login(app.test_client(), pia)
    before = snapshot()
    send_form(client, path="worried", country="DE", language="de")
    check_nothing_kept(before, queue_storage)  # while the job waits: an account id and the choices
    assert job_queue.run() == ["helpcenter.send_copy"]
    assert len(smtp_server.messages) == 1
    check_nothing_kept(before, queue_storage)
    assert job_queue.queued() == []
    assert words_in(queue_storage()) == []  # the job, and the path it held, are gone from the queue


def test_a_reminder_waits_as_an_account_id_and_a_due_time(app, pia, login, send_form, smtp_server,
                                                          queue_storage, job_queue):
    client = login(app.test_client(), pia)
    before = snapshot()
    send_form(client, path="worried", country="DE", language="de", remind="on")
    job_queue.run()
    [reminder] = job_queue.queued()
    assert reminder.name == "helpcenter.remind" and reminder.args == (pia.id, "DE", "de")
    check_nothing_kept(before, queue_storage)
    assert words_in(queue_storage()) == []

    assert job_queue.run(now=utcnow() + timedelta(days=2, minutes=1)) == ["helpcenter.remind"]
    assert len(smtp_server.messages) == 2
    check_nothing_kept(before, queue_storage)
    assert job_queue.queued() == []


def test_mail_waiting_out_an_smtp_outage_is_kept_nowhere_but_the_queue(app, pia, login, send_form, smtp_server,
                                                                       queue_storage, job_queue):
    smtp_server.stop()
    client = login(app.test_client(), pia)
    before = snapshot()
    send_form(client, path="worried", country="DE", language="de", remind="on")
    job_queue.run()
    assert {job.name for job in job_queue.queued()} == {"helpcenter.send_copy", "helpcenter.remind"}
    check_nothing_kept(before, queue_storage)

    smtp_server.start()
    job_queue.run(now=utcnow() + timedelta(minutes=5))
    assert len(smtp_server.messages) == 1
    check_nothing_kept(before, queue_storage)


def test_mail_that_fails_for_good_leaves_nothing_behind(app, pia, login, send_form, smtp_server, queue_storage,
                                                        job_queue):
    smtp_server.reject_with = "451 4.3.0 Try again later"
    client = login(app.test_client(), pia)
    before = snapshot()
    send_form(client, path="worried", country="DE", language="de")
    assert job_queue.run(now=utcnow() + timedelta(hours=1)) == ["helpcenter.send_copy"] * 2  # both tries
    assert job_queue.queued() == [] and smtp_server.messages == []
    check_nothing_kept(before, queue_storage)
    assert words_in(queue_storage()) == []


def test_the_counter_has_no_column_that_could_hold_a_person_or_their_words():
    assert [c.name for c in UsageCount.__table__.columns] == ["week", "country", "path", "count"]


def test_uses_in_the_same_week_country_and_path_add_up_in_one_row(client, send_form):
    for path in ("support", "support", "worried"):
        send_form(client, path=path, country="DE", language="de")
    send_form(client, path="support", country="AT", language="de")
    rows = {(r.country, r.path): r.count for r in db.session.scalars(db.select(UsageCount))}
    assert rows == {("DE", "support"): 2, ("DE", "worried"): 1, ("AT", "support"): 1}


def test_the_fallback_country_is_what_gets_counted(client, send_form):
    send_form(client, path="support", country="XX", language="de")
    assert [(r.country, r.count) for r in db.session.scalars(db.select(UsageCount))] == [("DE", 1)]


def test_iso_week_labels_sort_and_match_the_calendar():
    assert iso_week(date(2026, 1, 1)) == "2026-W01"
    assert iso_week(date(2027, 1, 1)) == "2026-W53"
    assert iso_week(date(2026, 11, 21)) == "2026-W47"


def _add(week: str, country: str, path: str, count: int) -> None:
    db.session.add(UsageCount(week=week, country=country, path=path, count=count))


def test_statistics_show_counts_and_hide_every_cell_below_five(admin_client):
    _add("2026-W47", "DE", "support", 12)
    _add("2026-W47", "DE", "worried", 4)
    _add("2026-W47", "AT", "support", 5)
    _add("2026-W46", "DE", "support", 1)
    db.session.commit()
    page = admin_client.get("/admin/helpcenter/stats").get_data(as_text=True)
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", page)
    assert rows == [
        ("2026-W47", "Austria", "5", "&lt;5"),
        ("2026-W47", "Germany", "12", "&lt;5"),
        ("2026-W46", "Germany", "&lt;5", "&lt;5"),
    ]
    assert ">4<" not in page and ">1<" not in page


def test_statistics_page_through_older_weeks(admin_client):
    for week in range(1, 15):
        _add(f"2026-W{week:02d}", "DE", "support", 10 + week)
    db.session.commit()
    first = admin_client.get("/admin/helpcenter/stats").get_data(as_text=True)
    assert "<td>2026-W14</td>" in first and "<td>2026-W03</td>" in first and "<td>2026-W02</td>" not in first
    assert 'href="/admin/helpcenter/stats?before=2026-W03"' in first
    second = admin_client.get("/admin/helpcenter/stats?before=2026-W03").get_data(as_text=True)
    assert "<td>2026-W02</td>" in second and "<td>2026-W01</td>" in second and "<td>2026-W03</td>" not in second
    assert "Older weeks" not in second


def test_statistics_page_stays_within_the_query_budget(admin_client, count_queries):
    for week in range(1, 30):
        _add(f"2026-W{week:02d}", "DE", "support", week)
    db.session.commit()
    admin_client.get("/admin/helpcenter/stats")
    with count_queries() as queries:
        admin_client.get("/admin/helpcenter/stats")
    assert len(queries) <= 6


def test_statistics_when_nothing_was_counted_yet(admin_client):
    assert "The form has not been used yet." in admin_client.get("/admin/helpcenter/stats").get_data(as_text=True)
