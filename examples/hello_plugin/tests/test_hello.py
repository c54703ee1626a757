"""The greeting wall, tested with the fixtures ``core.testing`` ships for plugin authors.

Like the plugin itself, its tests import from core only ``core.plugin_api``.
"""
import pytest
from core.plugin_api import PluginMeta, User, db, hookimpl, utcnow

from commonground_hello.models import Greeting


@pytest.fixture
def hello_on(enable_plugin):
    enable_plugin("hello")


def add_greeting(author, message="Hi all!"):
    greeting = Greeting(author_id=author.id, message=message)
    db.session.add(greeting)
    db.session.commit()
    return greeting


def test_wall_is_not_found_while_the_plugin_is_disabled(client):
    assert client.get("/hello/").status_code == 404


def test_wall_lists_greetings_newest_first(hello_on, client, make_user):
    ada, bob = make_user("ada"), make_user("bob")
    add_greeting(ada, "Hello from Ada")
    add_greeting(bob, "Bob says hi")
    page = client.get("/hello/").get_data(as_text=True)
    assert page.index("Bob says hi") < page.index("Hello from Ada")


def test_member_leaves_a_greeting(hello_on, member_client, member):
    response = member_client.post("/hello/", data={"message": "  Glad to be here  "})
    assert response.status_code == 302
    greeting = db.session.scalars(db.select(Greeting)).one()
    assert (greeting.author_id, greeting.message) == (member.id, "Glad to be here")


def test_empty_greeting_is_rerendered_with_the_message_next_to_the_field(hello_on, member_client):
    response = member_client.post("/hello/", data={"message": "   "})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="message-error"' in page and 'aria-invalid="true"' in page
    assert db.session.scalars(db.select(Greeting)).all() == []


def test_a_missing_greeting_is_refused_in_a_sentence_in_the_members_language(hello_on, make_user, login, app):
    german = login(app.test_client(), make_user("erika", locale="de"))
    response = german.post("/hello/", data={})
    assert response.status_code == 400
    assert '<li>Dieses Feld ist erforderlich.</li>' in response.get_data(as_text=True)


def test_too_long_greeting_keeps_what_was_typed(hello_on, member_client):
    response = member_client.post("/hello/", data={"message": "x" * 141})
    assert response.status_code == 400
    assert "x" * 141 in response.get_data(as_text=True)


def test_visitor_must_log_in_to_greet(hello_on, client):
    response = client.post("/hello/", data={"message": "hi"})
    assert response.status_code in (302, 401)
    assert db.session.scalars(db.select(Greeting)).all() == []


def test_suspended_member_cannot_greet(hello_on, make_user, login, app):
    suspended = make_user("sus", suspended_at=utcnow())
    client = login(app.test_client(), suspended)
    client.post("/hello/", data={"message": "hi"})
    assert db.session.scalars(db.select(Greeting)).all() == []


def test_author_deletes_own_greeting(hello_on, member_client, member):
    greeting = add_greeting(member)
    assert member_client.post(f"/hello/{greeting.id}/delete").status_code == 302
    assert db.session.get(Greeting, greeting.id) is None


def test_someone_elses_greeting_cannot_be_deleted_and_is_not_revealed(hello_on, member_client, make_user):
    greeting = add_greeting(make_user("other"))
    assert member_client.post(f"/hello/{greeting.id}/delete").status_code == 404
    assert member_client.post("/hello/999999/delete").status_code == 404
    assert db.session.get(Greeting, greeting.id) is not None


def test_site_admin_removes_any_greeting(hello_on, admin_client, make_user):
    greeting = add_greeting(make_user("other"))
    assert admin_client.post(f"/hello/{greeting.id}/delete").status_code == 302
    assert db.session.get(Greeting, greeting.id) is None


def test_nav_item_and_footer_link_appear_only_while_enabled(client, enable_plugin):
    page = client.get("/").get_data(as_text=True)
    assert 'href="/hello/"' not in page
    enable_plugin("hello")
    page = client.get("/").get_data(as_text=True)
    assert page.count('href="/hello/"') == 2  # the nav item and the footer slot


def test_settings_change_headline_and_how_many_are_shown(hello_on, client, make_user, plugin_settings):
    author = make_user("ada")
    for n in range(3):
        add_greeting(author, f"greeting number {n}")
    plugin_settings("hello", {"headline": "Welcome, neighbours", "max_greetings": 2})
    page = client.get("/hello/").get_data(as_text=True)
    assert "Welcome, neighbours" in page
    assert "greeting number 2" in page and "greeting number 1" in page and "greeting number 0" not in page


def test_invalid_settings_are_rejected(hello_on, app, plugin_settings):
    from marshmallow import ValidationError

    with app.test_request_context(), pytest.raises(ValidationError) as err:
        plugin_settings("hello", {"headline": "", "max_greetings": 0})
    assert set(err.value.messages) == {"headline", "max_greetings"}


def test_wall_needs_a_fixed_number_of_queries(hello_on, member_client, make_user, count_queries):
    for n in range(3):
        add_greeting(make_user(), f"hi {n}")
    with count_queries() as few:
        member_client.get("/hello/")
    for n in range(20):
        add_greeting(make_user(), f"hello {n}")
    with count_queries() as many:
        member_client.get("/hello/")
    assert len(many) == len(few) <= 6


def test_member_data_is_exported_and_erased(hello_on, member, export_data, erase_account):
    add_greeting(member, "mine")
    assert export_data(member)["plugins"]["hello"]["greetings"][0]["message"] == "mine"
    erase_account(member)
    assert db.session.scalars(db.select(Greeting)).all() == []


def test_wall_speaks_german_from_the_plugins_own_catalog(hello_on, make_user, login, app):
    german = login(app.test_client(), make_user("erika", locale="de"))
    page = german.get("/hello/").get_data(as_text=True)
    assert "Neueste Grüße" in page and "Einen Gruß hinterlassen" in page


def _plugin_hiding(username):
    """A stand-in for a blocking plugin: hides one person from everyone through the policy hook."""
    import types

    module = types.ModuleType("hides_someone")
    module.META = PluginMeta(id="hides_someone", name="Hides someone", version="1")

    @hookimpl
    def hidden_user_ids(viewer):
        return db.select(User.id).where(User.username == username)

    module.hidden_user_ids = hidden_user_ids
    return module


@pytest.mark.plugins("commonground_hello", _plugin_hiding("blocked"))
def test_greetings_of_people_hidden_from_the_viewer_are_left_out(enable_plugin, member_client, make_user):
    enable_plugin("hello")
    enable_plugin("hides_someone")
    add_greeting(make_user("blocked"), "you should not see me")
    add_greeting(make_user("friend"), "hello friend")
    page = member_client.get("/hello/").get_data(as_text=True)
    assert "hello friend" in page and "you should not see me" not in page
