"""Plugins' search sources: declared through ``search_sources``, held per app, filtered by core.

``tests.plugins.fixtures.searchable`` is a group-scope plugin with notes; a private note is for
its author only (the source's own ``visible`` filter). Misbehaving sources are built here as
throwaway plugin modules and must fail loudly, naming the plugin and the source.
"""
from __future__ import annotations

import types

import pytest
from sqlalchemy import select, true

from core.extensions import db
from core.models import Post, SearchEntry
from core.plugins import PluginMeta
from core.plugins import state as plugin_state
from core.plugins.specs import hookimpl
from core.search import SearchDocument, SearchSourceError, get_registry
from tests.plugins.fixtures import searchable
from tests.plugins.fixtures.searchable import Note

SEARCHABLE = "tests.plugins.fixtures.searchable"


@pytest.fixture
def app_plugins():
    return [SEARCHABLE]


@pytest.fixture
def notes_table(app):
    searchable.create_tables()
    yield
    db.session.remove()
    searchable.drop_tables()


@pytest.fixture
def garden(make_group, member):
    return make_group(slug="garden", name="Garden", members=(member,))


def add_note(group, author, title: str, text: str = "", private: bool = False) -> Note:
    note = Note(group_id=group.id, author_id=author.id, title=title, text=text, private=private)
    db.session.add(note)
    db.session.commit()
    return note


def types_found(client, q: str) -> list[tuple[str, int]]:
    response = client.get("/api/v1/search", query_string={"q": q})
    assert response.status_code == 200, response.get_json()
    return [(hit["type"], hit["id"]) for hit in response.get_json()["items"]]


def plugin(plugin_id: str, sources, scope: str = "site") -> types.ModuleType:
    """A throwaway plugin module whose ``search_sources`` returns ``sources``."""
    module = types.ModuleType(f"throwaway_{plugin_id}")
    module.META = PluginMeta(id=plugin_id, name=plugin_id.title(), version="1", scope=scope)

    @hookimpl
    def search_sources():
        return sources

    module.search_sources = search_sources
    return module


# --- the registry -----------------------------------------------------------------------------


def test_core_and_plugin_sources_are_held_per_app(app, make_app):
    assert [source.name for source in get_registry(app)] == ["post", "comment", "group", "profile", "searchable"]
    assert get_registry(app).get("searchable").plugin_id == "searchable"
    other = make_app(plugins=[])
    assert "searchable" not in get_registry(other).sources


def test_a_source_declared_twice_fails_loudly_naming_both_plugins(make_app):
    first = plugin("alpha", [searchable.source(name="alpha_two_notes")])
    second = plugin("alpha_two", [searchable.source(name="alpha_two_notes", model=Post)])
    with pytest.raises(SearchSourceError, match="'alpha_two_notes' is declared twice: by plugin 'alpha' and by "
                                                "plugin 'alpha_two'"):
        make_app(plugins=[first, second])


def test_a_plugin_cannot_take_a_core_source_name(make_app):
    with pytest.raises(SearchSourceError, match="plugin 'sneaky': search source 'post' must be named 'sneaky'"):
        make_app(plugins=[plugin("sneaky", [searchable.source(name="post")])])


def test_two_sources_for_one_model_fail_loudly(make_app):
    with pytest.raises(SearchSourceError, match="plugin 'posty': search source 'posty' indexes Post, which "
                                                "source 'post' of plugin 'core' indexes already"):
        make_app(plugins=[plugin("posty", [searchable.source(name="posty", model=Post)])])


def test_a_plugin_returning_something_else_fails_loudly(make_app):
    with pytest.raises(SearchSourceError, match="plugin 'odd' returned 'notes' from search_sources"):
        make_app(plugins=[plugin("odd", ["notes"])])


def test_a_plugin_whose_hook_raises_is_left_out_and_the_app_starts(make_app, caplog):
    module = plugin("crashy", [])

    @hookimpl
    def search_sources():
        raise RuntimeError("boom")

    module.search_sources = search_sources
    other = make_app(plugins=[module])
    assert [source.name for source in get_registry(other)] == ["post", "comment", "group", "profile"]
    assert "plugin crashy failed in hook search_sources" in caplog.text  # logged by the hook runner


# --- a plugin's content in search ---------------------------------------------------------------


def test_a_plugin_note_is_found_where_the_plugin_is_on(member_client, member, garden, enable_plugin, notes_table):
    note = add_note(garden, member, "Watering rota", "Who waters on Tuesday?")
    assert types_found(member_client, "rota") == []  # installed, not enabled
    enable_plugin("searchable", group=garden)
    assert types_found(member_client, "rota") == [("searchable", note.id)]
    hit = member_client.get("/api/v1/search?q=tuesday").get_json()["items"][0]
    assert hit["url"] == f"http://localhost/g/garden#note-{note.id}" and hit["group"]["slug"] == "garden"


def test_a_group_plugin_switched_off_in_a_group_hides_its_content_there_only(
        member_client, member, garden, make_group, enable_plugin, notes_table):
    orchard = make_group(slug="orchard", name="Orchard", members=(member,))
    in_garden = add_note(garden, member, "Compost rota")
    in_orchard = add_note(orchard, member, "Pruning rota")
    enable_plugin("searchable", group=garden)
    enable_plugin("searchable", group=orchard)
    assert sorted(types_found(member_client, "rota")) == [("searchable", in_garden.id), ("searchable", in_orchard.id)]
    plugin_state.set_group_enabled("searchable", orchard, False)
    assert types_found(member_client, "rota") == [("searchable", in_garden.id)]


def test_a_plugin_disabled_site_wide_leaves_search_and_comes_back_with_its_data(
        member_client, member, garden, enable_plugin, notes_table):
    note = add_note(garden, member, "Seed library")
    enable_plugin("searchable", group=garden)
    plugin_state.set_enabled("searchable", False)
    assert types_found(member_client, "library") == []
    assert 'value="searchable"' not in member_client.get("/search").get_data(as_text=True)
    response = member_client.get("/api/v1/search", query_string={"q": "library", "type": "searchable"})
    assert response.status_code == 422 and "type" in response.get_json()["errors"]["query"]
    plugin_state.set_enabled("searchable", True)
    assert types_found(member_client, "library") == [("searchable", note.id)]


def test_the_sources_own_filter_is_applied(client, login, member, make_user, garden, add_member, enable_plugin,
                                          notes_table):
    other = make_user("other")
    add_member(garden, other)
    enable_plugin("searchable", group=garden)
    diary = add_note(garden, member, "Secret diary", private=True)
    assert types_found(login(client, member), "diary") == [("searchable", diary.id)]
    assert types_found(login(client.application.test_client(), other), "diary") == []
    assert types_found(client.application.test_client(), "diary") == []


def test_cores_rules_hold_for_plugin_content_too(client, login, member, make_user, make_group, enable_plugin,
                                                notes_table):
    secret = make_group(slug="hideout", visibility="private", members=(member,))
    enable_plugin("searchable", group=secret)
    note = add_note(secret, member, "Map of the treasure")
    assert types_found(login(client, member), "treasure") == [("searchable", note.id)]
    assert types_found(login(client.application.test_client(), make_user("outsider")), "treasure") == []


def test_plugin_content_follows_edits_and_deletes(member_client, member, garden, enable_plugin, notes_table):
    enable_plugin("searchable", group=garden)
    note = add_note(garden, member, "Hose repair")
    note.title = "Hose replaced"
    db.session.commit()
    assert types_found(member_client, "repair") == [] and types_found(member_client, "replaced") != []
    db.session.delete(note)
    db.session.commit()
    assert types_found(member_client, "replaced") == []


def test_the_search_page_offers_the_plugins_type_while_it_is_on(member_client, enable_plugin):
    assert 'value="searchable"' not in member_client.get("/search").get_data(as_text=True)
    enable_plugin("searchable")
    assert '<option value="searchable" >Notes</option>' in member_client.get("/search").get_data(as_text=True)


# --- misbehaving sources fail loudly ------------------------------------------------------------


def leaky_app(make_app, notes_table, **changes):
    """An app whose (site-scope) ``leaky`` plugin indexes notes with the given source changes."""
    module = plugin("leaky", [searchable.source(name="leaky", **changes)])
    other = make_app(plugins=[module])
    with other.app_context():
        plugin_state.set_enabled("leaky", True)
    return other


def test_a_source_whose_filter_is_not_sql_fails_loudly(make_app, member, garden, notes_table):
    """``True`` would hand every row to every viewer; core refuses to guess and names the culprit."""
    other = leaky_app(make_app, notes_table, visible=lambda viewer, entries: True)
    with other.app_context():
        add_note(garden, member, "Everything visible")
    with other.app_context(), other.test_request_context("/"), pytest.raises(
            SearchSourceError, match="plugin 'leaky', search source 'leaky': visible\\(\\) must return a SQL "
                                     "expression over SearchEntry"):
        from core.search import search

        search(member, "visible")


def test_a_source_whose_filter_reads_another_table_directly_fails_loudly(make_app, member, garden, notes_table):
    """``Note.private == False`` outside a subquery would pair every hit with every note."""
    other = leaky_app(make_app, notes_table, visible=lambda viewer, entries: Note.private.is_(False))
    with other.app_context(), other.test_request_context("/"), pytest.raises(
            SearchSourceError, match="plugin 'leaky', search source 'leaky': visible\\(\\) reads searchable_notes "
                                     "outside a subquery"):
        from core.search import search

        add_note(garden, member, "Pairs")
        search(member, "pairs")


def test_a_source_whose_filter_raises_fails_loudly(make_app, member, notes_table):
    def broken(viewer, entries):
        raise KeyError("oops")

    other = leaky_app(make_app, notes_table, visible=broken)
    with other.app_context(), other.test_request_context("/"), pytest.raises(
            SearchSourceError, match="plugin 'leaky', search source 'leaky': visible\\(\\) raised KeyError"):
        from core.search import search

        search(member, "anything")


def test_in_production_a_broken_source_is_left_out_and_logged(make_app, member, garden, notes_table, make_post,
                                                              caplog):
    other = leaky_app(make_app, notes_table, visible=lambda viewer, entries: True)
    other.testing = False
    with other.app_context():
        add_note(garden, member, "Beans note")
        make_post(garden, member, "Beans post")
        body = other.test_client().get("/api/v1/search?q=beans").get_json()
    assert [item["type"] for item in body["items"]] == ["post"]
    assert "plugin 'leaky', search source 'leaky': visible() must return a SQL expression" in caplog.text


def test_a_group_plugins_document_without_a_group_fails_loudly(make_app, member, garden, notes_table):
    module = plugin("groupy", [searchable.source(
        name="groupy", document=lambda note: SearchDocument(object_id=note.id, title=note.title))], scope="group")
    other = make_app(plugins=[module])
    with other.app_context(), pytest.raises(
            SearchSourceError, match="plugin 'groupy', search source 'groupy': a group plugin's documents need a "
                                     "group_id"):
        add_note(garden, member, "Loose note")
    with other.app_context():
        db.session.rollback()
        assert db.session.scalar(select(Note.id)) is None  # the write failed with it: nothing half-done


def test_a_document_for_another_row_fails_loudly(make_app, member, garden, notes_table):
    other = leaky_app(make_app, notes_table, document=lambda note: SearchDocument(object_id=note.id + 1000, title="x",
                                                                            group_id=note.group_id))
    with other.app_context(), pytest.raises(SearchSourceError, match="document\\(\\) for row 1 says "
                                                                     "object_id=1001"):
        add_note(garden, member, "Wrong id")


def test_a_source_with_no_extra_rules_says_so_with_true(make_app, member, garden, notes_table):
    other = leaky_app(make_app, notes_table, visible=lambda viewer, entries: true())
    with other.app_context():
        note = add_note(garden, member, "Open note")
        hits = other.test_client().get("/api/v1/search?q=open").get_json()["items"]
        assert [(hit["type"], hit["id"]) for hit in hits] == [("leaky", note.id)]
        assert db.session.scalar(select(SearchEntry.title).where(SearchEntry.source == "leaky")) == "Open note"
