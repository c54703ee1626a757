"""The test kit itself (``core.testing``): apps reused per (plugins, config) and reset before each
test, a client that sends CSRF tokens like a browser, and a docstring on every fixture."""
from __future__ import annotations

import inspect

import pytest

from core import testing
from core.extensions import db, limiter


def kit_fixtures() -> dict[str, object]:
    return {name: obj for name, obj in vars(testing).items() if getattr(obj, "_fixture_function_marker", None)}


def test_every_fixture_of_the_test_kit_says_what_it_gives():
    fixtures = kit_fixtures()
    assert {"app", "client", "csrf_client", "make_user", "count_queries", "job_queue"} <= set(fixtures)
    undocumented = [name for name, fixture in fixtures.items()
                    if not inspect.getdoc(fixture._get_wrapped_function() if hasattr(fixture, "_get_wrapped_function")
                                          else fixture)]
    assert undocumented == []


# --- reused apps -------------------------------------------------------------------------------


@pytest.fixture
def cache(app):
    """A cache of its own, so the apps it builds and resets are not the suite's."""
    own = testing.AppCache(size=2)
    yield own
    own.clear()
    limiter.init_app(app)  # the limiter object is shared: point it back at this test's app


@pytest.fixture
def built_with(app):
    """(plugins, config) to build apps with: the recorder plugin, this test's config."""
    return ["tests.plugins.fixtures.recorder"], dict(app.extensions["commonground.testing"]["config"])


def test_the_same_plugins_and_config_get_the_same_app(cache, built_with):
    plugins, config = built_with
    first = cache.checkout(plugins, config)
    assert cache.checkout(plugins, dict(config)) is first
    assert cache.checkout(plugins, {**config, "MAIL_SPOOL_DIR": "/elsewhere"}) is first  # a per-test path
    assert cache.checkout(plugins, {**config, "SITE_NAME": "Other"}) is not first
    assert cache.checkout([], config) is not first


def test_a_reused_app_comes_back_as_it_was_built(cache, built_with):
    plugins, config = built_with
    reused = cache.checkout(plugins, config)
    with reused.app_context():
        reused.config["SITE_NAME"] = "Changed by a test"
        reused.config["LANGUAGES"].append("fr")
        registry = reused.extensions["commonground.plugins"]
        registry.refresh()
        registry.state.site_enabled.add("recorder")
        reused.extensions["commonground.cards"] = object()
        limiter.storage.incr("some-key", 60)
        from core.jobs import get_registry

        get_registry(reused).queue.enqueue(get_registry(reused).jobs["recorder.note"].task.s("hello"))
    assert cache.checkout(plugins, {**config, "MAIL_SPOOL_DIR": "/tmp/this-test",
                                    "UPLOADS_DIR": "/tmp/this-test/uploads"}) is reused
    assert str(reused.extensions["commonground.storage"].root) == "/tmp/this-test/uploads"
    with reused.app_context():
        assert reused.config["SITE_NAME"] == config.get("SITE_NAME", "Common Ground")
        assert "fr" not in reused.config["LANGUAGES"]
        assert reused.config["MAIL_SPOOL_DIR"] == "/tmp/this-test"
        assert not reused.extensions["commonground.plugins"].is_enabled("recorder")
        assert "commonground.cards" not in reused.extensions
        assert limiter.storage.get("some-key") == 0
        assert len(get_registry(reused).queue) == 0


def test_a_reused_app_keeps_jobs_and_counts_in_each_tests_own_queue(cache, built_with, tmp_path):
    """Tests that give the queue a file or name of their own share an app of that kind of queue."""
    from core import counters
    from core.jobs import get_registry

    plugins, config = built_with
    first, second = tmp_path / "first" / "jobs.sqlite", tmp_path / "second" / "jobs.sqlite"
    reused = cache.checkout(plugins, {**config, "JOBS_URL": f"sqlite:///{first}", "JOBS_NAME": "first"})
    assert cache.checkout(plugins, {**config, "JOBS_URL": f"sqlite:///{second}", "JOBS_NAME": "second"}) is reused
    assert cache.checkout(plugins, {**config, "JOBS_URL": "memory://"}) is not reused  # another kind of queue
    assert cache.checkout(plugins, {**config, "JOBS_URL": f"sqlite:///{second}", "JOBS_NAME": "second"}) is reused
    with reused.app_context():
        queue = get_registry(reused).queue
        queue.enqueue(get_registry(reused).jobs["recorder.note"].task.s("hello"))
        counters.add("reads", "1")
        assert queue.name == "second" and len(queue) == 1
    assert second.exists() and (second.parent / "counters.sqlite").exists()
    assert not first.exists() and not (first.parent / "counters.sqlite").exists()


def test_the_least_recently_used_app_is_let_go(cache, built_with):
    plugins, config = built_with
    oldest = cache.checkout(plugins, config)
    cache.checkout(plugins, {**config, "SITE_NAME": "Second"})
    cache.checkout(plugins, {**config, "SITE_NAME": "Third"})
    assert len(cache.apps) == 2 and cache.checkout(plugins, config) is not oldest


def test_a_shared_app_refuses_a_new_route_and_says_how_to_get_ones_own(cache, built_with):
    shared = cache.checkout(*built_with)
    with pytest.raises(AssertionError, match=r"@pytest.mark.fresh_app"):
        shared.add_url_rule("/_kit/probe", "kit_probe", lambda: "probe")


def test_apps_one_test_uses_side_by_side_are_told_apart_by_their_slot(cache, built_with):
    main = cache.checkout(*built_with)
    second = cache.checkout(*built_with, slot=1)
    assert second is not main and cache.checkout(*built_with, slot=1) is second


def test_a_reused_apps_page_cache_comes_back_empty_with_no_hits_or_misses(cache, built_with):
    reused = cache.checkout(*built_with)
    pages = reused.extensions["commonground.page_cache"]
    pages.hits = pages.misses = 3
    assert cache.checkout(*built_with) is reused and (pages.hits, pages.misses) == (0, 0)


def test_make_app_with_reuse_takes_each_second_app_from_the_kits_cache(app, make_app):
    second, third = make_app(reuse=True), make_app(reuse=True)
    cached = [found for found, _snapshot in testing._apps.apps.values()]
    assert len({id(app), id(second), id(third)}) == 3 and second in cached and third in cached
    assert make_app() not in cached  # without reuse: built, as a test of startup needs


@pytest.mark.fresh_app
def test_fresh_app_marker_builds_the_tests_own_app(app):
    app.add_url_rule("/_kit/probe", "kit_probe", lambda: "probe")
    assert app.test_client().get("/_kit/probe").text == "probe"
    assert app not in [found for found, _snapshot in testing._apps.apps.values()]


# --- rows wiped after each test -------------------------------------------------------------


def rows(*models) -> list[int]:
    return [db.session.scalar(db.select(db.func.count()).select_from(model)) for model in models]


def test_the_wipe_empties_every_table_the_test_wrote_to(app, make_group, make_user, make_post):
    from core.models import Group, Membership, Post, User

    owner = make_user()
    make_post(make_group(owner=owner, members=(make_user(),)), owner)
    db.session.remove()
    testing._wipe(db)
    assert rows(User, Group, Membership, Post) == [0, 0, 0, 0]


def test_after_the_wipe_ids_start_at_1_again(app, make_user):
    for _ in range(3):
        make_user()
    db.session.remove()
    testing._wipe(db)
    assert make_user().id == 1


def test_the_wipe_restarts_the_ids_of_a_table_the_test_had_already_emptied(app, make_user):
    from core.models import User

    make_user(), make_user()
    db.session.execute(db.delete(User))
    db.session.commit()
    testing._wipe(db)
    assert make_user().id == 1


def test_the_wipe_empties_a_table_filled_in_bulk_and_the_tables_referring_to_it(app, make_user, make_group,
                                                                                 monkeypatch):
    from core.models import Group, Membership, User

    monkeypatch.setattr(testing, "BULK_ROWS", 2)  # on PostgreSQL: truncated (with CASCADE), not deleted
    make_group(members=(make_user(), make_user()))
    db.session.remove()
    testing._wipe(db)
    assert rows(User, Group, Membership) == [0, 0, 0]
    assert make_user().id == 1


# --- CSRF ------------------------------------------------------------------------------------


@pytest.fixture
def open_group(make_group):
    return make_group(slug="open-door", join_mode="open")


def test_csrf_client_posts_forms_as_a_browser_does(app, csrf_client, member, open_group):
    assert app.config["WTF_CSRF_ENABLED"] is True
    response = csrf_client(member).post("/g/open-door/join")
    assert response.status_code == 302
    db.session.expire_all()
    assert open_group.member_count == 2


def test_csrf_client_posts_after_a_page_that_showed_a_form(app, csrf_client, member, open_group):
    """A page with a form leaves its token in the test's ``g``: the client's own token still gets
    its secret into the session (it raised KeyError: 'csrf_token')."""
    client = csrf_client()
    assert client.get("/login").status_code == 200
    assert client.post("/login", data={"login": "member", "password": "correct horse battery"}).status_code == 302
    assert client.post("/g/open-door/join").status_code == 302


def test_without_the_helper_the_same_form_is_refused(app, csrf_client, member, open_group, login):
    csrf_client(member)
    plain = login(app.test_client(), member)
    assert plain.post("/g/open-door/join").status_code == 400
    db.session.expire_all()
    assert open_group.member_count == 1


def test_csrf_client_sends_the_token_with_an_api_call_over_the_session(app, csrf_client, member, open_group, login):
    response = csrf_client(member).post("/api/v1/groups/open-door/members", json={})
    assert response.status_code == 201, response.get_json()
    refused = login(app.test_client(), member).delete("/api/v1/groups/open-door/members/member")
    assert refused.status_code == 400
