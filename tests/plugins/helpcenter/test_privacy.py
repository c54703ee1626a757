"""Privacy by design: a use of the form leaves one counter by ISO week, country and path – nothing else."""
from __future__ import annotations

import re
from datetime import date

import pytest

from core.extensions import db
from core.outbox import send_pending
from plugins.helpcenter.models import UsageCount
from plugins.helpcenter.usage import iso_week


@pytest.fixture
def app_config(smtp_config):
    return smtp_config


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table the app knows, as plain tuples."""
    db.session.expire_all()
    with db.engine.connect() as conn:
        return {
            table.name: sorted((tuple(row) for row in conn.execute(table.select())), key=repr)
            for table in db.metadata.sorted_tables
        }


def test_using_the_form_writes_nothing_but_a_weekly_counter(app, make_user, login, send_form, smtp_server):
    member = make_user("pia", locale="de", country="DE")
    client = login(app.test_client(), member)
    client.get("/help")
    before = snapshot()
    assert "helpcenter_usage_counts" in before and "outbox_messages" in before and "users" in before

    assert send_form(client, path="worried", country="DE", language="de").status_code == 200
    assert send_pending().sent == 1
    assert len(smtp_server.messages) == 1

    after = snapshot()
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"helpcenter_usage_counts"}
    assert after["helpcenter_usage_counts"] == [(iso_week(), "DE", "worried", 1)]


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
