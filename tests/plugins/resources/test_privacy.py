"""Reading and voting leave no per-person trace: only weekly integers per resource."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import inspect, text

from core.extensions import db


def snapshot() -> dict[str, set]:
    """Every row of every table, as tuples of strings."""
    rows = {}
    for table in inspect(db.engine).get_table_names():
        found = db.session.execute(text(f'SELECT * FROM "{table}"')).all()
        rows[table] = {tuple(str(v) for v in row) for row in found}
    return rows


def test_reading_and_voting_store_nothing_that_links_a_person(app, client, login, make_user, hub, make_resource,
                                                              job_queue):
    first, second = make_resource(title="First"), make_resource(title="Second")
    reader = make_user("reader")
    member = login(app.test_client(), reader)
    db.session.commit()
    member.get("/resources/wellbeing/")  # log-in bookkeeping happens before the snapshot
    job_queue.run()
    before = snapshot()

    for browser in (client, member):
        for resource in (first, second):
            assert browser.get(f"/resources/wellbeing/r/{resource.id}").status_code == 200
        browser.post(f"/resources/wellbeing/r/{first.id}/vote", data={"helpful": "yes"})
        browser.post(f"/resources/wellbeing/r/{second.id}/vote", data={"helpful": "no"})
    job_queue.tick(datetime(2026, 12, 7, 9, 5, tzinfo=UTC))  # the five-minute flush of buffered reads
    db.session.expire_all()
    after = snapshot()

    changed = {table: after[table] - before.get(table, set()) for table in after}
    changed = {table: rows for table, rows in changed.items() if rows}
    # job_claims: the scheduler's claim of the flush job's minute (a job name and a time).
    assert set(changed) <= {"resources_read_counts", "resources_vote_counts", "job_claims"}
    assert {"resources_read_counts", "resources_vote_counts"} <= set(changed)
    person = {str(reader.id), reader.username, reader.email}
    for row in changed.get("job_claims", ()):
        assert not any(part in row[0] for part in person if len(part) > 2), row
    columns = {table: [c["name"] for c in inspect(db.engine).get_columns(table)]
               for table in ("resources_read_counts", "resources_vote_counts")}
    assert columns == {"resources_read_counts": ["resource_id", "week", "count"],
                       "resources_vote_counts": ["resource_id", "week", "yes", "no"]}
    reads = dict(db.session.execute(text("SELECT resource_id, count FROM resources_read_counts")).all())
    assert reads == {first.id: 2, second.id: 2}


def test_the_session_remembers_only_resource_ids_and_the_week(client, hub, make_resource):
    resource = make_resource()
    client.post(f"/resources/wellbeing/r/{resource.id}/vote", data={"helpful": "yes"})
    with client.session_transaction() as session:
        assert set(session["resources_votes"]) == {"week", "ids"} and session["resources_votes"]["ids"] == [resource.id]


def test_one_vote_per_resource_per_week(client, hub, make_resource):
    resource = make_resource()
    for _ in range(3):
        client.post(f"/resources/wellbeing/r/{resource.id}/vote", data={"helpful": "yes"})
    assert db.session.execute(text("SELECT yes, no FROM resources_vote_counts")).all() == [(1, 0)]


def test_a_member_cannot_vote_again_after_a_new_session(app, login, make_user, hub, make_resource):
    """Logging in again (a fresh cookie) does not allow a second vote: the one-way key in the limit store holds."""
    resource = make_resource()
    reader = make_user("reader")
    for _ in range(2):
        login(app.test_client(), reader).post(f"/resources/wellbeing/r/{resource.id}/vote", data={"helpful": "no"})
    assert db.session.execute(text("SELECT yes, no FROM resources_vote_counts")).all() == [(0, 1)]


def test_the_member_key_in_the_limit_store_does_not_contain_their_id(app, login, make_user, hub, make_resource):
    from core.extensions import limiter

    resource = make_resource()
    reader = make_user("reader")
    login(app.test_client(), reader).post(f"/resources/wellbeing/r/{resource.id}/vote", data={"helpful": "yes"})
    keys = [k for k in limiter.storage.storage if "resources-vote" in k]
    assert len(keys) == 1 and f"|{reader.id}|" not in keys[0] and reader.username not in keys[0]


def test_small_counts_are_hidden_from_editors(app, login, hub, make_resource, writer, job_queue):
    from plugins.resources.counting import iso_week
    from plugins.resources.models import ReadCount, VoteCount

    resource = make_resource()
    db.session.add_all([ReadCount(resource_id=resource.id, week=iso_week(), count=12),
                        VoteCount(resource_id=resource.id, week=iso_week(), yes=7, no=2)])
    db.session.commit()
    page = login(app.test_client(), writer).get(f"/resources/wellbeing/r/{resource.id}").get_data(as_text=True)
    assert "<td>12</td>" in page and "<td>7</td>" in page
    assert "<td>2</td>" not in page and "fewer than 5" in page


def test_a_get_writes_nothing_to_the_database(client, hub, make_resource, count_queries):
    resource = make_resource()
    client.get(f"/resources/wellbeing/r/{resource.id}")
    with count_queries() as statements:
        client.get(f"/resources/wellbeing/r/{resource.id}")
    assert not [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


def test_an_editor_exports_their_roles_and_revisions(hub, make_resource, writer, export_data):
    make_resource(title="Written by the writer")
    data = export_data(writer)["plugins"]["resources"]
    assert data["hub_roles"] == [{"hub": "wellbeing", "role": "editor"}]
    assert [r["title"] for r in data["revisions"]] == ["Written by the writer"]


def test_erasing_an_editor_keeps_published_words_without_their_name(hub, make_resource, writer, erase_account):
    from plugins.resources.models import HubRole, Revision

    make_resource(title="Kept")
    erase_account(writer)
    assert db.session.scalar(db.select(Revision.title)) == "Kept"
    assert db.session.scalar(db.select(Revision.author_id)) is None
    assert db.session.scalar(db.select(HubRole).where(HubRole.user_id == writer.id)) is None
