"""Hot paths read Flask's context directly, not through Werkzeug's proxies, and hand plugins the
objects themselves: the same answers as through ``current_user`` and ``g``."""
from __future__ import annotations

from flask_login import current_user, login_user
from werkzeug.local import LocalProxy

from core.plugins.registry import get_plugins
from core.ui import forget_request_memos, request_memo, viewer
from core.visibility import forget_answers, hidden_user_select


def test_the_viewer_is_the_logged_in_member_itself(app, make_user):
    member = make_user()
    with app.test_request_context("/"):
        login_user(member)
        assert viewer() is member
        assert viewer() is current_user._get_current_object()


def test_a_visitor_is_flask_logins_anonymous_user(app):
    with app.test_request_context("/"):
        found = viewer()
        assert found is current_user._get_current_object()
        assert found.is_authenticated is False


def test_outside_a_request_there_is_no_viewer(app):
    with app.app_context():
        assert viewer() is None


def test_plugins_are_asked_who_is_hidden_with_the_member_not_the_proxy(app, make_user, monkeypatch):
    member = make_user()
    asked: list = []
    plugins = get_plugins(app)
    monkeypatch.setattr(plugins, "call", lambda name, **kwargs: asked.append(kwargs["viewer"]) or [])
    with app.test_request_context("/"):
        login_user(member)
        assert hidden_user_select(current_user) is None
    assert len(asked) == 1 and asked[0] is member
    assert not isinstance(asked[0], LocalProxy)


def test_the_plugin_registry_is_the_current_apps(app):
    with app.app_context():
        assert get_plugins() is app.extensions["commonground.plugins"]


def test_a_request_memo_is_one_dict_per_name_for_the_whole_request(app):
    with app.test_request_context("/"):
        links = request_memo("tests.links")
        links["post"] = "pattern"
        assert request_memo("tests.links") is links
        assert request_memo("tests.other") == {}


def test_the_next_request_starts_with_an_empty_memo(app):
    with app.test_request_context("/"):
        request_memo("tests.links")["post"] = "pattern"
    with app.test_request_context("/"):
        assert request_memo("tests.links") == {}


def test_outside_a_request_a_request_memo_remembers_nothing(app):
    with app.app_context():
        request_memo("tests.links")["post"] = "pattern"
        assert request_memo("tests.links") == {}


def test_a_forgotten_request_memo_starts_empty_and_the_others_keep_theirs(app):
    with app.test_request_context("/"):
        request_memo("tests.links")["post"] = "pattern"
        request_memo("tests.other")["kept"] = True
        forget_request_memos("tests.links", "tests.never_asked")
        assert request_memo("tests.links") == {}
        assert request_memo("tests.other") == {"kept": True}


def test_after_forget_answers_the_plugins_are_asked_again_who_is_hidden(app, make_user, monkeypatch):
    member = make_user()
    asked: list = []
    monkeypatch.setattr(get_plugins(app), "call", lambda name, **kwargs: asked.append(kwargs["viewer"]) or [])
    with app.test_request_context("/"):
        login_user(member)
        hidden_user_select(current_user)
        hidden_user_select(current_user)
        forget_answers()
        hidden_user_select(current_user)
    assert asked == [member, member]
