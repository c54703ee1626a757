"""Search reuses its statement per viewer and kind of search, and runs it with each search's values.

Building the statement (and SQLAlchemy's cache key for it) cost more than running it, so
``core.search.query`` keeps it while what the sources and plugins answered for the viewer is
the same; the words, the group and the cursor are bound when it runs. What a viewer finds must
be exactly what a statement built afresh finds.
"""
from __future__ import annotations

import pytest

from core.extensions import db
from core.search import query
from core.search import search as run_search
from tests.plugins.fixtures import searchable
from tests.plugins.fixtures.searchable import Note

SEARCHABLE = "tests.plugins.fixtures.searchable"


@pytest.fixture
def app_plugins():
    return [SEARCHABLE]


@pytest.fixture
def builds(monkeypatch):
    """How many search statements were built, from an empty store of reused ones."""
    monkeypatch.setattr(query, "_STATEMENTS", {})
    count = {"built": 0}
    build = query._build

    def counting(*args, **kwargs):
        count["built"] += 1
        return build(*args, **kwargs)

    monkeypatch.setattr(query, "_build", counting)
    return count


@pytest.fixture
def garden(make_group, member):
    return make_group(slug="garden", name="Garden", members=(member,))


def object_ids(app, viewer, q: str, **options) -> list[int]:
    with app.test_request_context("/"):
        return [hit.object_id for hit in run_search(viewer, q, **options).items]


def test_a_viewers_next_search_reuses_the_statement_with_its_own_words(app, member, garden, make_post, builds):
    beans = make_post(garden, member, "Beans in rows")
    leeks = make_post(garden, member, "Leeks in rows")
    assert object_ids(app, member, "beans") == [beans.id]
    assert object_ids(app, member, "leeks") == [leeks.id]
    assert builds["built"] == 1


def test_a_cursor_page_and_a_group_search_bind_their_own_values(app, member, garden, make_group, make_post, builds):
    shed = make_group(slug="shed", name="Shed", members=(member,))
    posts = [make_post(garden, member, f"Compost note {n}") for n in range(5)]
    elsewhere = make_post(shed, member, "Compost in the shed")
    seen, after = [], None
    with app.test_request_context("/"):
        while True:
            page = run_search(member, "compost", group="garden", after=after, limit=2)
            seen.extend(hit.object_id for hit in page.items)
            after = page.next
            if after is None:
                break
    assert sorted(seen) == sorted(post.id for post in posts)
    assert object_ids(app, member, "compost", group="shed", limit=2) == [elsewhere.id]
    assert builds["built"] == 2  # the first page, then every page after a cursor


def test_another_viewer_gets_a_statement_of_their_own(app, member, make_user, make_group, make_post, builds):
    outsider = make_user("outsider")
    hideout = make_group(slug="hideout", visibility="private", members=(member,))
    plan = make_post(hideout, member, "Secret plan")
    assert object_ids(app, outsider, "plan") == []
    assert object_ids(app, member, "plan") == [plan.id]
    assert object_ids(app, outsider, "plan") == []
    assert builds["built"] == 2


def test_a_source_whose_filter_is_new_on_every_call_is_built_afresh_and_not_kept(app, member, garden,
                                                                                  enable_plugin, builds):
    """The fixture plugin's ``visible`` builds a new clause on every call: nothing to reuse it by."""
    searchable.create_tables()
    try:
        enable_plugin("searchable", group=garden)
        note = Note(group_id=garden.id, author_id=member.id, title="Garlic note", text="", private=True)
        db.session.add(note)
        db.session.commit()
        for _ in range(3):
            assert object_ids(app, member, "garlic") == [note.id]
        assert builds["built"] == 3
        assert query._STATEMENTS == {}
    finally:
        db.session.remove()
        searchable.drop_tables()
